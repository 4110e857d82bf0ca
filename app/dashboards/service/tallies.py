"""Each plan's milestones tallied by plan week (``plan_week_tallies``), kept in step with
every write, so the heatmap of a thousand reps reads a thousand narrow rows, not twenty
thousand milestones with day arithmetic on each.

A tally holds facts about the milestones only (how many fall in each plan week, how many
were done or submitted by their due date), never about today: the heatmap counts what was
due *by today* by taking away the milestones due today or later, read from the raw rows
through the due-date index (the few of the reps still ramping).

A flush hook (:mod:`app.derived`) rewrites the tallies of the plans whose milestones a flush
added, removed or changed (due day or date, status, when submitted or done), after the flush
and in the same transaction, like the certification standings: every ORM write passes
through a flush, so no writer can forget. On PostgreSQL the plans' rows are locked before
the flush writes their milestones, so two requests writing the same plan's milestones
rewrite its tally one after the other, each from what the other committed.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import BindParameter, Select, and_, case, func, inspect, select

from app.dashboards.models import PLAN_WEEKS, plan_week_tallies
from app.dashboards.service.sqldates import days_between
from app.derived import DerivedTable, Later, Lock, Watch, keep, previous, rewrite
from app.plans.models import Milestone, MilestoneStatus, Plan

# Changes to these columns change a tally; others (notes, evidence, feedback) do not.
_WATCHED = ("plan", "plan_id", "due_day", "due_date", "status", "submitted_at", "completed_at")
WEEKS = range(1, PLAN_WEEKS + 1)


def plan_week() -> Any:
    """A milestone's plan week: days 1 to 7 are week 1; any day after 91 counts in week 13."""
    return case(
        (Milestone.due_day < 1, 0),
        (Milestone.due_day > 7 * PLAN_WEEKS, PLAN_WEEKS),
        else_=(Milestone.due_day - 1) // 7 + 1,
    )


def on_time() -> Any:
    """A milestone the rep did (or submitted for verification) no later than its due date."""
    acted_at = func.coalesce(Milestone.submitted_at, Milestone.completed_at)
    return and_(
        Milestone.status != MilestoneStatus.OPEN,
        days_between(acted_at, Milestone.due_date) <= 0,
    )


def tallies_query(plan_ids: Collection[int] | BindParameter[Any] | None = None) -> Select[Any]:
    """The tallies recomputed from the milestones (of ``plan_ids``, or of every plan): what
    the summary holds, and what the tests compare it with."""
    week = plan_week()
    timely = on_time()
    columns: list[Any] = [
        Milestone.plan_id,
        *(func.count(case((week == number, 1))) for number in WEEKS),
        *(func.count(case((and_(week == number, timely), 1))) for number in WEEKS),
    ]
    query = select(*columns).group_by(Milestone.plan_id)
    if plan_ids is not None:
        query = query.where(Milestone.plan_id.in_(plan_ids))
    return query


refresh_tallies = rewrite(
    plan_week_tallies,
    "plan_id",
    [column.name for column in plan_week_tallies.columns],
    tallies_query,
)
"""Rewrite the plans' tallies from their milestones (two statements; the flush hook has
locked the plans)."""


def _plans(milestone: Milestone) -> list[int | Later]:
    """The plans whose tally a written milestone changes: the plans it was taken from and
    its plan (known after the flush when the plan is new)."""
    moved: Any = inspect(milestone).attrs["plan"].history  # a milestone taken from one plan's list
    found: list[int | Later] = [
        plan.id for plan in (*moved.deleted, *moved.added) if plan and plan.id
    ]
    found.extend(previous(milestone, "plan_id"))
    if milestone.plan_id is not None:
        found.append(milestone.plan_id)
    else:
        found.append(lambda: milestone.plan_id)
    return found


keep(
    DerivedTable(
        name="plan_week_tallies",
        watches=(Watch(Milestone, _WATCHED),),
        keys=_plans,
        refresh=refresh_tallies,
        lock=Lock(Plan, rank=1),
    )
)
