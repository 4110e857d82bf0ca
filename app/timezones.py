"""Time zones by name, and stored moments shown in one: the same rules on pages, emails and feeds.

Every person has a zone name (``User.timezone``); moments are stored as naive UTC. A name that
is unknown or retired counts as UTC everywhere, so a bad value never breaks a page or a job.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "UTC"


@lru_cache(maxsize=256)
def zone(name: str) -> tzinfo:
    """The zone by name, built once (an unknown or retired name counts as UTC)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def in_zone(moment: datetime, name: str) -> datetime:
    """A moment (naive means UTC) as the wall-clock time in the zone named."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(zone(name))


def today_in(name: str, now: datetime | None = None) -> date:
    """Today's date in the zone named: what "due today" and "overdue" mean for that person."""
    return in_zone(now or datetime.now(UTC), name).date()


def format_moment(value: datetime | None, zone_name: str = DEFAULT_ZONE) -> str:
    """A stored time (naive UTC) as "4 Mar 2026, 14:05 CET" in the zone named."""
    if value is None:
        return "—"
    local = in_zone(value, zone_name)
    return f"{local.day} {local:%b %Y, %H:%M} {_zone_label(local)}"


def _zone_label(local: datetime) -> str:
    """The zone's abbreviation ("CET", "EDT"); "UTC+04" where the zone has only an offset."""
    name = local.tzname() or "UTC"
    return f"UTC{name}" if name[0] in "+-" else name
