"""When an overdue item is raised, and to which levels: pure functions, no database.

An item is late from the day after its due date. Counted in business days (Monday to Friday)
when its plan counts business days (commitments follow the organisation's setting), so a
weekend never brings an escalation closer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.escalations.models import Level
from app.plans.schedule import business_days_between

DEFAULT_COACH_DAYS = 3
DEFAULT_MANAGER_DAYS = 10


@dataclass(frozen=True)
class Thresholds:
    """Days late before an item is raised to the coach, and to the coach's manager or HR."""

    coach_days: int = DEFAULT_COACH_DAYS
    manager_days: int = DEFAULT_MANAGER_DAYS

    def __post_init__(self) -> None:
        if self.coach_days < 1 or self.manager_days <= self.coach_days:
            raise ValueError("escalation needs 1 <= coach days < manager days")


def days_late(due: date, today: date, business_days: bool = False) -> int:
    """How many (business) days after ``due`` today is: 0 on the due date and before it."""
    if today <= due:
        return 0
    if not business_days:
        return (today - due).days
    return business_days_between(due + timedelta(days=1), today)


def levels_reached(late: int, thresholds: Thresholds) -> tuple[Level, ...]:
    """The levels an item ``late`` days late has reached (both once it is late enough)."""
    reached = []
    if late >= thresholds.coach_days:
        reached.append(Level.COACH)
    if late >= thresholds.manager_days:
        reached.append(Level.MANAGER)
    return tuple(reached)
