"""Each rep's status worked out in SQL, from their active plan's summary.

All reps counts every kept rep by status and the ramp dashboard counts its funnel and ranks
who needs attention: both need a thousand reps' statuses on every view, and neither wants a
thousand rows in Python for it. The plan summaries (:class:`PlanSummary`, kept in step by a
flush hook) hold each plan's three earliest open due dates, enough for the rules of
:mod:`app.plans.status` (three overdue or more is at risk, and the oldest is the first), so
one expression, written once here, gives the status on each rep's own today.

A rep's today is the UTC date, the day before or the day after (zone offsets run from -12 to
+14 hours). The statements take the three days and the zones a day behind or ahead as
parameters (:func:`status_parameters`), so they are built once and their cache key holds.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
)

from app.accounts.models import User
from app.extensions import db
from app.plans.models import Plan, PlanSummary
from app.plans.status import AT_RISK_DAYS_LATE, RepStatus
from app.timezones import today_in

# The zones whose today is the day before UTC's, or the day after (expanding parameters).
_BEHIND = User.timezone.in_(bindparam("behind", expanding=True))
_AHEAD = User.timezone.in_(bindparam("ahead", expanding=True))


def possible_todays(moment: datetime) -> list[date]:
    """The three days any zone's today can be at ``moment``: before, at and after UTC's."""
    utc_today = moment.astimezone(UTC).date()
    return [utc_today + timedelta(days=offset) for offset in (-1, 0, 1)]


def on_own_day(prefix: str) -> ColumnElement[date]:
    """Of the three date parameters ``<prefix>_0``, ``_1`` and ``_2`` (one for each possible
    today, in order), the one for the rep's own today: chosen by their zone."""
    days = [bindparam(f"{prefix}_{position}", type_=Date) for position in range(3)]
    return case((_BEHIND, days[0]), (_AHEAD, days[2]), else_=days[1])


def with_active_plan(reps: Select[Any]) -> Select[Any]:
    """The reps' rows joined to their active plan and its summary (both may be missing)."""
    return reps.outerjoin(Plan, and_(Plan.rep_id == User.id, Plan.archived_at.is_(None))).outerjoin(
        PlanSummary, PlanSummary.plan_id == Plan.id
    )


def _status_in_sql() -> ColumnElement[str]:
    """Each rep's status (:func:`rep_status_from_counts`) on their own today, over
    :func:`with_active_plan`'s columns. The parameters: :func:`status_parameters`."""
    today, late = on_own_day("day"), on_own_day("late")
    summary = PlanSummary
    paused = and_(
        Plan.paused_from.is_not(None),
        Plan.paused_until.is_not(None),
        Plan.paused_from <= today,
        today < Plan.paused_until,
    )
    complete = and_(
        func.coalesce(summary.milestones, 0) > 0, func.coalesce(summary.unfinished, 0) == 0
    )
    nothing_overdue = or_(summary.first_open_due.is_(None), summary.first_open_due >= today)
    at_risk = or_(summary.third_open_due < today, summary.first_open_due < late)
    return case(
        (Plan.id.is_(None), literal(RepStatus.NO_PLAN.value)),
        (complete, literal(RepStatus.COMPLETE.value)),
        (paused, literal(RepStatus.PAUSED.value)),
        (nothing_overdue, literal(RepStatus.ON_TRACK.value)),
        (at_risk, literal(RepStatus.AT_RISK.value)),
        else_=literal(RepStatus.BEHIND.value),
    )


# Built once: every statement using it shares the same parameters, and its cache key.
STATUS = _status_in_sql()


def status_parameters(moment: datetime) -> dict[str, Any]:
    """The parameters of :data:`STATUS` at ``moment``: the three possible todays, their "more
    than 14 days late" limits, and which zones are a day behind or ahead (one query)."""
    days = possible_todays(moment)
    zones = db.session.scalars(select(User.timezone).distinct())
    by_day: dict[date, list[str]] = {day: [] for day in days}
    for zone in zones:
        by_day[today_in(zone, moment)].append(zone)
    given: dict[str, Any] = {"behind": by_day[days[0]], "ahead": by_day[days[2]]}
    for position, day in enumerate(days):
        given[f"day_{position}"] = day
        given[f"late_{position}"] = day - timedelta(days=AT_RISK_DAYS_LATE)
    return given


class StatementMemo:
    """Statements built once per key (whose reps, which filters: :func:`reps_seen_key`) and
    reused: a statement this large costs SQLAlchemy more to build and to key than SQLite
    takes to run it for a coach's twenty reps. Everything else is a parameter. Bounded: when
    full it starts again (a dictionary read is atomic, so threads may share it)."""

    def __init__(self, build: Callable[[Select[Any]], Select[Any]], size: int = 256) -> None:
        self._build = build
        self._size = size
        self._kept: dict[Hashable, Select[Any]] = {}

    def get(self, key: Hashable, reps: Callable[[], Select[Any]]) -> Select[Any]:
        """The statement for ``key``, built from ``reps()`` (the key's reps) the first time."""
        statement = self._kept.get(key)
        if statement is None:
            if len(self._kept) >= self._size:
                self._kept = {}
            statement = self._kept[key] = self._build(reps())
        return statement


def status_count_query(reps: Select[Any]) -> Select[Any]:
    """``reps`` (a query of people, unordered) counted by status: one GROUP BY in SQL, for
    :func:`count_by_status`."""
    kept = with_active_plan(reps.add_columns(STATUS.label("status"))).subquery()
    return select(kept.c.status, func.count()).group_by(kept.c.status)


def count_by_status(by_status: Select[Any], given: dict[str, Any]) -> dict[RepStatus, int]:
    """Run a :func:`status_count_query` with :func:`status_parameters`: every status present
    (0 when none)."""
    counts = dict.fromkeys(RepStatus, 0)
    for status, count in db.session.connection().execute(by_status, given):
        counts[RepStatus(status)] = count
    return counts
