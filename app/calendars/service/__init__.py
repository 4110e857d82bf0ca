"""Calendar services: the feed's token (``tokens``) and its events as iCalendar (``feed``)."""

from app.calendars.service.feed import (
    DAYS_AHEAD,
    DAYS_BACK,
    CalendarEvent,
    events_for,
    feed_for_token,
    to_ical,
)
from app.calendars.service.tokens import feed_of, regenerate, revoke, user_of_token

__all__ = [
    "DAYS_AHEAD",
    "DAYS_BACK",
    "CalendarEvent",
    "events_for",
    "feed_for_token",
    "feed_of",
    "regenerate",
    "revoke",
    "to_ical",
    "user_of_token",
]
