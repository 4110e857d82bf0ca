"""Ramp outcomes of one rep: pure functions over dates and monthly figures, no database.

Ramp days count from the start date (day 1); ramp months are 30-day blocks of them (month 1 is
days 1-30), as in the plans' targets. A rep is ramped at the end of the ``months_running``-th
ramp month in a row in which they reached ``share`` percent of their role's target; only
months that have ended count, so a month under way never ramps anyone early.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from app.metrics.catalogue import RAMP_MONTH_DAYS

MONTH_DAYS = RAMP_MONTH_DAYS


def ramp_day(start: date, day: date) -> int:
    """The day of the ramp ``day`` is: the start date is day 1."""
    return (day - start).days + 1


def month_of(start: date, day: date) -> int:
    """The ramp month ``day`` falls in (1 = days 1-30); 0 before the start."""
    days = ramp_day(start, day)
    return 0 if days < 1 else (days - 1) // MONTH_DAYS + 1


def month_last_day(start: date, month: int) -> date:
    """The last day of ramp month ``month``."""
    return start + timedelta(days=MONTH_DAYS * month - 1)


def months_ended(start: date, today: date) -> int:
    """How many ramp months are over by ``today`` (a month ends at the end of its last day)."""
    return max(0, ramp_day(start, today) // MONTH_DAYS)


def days_to(start: date, first: date | None) -> int | None:
    """The ramp day of a first (meeting, opportunity, deal), or None while there is none."""
    if first is None:
        return None
    return max(1, ramp_day(start, first))


@dataclass(frozen=True)
class RampedRule:
    """The curriculum's definition of "ramped", as plain numbers."""

    share: int  # percent of the month's target
    months_running: int


def attainment(actual: float | None, target: float) -> float:
    """The share of the target reached (0 when nothing was reported)."""
    return (actual or 0) / target


def ramped_month(
    actuals: Mapping[int, float],
    target_in_month: Callable[[int], float],
    rule: RampedRule,
    ended: int,
) -> int | None:
    """The ramp month at whose end the rep ramped, or None.

    ``actuals`` maps ramp month to the rep's figure; ``ended`` is how many months are over.
    """
    run = 0
    for month in range(1, ended + 1):
        reached = attainment(actuals.get(month), target_in_month(month)) * 100 >= rule.share
        run = run + 1 if reached else 0
        if run >= rule.months_running:
            return month
    return None


def ramped_on(
    start: date,
    actuals: Mapping[int, float],
    target_in_month: Callable[[int], float],
    rule: RampedRule,
    today: date,
) -> date | None:
    """The day the rep ramped (the last day of the month that completed the run), or None."""
    month = ramped_month(actuals, target_in_month, rule, months_ended(start, today))
    return None if month is None else month_last_day(start, month)
