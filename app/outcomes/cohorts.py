"""Cohort curves: the share of a start cohort ramped by day 30, 60, 90, 180. Pure.

A share is only given for a day every rep of the cohort has reached: a rep who started 40 days
ago has not had 60 days, so a cohort with them has no figure for day 60 yet (it is neither
counted ramped nor not ramped). The curve of a cohort therefore never falls, and every figure
is over the whole cohort, each rep counted once.
"""

from __future__ import annotations

import functools
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

CURVE_DAYS: tuple[int, ...] = (30, 60, 90, 180)


@dataclass(frozen=True)
class RepRamp:
    """One rep of a cohort: their start, and the ramp day they ramped on (None: not yet)."""

    rep_id: int
    start: date
    ramped_day: int | None


@functools.lru_cache(maxsize=4096)
def cohort_of(start: date, by: str) -> str:
    """The label of the start cohort of a rep who started on ``start`` ("2026-09", "2026-Q3")."""
    if by == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def share_ramped_by(reps: Sequence[RepRamp], day: int, today: date) -> float | None:
    """The share of ``reps`` ramped by ramp day ``day``; None until each has had ``day`` days."""
    unique = {rep.rep_id: rep for rep in reps}.values()
    if not unique or any((today - rep.start).days + 1 < day for rep in unique):
        return None
    ramped = sum(1 for rep in unique if rep.ramped_day is not None and rep.ramped_day <= day)
    return ramped / len(unique)


@dataclass(frozen=True)
class CohortCurve:
    label: str
    size: int
    shares: tuple[float | None, ...]  # one per CURVE_DAYS


def cohort_curves(
    reps: Iterable[RepRamp], today: date, by: str = "month", days: Sequence[int] = CURVE_DAYS
) -> list[CohortCurve]:
    """Each start cohort's curve, oldest cohort first."""
    grouped: dict[str, list[RepRamp]] = {}
    for rep in sorted(reps, key=lambda r: r.start):
        grouped.setdefault(cohort_of(rep.start, by), []).append(rep)
    return [
        CohortCurve(label, len(members), _shares(members, today, days))
        for label, members in grouped.items()
    ]


def _shares(
    members: Sequence[RepRamp], today: date, days: Sequence[int]
) -> tuple[float | None, ...]:
    """:func:`share_ramped_by` for each day, each rep looked at once rather than once a day."""
    unique = list({rep.rep_id: rep for rep in members}.values())
    reached = (today - max(rep.start for rep in unique)).days + 1  # the latest starter's days
    ramped = [rep.ramped_day for rep in unique if rep.ramped_day is not None]
    return tuple(
        None if reached < day else sum(1 for d in ramped if d <= day) / len(unique) for day in days
    )


def median_or_none(values: Iterable[float]) -> float | None:
    """The median of some values, or None for none (a benchmark of nobody is no benchmark)."""
    found = list(values)
    return statistics.median(found) if found else None
