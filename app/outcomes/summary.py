"""The ramp in four numbers for the dashboard: the share of reps ramped by day 30, 60, 90 and
180, and the median days to ramp. Pure.

Unlike a cohort curve (:mod:`app.outcomes.cohorts`), which waits until every rep of the cohort
has had the days, each share here is over the reps who have had them: the figure for day 90
counts the reps on day 90 or later, so a filtered mix of old and new reps still has one. The
median is over the reps who have ramped (a rep not ramped yet has no days to ramp).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from app.outcomes.cohorts import CURVE_DAYS, RepRamp


@dataclass(frozen=True)
class ShareByDay:
    day: int
    reached: int  # reps who have had ``day`` days
    ramped: int  # of them, ramped by ``day``

    @property
    def share(self) -> float | None:
        return self.ramped / self.reached if self.reached else None


@dataclass(frozen=True)
class RampSummary:
    reps: int
    ramped: int
    by_day: tuple[ShareByDay, ...]
    median_days: float | None


def ramp_summary(
    reps: Iterable[RepRamp], today: date, days: Sequence[int] = CURVE_DAYS
) -> RampSummary:
    """The share ramped by each of ``days`` among the reps who have had it, and the median."""
    unique = list({rep.rep_id: rep for rep in reps}.values())
    by_day = []
    for day in days:
        reached = [rep for rep in unique if (today - rep.start).days + 1 >= day]
        ramped = sum(1 for rep in reached if rep.ramped_day is not None and rep.ramped_day <= day)
        by_day.append(ShareByDay(day, len(reached), ramped))
    ramp_days = [rep.ramped_day for rep in unique if rep.ramped_day is not None]
    return RampSummary(
        reps=len(unique),
        ramped=len(ramp_days),
        by_day=tuple(by_day),
        median_days=float(statistics.median(ramp_days)) if ramp_days else None,
    )
