"""Which peers to suggest as a new hire's buddy: pure, so the rule can be tested on its own.

A good buddy does the same job (the same plan role), started at least three months before
the new hire (so they have been through the ramp), is active, and is not already carrying as
many new hires as a peer should.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MONTHS_AHEAD = 3


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has at least 28 days")


@dataclass(frozen=True)
class Candidate:
    """What the rule needs to know about a peer."""

    role: str
    started_on: date | None
    active: bool
    buddies: int


def is_suggested(rep_role: str, rep_start: date | None, peer: Candidate, capacity: int) -> bool:
    """Same role, started three months or more before the new hire, active, and not full."""
    if not peer.active or peer.buddies >= capacity:
        return False
    if not rep_role or peer.role.upper() != rep_role.upper():
        return False
    if rep_start is None or peer.started_on is None:
        return False
    return peer.started_on <= months_before(rep_start, MONTHS_AHEAD)
