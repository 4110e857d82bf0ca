"""The calendar page's buttons: each a form sent once (see ``app.once``)."""

from __future__ import annotations

from app.web import OnceForm


class RegenerateForm(OnceForm):
    """Make the link, or replace it with a new one (the old one stops working)."""


class RevokeForm(OnceForm):
    """End the link: calendars subscribed to it stop updating."""
