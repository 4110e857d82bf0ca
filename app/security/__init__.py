"""The security event log: who signed in, who failed or was throttled, who was refused, who
changed roles or exported records. Admins read it and download it as CSV."""
