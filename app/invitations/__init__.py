"""Invitations: a person added by an admin (or a cohort import) sets their own password."""
