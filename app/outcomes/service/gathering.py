"""What the outcomes need of many reps, aggregated in SQL: a fixed number of queries.

One query lists the reps (their team, start and the role of their plan); three sum their
figures per ramp month and origin (with each month's first day of a meeting held, an
opportunity and a deal won) from the summary ``activity_ramp_months``, or from the figures for
the reps whose summary was counted from another start; one counts their plans' milestones and
certifications; one their reviewed commitments. A month's figures are the CRM's when it
reported any, else the rep's own log, as for the plan's number milestones. A weekly CRM row
counts in the month of its Monday.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Date as SqlDate
from sqlalchemy import Select, and_, bindparam, case, exists, func, null, select

from app.accounts.models import Team, User
from app.coaching.followthrough import Outcome
from app.coaching.models import Commitment
from app.curriculum.models import PlanTemplate
from app.extensions import db
from app.metrics.catalogue import FIRST_METRICS, METRICS, Metric
from app.metrics.models import (
    ActivityFigure,
    ActivityRampMonth,
    ActivityRampStart,
    ActivityWeek,
    Origin,
)
from app.metrics.service.summaries import current_start, plan_of_rep, ramp_month_of
from app.outcomes.service.sqldates import day_after
from app.plans.models import MeasureKind, Milestone, MilestoneStatus, Plan
from app.plans.service import StatementMemo, TeamFilters, reps_seen, reps_seen_key

# The firsts, by the metric whose first non-zero day they are.
FIRSTS: tuple[tuple[str, str], ...] = tuple(
    zip(FIRST_METRICS, ("First meeting held", "First opportunity", "First deal won"), strict=True)
)


@dataclass(frozen=True)
class RepFilters:
    """Which reps: a team, a plan role, a start cohort ("2026-09" or "2026-Q3"), a name."""

    team_id: int | None = None
    role: str = ""
    cohort: str = ""
    search: str = ""


@dataclass
class RepFigures:
    """One rep's aggregates, enough for their outcomes and readiness score."""

    rep_id: int
    full_name: str
    team: str | None
    start: date | None
    role: str | None
    has_plan: bool
    # ramp month -> metric key -> figure (whole units; revenue in cents as stored)
    months: dict[int, dict[str, int]] = field(default_factory=dict)
    firsts: dict[str, date] = field(default_factory=dict)
    milestones_due: int = 0
    milestones_on_time: int = 0
    certifications: int = 0
    certifications_passed: int = 0
    commitments_reviewed: int = 0
    commitments_kept: int = 0


def reps_query(actor: User | None, filters: RepFilters, with_team: bool = True) -> Select[Any]:
    """The active reps ``actor`` may see (a coach their own; None: everyone) the filters keep
    (without ``with_team``, None in place of their team's name)."""
    start = func.coalesce(Plan.start_date, User.start_date)
    columns: list[Any] = [
        User.id,
        User.full_name,
        Team.name if with_team else null(),
        start.label("start"),
        PlanTemplate.role,
        Plan.id,
    ]
    seen = reps_seen(actor, TeamFilters(team_id=filters.team_id, search=filters.search))
    query = seen.with_only_columns(*columns)
    if with_team:
        query = query.outerjoin(Team, Team.id == User.team_id)
    query = query.outerjoin(
        Plan, and_(Plan.rep_id == User.id, Plan.archived_at.is_(None))
    ).outerjoin(PlanTemplate, PlanTemplate.id == Plan.template_id)
    if filters.role:
        query = query.where(func.upper(PlanTemplate.role) == filters.role.strip().upper())
    return query


# The reps queries of the outcomes pages and the dashboard's summary, kept per whose reps and
# which filters: see :func:`kept_reps_query`.
_KEPT_REPS = StatementMemo(lambda reps: reps)


def kept_reps_query(
    actor: User | None, filters: RepFilters, with_team: bool = True, ordered: bool = True
) -> Select[Any]:
    """:func:`reps_query` (without its order unless ``ordered``), built once per whose reps
    and which filters, and kept: so are the statements :func:`derived` from it, which every
    view after a write would otherwise build and key again (more Python than the database
    takes to run them for a coach's reps). The cohort is no part of it."""
    seen = TeamFilters(team_id=filters.team_id, search=filters.search)
    key = (reps_seen_key(actor, seen), filters.role, with_team, ordered)

    def build() -> Select[Any]:
        query = reps_query(actor, filters, with_team)
        return query if ordered else query.order_by(None)

    return _KEPT_REPS.get(key, build)


@functools.cache
def one_rep_query() -> Select[Any]:
    """:func:`reps_query` of everyone, kept to the rep bound as ``outcomes_rep_id``: built once,
    so that the statements :func:`gather` derives from it are built once too."""
    return reps_query(None, RepFilters()).where(User.id == bindparam("outcomes_rep_id"))


@functools.cache
def role_reps_query() -> Select[Any]:
    """:func:`reps_query` of everyone with the plan role bound as ``outcomes_role`` (upper
    case, as :func:`role_parameters` gives it): built once, like :func:`one_rep_query`.

    Without the reps' team (None in its place): the peers' attainment, its one reader, needs
    none, and each join more is one more for PostgreSQL to plan on every view."""
    role = func.upper(PlanTemplate.role) == bindparam("outcomes_role")
    return reps_query(None, RepFilters(), with_team=False).where(role)


def role_parameters(role: str) -> dict[str, str]:
    """The parameters of :func:`role_reps_query` for ``role`` (as :class:`RepFilters` keeps it)."""
    return {"outcomes_role": role.strip().upper()}


# Statements derived from a reps query, kept as long as that query is: one built once (see
# :func:`one_rep_query`) has its derived ones built once, rather than on every view (building
# and keying them cost more than running them on a rep's numbers page). A query built per view
# goes with its derived statements once dropped (SQLAlchemy's statement cache keeps only the
# first query of each shape alive, so they never pile up).
_DERIVED: weakref.WeakKeyDictionary[Select[Any], dict[Any, Any]] = weakref.WeakKeyDictionary()


def derived(reps: Select[Any], key: Any, build: Callable[[], Any]) -> Any:
    """The statement ``build()`` derives from ``reps`` (``key`` names it), built once per
    ``reps`` object and database dialect (some SQL dates are spelt per dialect)."""
    kept = _DERIVED.get(reps)
    if kept is None:
        kept = _DERIVED[reps] = {}
    keyed = (db.session.get_bind().dialect.name, key)
    found = kept.get(keyed)
    if found is None:
        found = kept[keyed] = build()
    return found


# The funnel's metrics, summed for the conversion rates; the roles' target metrics are added.
FUNNEL: tuple[str, ...] = (
    "conversations",
    "meetings_booked",
    "meetings_held",
    "opportunities",
    "deals_won",
)


def gather(
    reps: Select[Any],
    today: date,
    target_metrics: Sequence[str] = (),
    plans: bool = True,
    funnel: bool = True,
    params: Mapping[str, Any] | None = None,
) -> list[RepFigures]:
    """Every rep of ``reps`` with their aggregates, in the query's order: four queries.

    Monthly figures are summed for the funnel's metrics and ``target_metrics`` only; without
    ``plans``, milestones and commitments are not counted (two queries fewer); without
    ``funnel``, only ``target_metrics`` are summed (peers' attainment needs nothing else, and
    at a thousand reps every summed column costs). ``params`` are the values of the
    parameters ``reps`` binds (see :func:`one_rep_query`).
    """
    given = dict(params or {})
    found = [
        RepFigures(rep_id, name, team, start, role, plan_id is not None)
        for rep_id, name, team, start, role, plan_id in db.session.execute(reps, given)
    ]
    if not found:
        return found
    by_id = {rep.rep_id: rep for rep in found}
    summed = [m for m in METRICS if (funnel and m.key in FUNNEL) or m.key in target_metrics]
    _add_figures(by_id, reps, summed, given)
    if plans:
        _add_milestones(by_id, reps, {**given, "gather_today": today})
        _add_commitments(by_id, reps, given)
    return found


def _rep_ids(reps: Select[Any]) -> Select[Any]:
    return derived(reps, "ids", lambda: reps.with_only_columns(User.id).order_by(None))


def _add_figures(
    by_id: dict[int, RepFigures],
    reps: Select[Any],
    summed: Sequence[Metric],
    params: dict[str, Any],
) -> None:
    """Each rep's ramp months and firsts: three queries whatever the number of reps."""
    own_log: dict[tuple[int, int], dict[str, int]] = {}
    stale = _counted_from_another_start(reps, params)
    rows = _summed_months(reps, summed, params)
    if stale:
        # Usually nobody: an empty IN () costs SQLAlchemy tens of milliseconds to compile.
        rows.extend(_figured_months(stale, summed))
    for rep_id, origin, number, *values in rows:
        rep = by_id[rep_id]
        for (key, _label), first in zip(FIRSTS, values[: len(FIRSTS)], strict=True):
            day = _as_date(first)
            if day is not None and (key not in rep.firsts or day < rep.firsts[key]):
                rep.firsts[key] = day
        figures = {
            metric.key: int(value)
            for metric, value in zip(summed, values[len(FIRSTS) :], strict=True)
            if value is not None
        }
        if Origin(origin) is Origin.CRM:
            rep.months[number] = figures
        else:
            own_log[(rep_id, number)] = figures
    # The CRM's figures for a month replace the rep's own log of it.
    for (rep_id, number), figures in own_log.items():
        by_id[rep_id].months.setdefault(number, figures)


def _counted_from_another_start(reps: Select[Any], params: dict[str, Any]) -> list[int]:
    """Reps with figures whose summarised ramp months were counted from a start that is no
    longer theirs (a new plan, a corrected start date): their months are read from figures."""

    def build() -> Select[Any]:
        counted = exists().where(
            ActivityRampStart.rep_id == User.id, ActivityRampStart.ramp_start == current_start()
        )
        active = exists().where(ActivityWeek.rep_id == User.id)
        query = select(User.id).outerjoin(Plan, plan_of_rep())
        return query.where(User.id.in_(_rep_ids(reps)), active, ~counted)

    return list(db.session.scalars(derived(reps, "another start", build), params))


def _summed_months(
    reps: Select[Any], summed: Sequence[Metric], params: dict[str, Any]
) -> list[Any]:
    """The ramp months of the summary, where they were counted from the rep's start now."""

    def build() -> Select[Any]:
        months = ActivityRampMonth
        firsts = [func.min(getattr(months, f"first_{key}")) for key, _label in FIRSTS]
        sums = [func.sum(getattr(months, metric.column)) for metric in summed]
        return (
            select(months.rep_id, months.origin, months.month, *firsts, *sums)
            .join(ActivityRampStart, ActivityRampStart.rep_id == months.rep_id)
            .join(User, User.id == months.rep_id)
            .outerjoin(Plan, plan_of_rep())
            .where(
                months.rep_id.in_(_rep_ids(reps)),
                ActivityRampStart.ramp_start == current_start(),
            )
            .group_by(months.rep_id, months.origin, months.month)
        )

    statement = derived(reps, ("months", *(metric.key for metric in summed)), build)
    # Core rows, not ORM ones: thousands of plain tuples (a rep's months) need no ORM.
    return list(db.session.connection().execute(statement, params))


def _figured_months(rep_ids: list[int], summed: Sequence[Metric]) -> list[Any]:
    """The same from the figures themselves, for the few reps whose summary is not usable."""
    month = ramp_month_of(ActivityFigure.period_start).label("month")
    firsts = [
        func.min(case((getattr(ActivityFigure, key) > 0, ActivityFigure.period_start)))
        for key, _label in FIRSTS
    ]
    sums = [func.sum(getattr(ActivityFigure, metric.column)) for metric in summed]
    statement = (
        select(ActivityFigure.rep_id, ActivityFigure.origin, month, *firsts, *sums)
        .join(User, User.id == ActivityFigure.rep_id)
        .outerjoin(Plan, plan_of_rep())
        .where(ActivityFigure.rep_id.in_(rep_ids), ActivityFigure.period_start >= current_start())
        .group_by(ActivityFigure.rep_id, ActivityFigure.origin, month)
    )
    return list(db.session.connection().execute(statement))


def _add_milestones(
    by_id: dict[int, RepFigures], reps: Select[Any], params: dict[str, Any]
) -> None:
    """Milestones due (on ``gather_today``) and done on time, certifications and passed."""

    def build() -> Any:
        due = Milestone.due_date <= bindparam("gather_today", type_=SqlDate)
        done = Milestone.status == MilestoneStatus.DONE
        on_time = and_(due, done, Milestone.completed_at < day_after(Milestone.due_date))
        certification = Milestone.measure_kind == MeasureKind.CERTIFICATION
        return (
            select(
                Plan.rep_id,
                func.count(case((due, 1))),
                func.count(case((on_time, 1))),
                func.count(case((certification, 1))),
                func.count(case((and_(certification, done), 1))),
            )
            .join(Plan, Plan.id == Milestone.plan_id)
            .where(Plan.rep_id.in_(_rep_ids(reps)), Plan.archived_at.is_(None))
            .group_by(Plan.rep_id)
        )

    for rep_id, *counts in db.session.execute(derived(reps, "milestones", build), params):
        rep = by_id[rep_id]
        (
            rep.milestones_due,
            rep.milestones_on_time,
            rep.certifications,
            rep.certifications_passed,
        ) = counts


def _add_commitments(
    by_id: dict[int, RepFigures], reps: Select[Any], params: dict[str, Any]
) -> None:
    def build() -> Any:
        return (
            select(
                Commitment.rep_id,
                func.count(Commitment.outcome),
                func.count(case((Commitment.outcome == Outcome.KEPT, 1))),
            )
            .where(Commitment.rep_id.in_(_rep_ids(reps)))
            .group_by(Commitment.rep_id)
        )

    for rep_id, reviewed, kept in db.session.execute(derived(reps, "commitments", build), params):
        by_id[rep_id].commitments_reviewed, by_id[rep_id].commitments_kept = reviewed, kept


def _as_date(value: object) -> date | None:
    """SQLite hands back MIN() of dates as text."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def sorted_roles(reps: Sequence[RepFigures]) -> list[str]:
    return sorted({rep.role for rep in reps if rep.role})
