"""Domain errors raised by services; one place in the web layer turns them into HTTP answers."""

from __future__ import annotations


class DomainError(Exception):
    """Base for errors a service raises about a request that cannot be honoured."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The acting user may not do this (HTTP 403)."""


class NotFound(DomainError):
    """The record does not exist (HTTP 404)."""


class Conflict(DomainError):
    """The record's state does not allow this now (HTTP 409)."""


class Invalid(DomainError):
    """The input breaks a domain rule; ``field`` names the form field when there is one."""


class ChangedMeanwhile(Conflict):
    """Someone else saved the record after this form was loaded (optimistic locking).

    The view shows the form again with the current values and this message, instead of
    overwriting the other person's change.
    """
