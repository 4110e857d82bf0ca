"""Outbound webhooks: events recorded with their change, signed, sent by the job worker."""
