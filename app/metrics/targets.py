"""Number milestones judged from activity: target against actual, period by period. Pure.

A milestone's ``actuals`` (in the plan template) name a metric and the ramp periods to judge:
ramp weeks (Monday to Sunday, week 1 being the week of the start date, so they line up with a
CRM's weekly report), ramp months (days 1-30, 31-60, 61-90) or the whole ramp up to the due
day. Each period is met when its actual reaches the target; the milestone when every period
is. A period's actual is the CRM's figures when the CRM reported any for it, else the rep's
own log, and says which.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from app.metrics.models import Origin


class Verdict(enum.StrEnum):
    MET = "met"
    NOT_MET = "not met"
    SO_FAR = "so far"  # the period is under way
    NOT_STARTED = "not started"

    @property
    def label(self) -> str:
        return {
            "met": "Met",
            "not met": "Not met",
            "so far": "Under way",
            "not started": "Not started",
        }[self.value]


@dataclass(frozen=True)
class Spec:
    """A milestone's ``actuals`` as the template says them."""

    metric: str
    per: str  # week | month | ramp
    periods: tuple[int, ...]


@dataclass(frozen=True)
class Figure:
    """One stored row, reduced to what judging needs."""

    period_start: date
    origin: Origin
    value: int | None


@dataclass(frozen=True)
class PeriodResult:
    label: str
    first: date
    last: date
    target: float
    actual: int | None  # None: nothing reported for the period
    origin: Origin | None
    verdict: Verdict


def periods_of(spec: Spec, start: date, due: date) -> list[tuple[str, date, date]]:
    """(label, first day, last day) of each period the milestone is judged on."""
    if spec.per == "ramp":
        return [("Whole ramp to the due date", start, due)]
    if spec.per == "week":
        monday = start - timedelta(days=start.weekday())
        return [
            (
                f"Week {n}",
                monday + timedelta(weeks=n - 1),
                monday + timedelta(weeks=n - 1, days=6),
            )
            for n in spec.periods
        ]
    return [
        (f"Month {n}", start + timedelta(days=30 * (n - 1)), start + timedelta(days=30 * n - 1))
        for n in spec.periods
    ]


def judge(
    spec: Spec,
    target: float,
    start: date,
    due: date,
    figures: Iterable[Figure],
    today: date,
) -> list[PeriodResult]:
    """Target against actual for each period of the milestone."""
    rows = list(figures)
    results = []
    for label, first, last in periods_of(spec, start, due):
        inside = [f for f in rows if first <= f.period_start <= last and f.value is not None]
        crm = [f.value for f in inside if f.origin is Origin.CRM and f.value is not None]
        own = [f.value for f in inside if f.origin is Origin.SELF and f.value is not None]
        chosen, origin = (crm, Origin.CRM) if crm else (own, Origin.SELF) if own else ([], None)
        actual = sum(chosen) if chosen else None
        results.append(
            PeriodResult(
                label,
                first,
                last,
                target,
                actual,
                origin,
                _verdict(actual, target, first, last, today),
            )
        )
    return results


def _verdict(actual: int | None, target: float, first: date, last: date, today: date) -> Verdict:
    if actual is not None and actual >= target:
        return Verdict.MET  # reached early counts: the target is a floor
    if today < first:
        return Verdict.NOT_STARTED
    if today <= last:
        return Verdict.SO_FAR
    return Verdict.NOT_MET


def overall(results: list[PeriodResult]) -> Verdict:
    """Met when every period is; not met as soon as one ended short; else under way."""
    verdicts = {result.verdict for result in results}
    if verdicts == {Verdict.MET}:
        return Verdict.MET
    if Verdict.NOT_MET in verdicts:
        return Verdict.NOT_MET
    if verdicts == {Verdict.NOT_STARTED}:
        return Verdict.NOT_STARTED
    return Verdict.SO_FAR
