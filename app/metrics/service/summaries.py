"""The activity summaries, kept in step with the figures: each rep's weeks and ramp months.

A year of daily figures is 365 rows a rep; the outcomes, the rep's numbers and the weekly
pages need sums per week or per ramp month, so they read ``activity_weeks`` and
``activity_ramp_months`` instead (about 12 times fewer rows). ``refresh_summaries`` is the one
way they are written: every write of figures (``apply_changes`` for imports, corrections and
the API; ``log_day`` for the rep's log) calls it for the reps it touched, in the same
transaction, and it recomputes those reps' rows from the figures with a delete and an
``INSERT ... SELECT`` per table: portable (SQLite and PostgreSQL), and correct whatever changed
(a row added, replaced or removed) because nothing is added incrementally.

Ramp months count from the rep's start (their active plan's, else their own); the start used is
kept in ``activity_ramp_starts`` so a reader can tell months counted from an older start and
read the figures instead (``current_start`` is the expression both sides compare).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import Integer, and_, case, cast, delete, func, insert, literal, select

from app.accounts.models import User
from app.extensions import db
from app.metrics.catalogue import FIRST_METRICS, RAMP_MONTH_DAYS
from app.metrics.models import (
    FIGURE_COLUMNS,
    ActivityFigure,
    ActivityRampMonth,
    ActivityRampStart,
    ActivityWeek,
)
from app.plans.models import Plan

# Reps per statement: a few hundred bound ids stay well inside every database's limits.
_REPS_PER_BATCH = 500
# Called with the reps whose figures changed, after their summaries are rewritten: features
# above metrics that keep their own summaries of figures (the outcomes' judgements) register
# here, since the figures are written with Core statements no flush hook sees.
_AFTER_REFRESH: list[Callable[[Collection[int]], None]] = []


def after_refresh(callback: Callable[[Collection[int]], None]) -> None:
    """Have ``callback(rep_ids)`` called whenever those reps' figures have been rewritten."""
    if callback not in _AFTER_REFRESH:
        _AFTER_REFRESH.append(callback)


def current_start() -> Any:
    """The rep's start now: their active plan's start date, else their own. Needs ``User``
    joined, and ``Plan`` outer-joined with ``plan_of_rep()``."""
    return func.coalesce(Plan.start_date, User.start_date)


def plan_of_rep() -> Any:
    """The join condition of a rep's active plan (one at most)."""
    return and_(Plan.rep_id == User.id, Plan.archived_at.is_(None))


def days_between(later: Any, earlier: Any) -> Any:
    """Whole days from ``earlier`` to ``later`` (two DATE expressions), on either database."""
    if db.session.get_bind().dialect.name == "postgresql":
        return later - earlier
    return cast(func.julianday(later) - func.julianday(earlier), Integer)


def ramp_month_of(day: Any) -> Any:
    """The ramp month (1 = days 1-30) of the DATE ``day``, counted from ``current_start()``."""
    return days_between(day, current_start()) // literal(RAMP_MONTH_DAYS, Integer) + 1


def refresh_summaries(rep_ids: Collection[int]) -> None:
    """Recompute these reps' weeks, ramp months and ramp start from their figures."""
    ids = sorted(set(rep_ids))
    for first in range(0, len(ids), _REPS_PER_BATCH):
        batch = ids[first : first + _REPS_PER_BATCH]
        for table in (ActivityWeek, ActivityRampMonth, ActivityRampStart):
            db.session.execute(delete(table).where(table.rep_id.in_(batch)))
        _insert_weeks(batch)
        _insert_ramp_months(batch)
        _insert_ramp_starts(batch)
    for callback in _AFTER_REFRESH:
        callback(ids)


def _sums() -> list[Any]:
    return [func.sum(getattr(ActivityFigure, column)) for column in FIGURE_COLUMNS]


def _insert_weeks(batch: list[int]) -> None:
    group = (ActivityFigure.rep_id, ActivityFigure.origin, ActivityFigure.source_id)
    query = (
        select(*group, ActivityFigure.week_start, func.count(), *_sums())
        .where(ActivityFigure.rep_id.in_(batch))
        .group_by(*group, ActivityFigure.week_start)
    )
    columns = ["rep_id", "origin", "source_id", "week_start", "figure_count", *FIGURE_COLUMNS]
    db.session.execute(insert(ActivityWeek).from_select(columns, query))


def _insert_ramp_months(batch: list[int]) -> None:
    group = (ActivityFigure.rep_id, ActivityFigure.origin, ActivityFigure.source_id)
    month = ramp_month_of(ActivityFigure.period_start)
    firsts = [
        func.min(case((getattr(ActivityFigure, key) > 0, ActivityFigure.period_start)))
        for key in FIRST_METRICS
    ]
    query = (
        select(*group, month, *firsts, func.count(), *_sums())
        .join(User, User.id == ActivityFigure.rep_id)
        .outerjoin(Plan, plan_of_rep())
        .where(ActivityFigure.rep_id.in_(batch), ActivityFigure.period_start >= current_start())
        .group_by(*group, month)
    )
    columns = [
        "rep_id",
        "origin",
        "source_id",
        "month",
        *(f"first_{key}" for key in FIRST_METRICS),
        "figure_count",
        *FIGURE_COLUMNS,
    ]
    db.session.execute(insert(ActivityRampMonth).from_select(columns, query))


def _insert_ramp_starts(batch: list[int]) -> None:
    query = select(User.id, current_start()).outerjoin(Plan, plan_of_rep())
    query = query.where(User.id.in_(batch))
    db.session.execute(insert(ActivityRampStart).from_select(["rep_id", "ramp_start"], query))
