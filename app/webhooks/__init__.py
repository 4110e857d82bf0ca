"""Outbound webhooks: events recorded with the change that caused them, signed, sent by the worker."""
