"""Follow-through on commitments: outcomes, what still needs a review, and the kept rate.

Pure functions: a kept commitment counts fully, a partly kept one half, a missed one not at all.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

RECENTLY_DUE_DAYS = 14  # a commitment due within this many days is "due soon" on the prep page


class Outcome(enum.StrEnum):
    KEPT = "kept"
    PARTLY = "partly"
    MISSED = "missed"

    @property
    def label(self) -> str:
        return {"kept": "Kept", "partly": "Partly kept", "missed": "Missed"}[self.value]

    @property
    def credit(self) -> float:
        return {"kept": 1.0, "partly": 0.5, "missed": 0.0}[self.value]

    @property
    def css(self) -> str:
        return {"kept": "success", "partly": "warning", "missed": "danger"}[self.value]


def closes(outcome: Outcome) -> bool:
    """Kept and partly kept close a commitment; a missed one stays open until closed."""
    return outcome is not Outcome.MISSED


def kept_rate(outcomes: Iterable[Outcome]) -> float | None:
    """Share of reviewed commitments kept (partly kept counts half); None when none reviewed."""
    credits = [outcome.credit for outcome in outcomes]
    return sum(credits) / len(credits) if credits else None


@dataclass(frozen=True)
class RatePoint:
    """The kept rate of the commitments due in one month."""

    month: date  # the first day of the month
    rate: float
    reviewed: int


def kept_rate_by_month(reviewed: Iterable[tuple[date, Outcome]]) -> list[RatePoint]:
    """The kept rate per month of the due date, oldest month first; months with none left out."""
    by_month: dict[date, list[Outcome]] = {}
    for due_on, outcome in reviewed:
        by_month.setdefault(due_on.replace(day=1), []).append(outcome)
    points = []
    for month in sorted(by_month):
        outcomes = by_month[month]
        rate = kept_rate(outcomes)
        assert rate is not None
        points.append(RatePoint(month, rate, len(outcomes)))
    return points


class Due(enum.StrEnum):
    """Where an open commitment stands against its due date."""

    OVERDUE = "overdue"
    DUE_SOON = "due soon"
    LATER = "later"


def due_state(due_on: date, today: date) -> Due:
    if due_on < today:
        return Due.OVERDUE
    if due_on <= today + timedelta(days=RECENTLY_DUE_DAYS):
        return Due.DUE_SOON
    return Due.LATER
