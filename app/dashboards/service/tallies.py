"""Each plan's milestones tallied by plan week (``plan_week_tallies``), kept in step with
every write, so the heatmap of a thousand reps reads a thousand narrow rows, not twenty
thousand milestones with day arithmetic on each.

A tally holds facts about the milestones only (how many fall in each plan week, how many
were done or submitted by their due date), never about today: the heatmap counts what was
due *by today* by taking away the milestones due today or later, read from the raw rows
through the due-date index (the few of the reps still ramping).

One session hook rewrites the tallies of the plans whose milestones a flush added, removed
or changed (due day or date, status, when submitted or done), after the flush and in the
same transaction, like the certification standings (app/certification/service/standings.py):
every ORM write passes through a flush, so no writer can forget. On PostgreSQL the plans'
rows are locked first, so two requests writing the same plan's milestones rewrite its tally
one after the other, each from what the other committed.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, and_, case, delete, event, func, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from app.dashboards.models import PLAN_WEEKS, plan_week_tallies
from app.dashboards.service.sqldates import days_between
from app.plans.models import Milestone, MilestoneStatus, Plan

_PENDING = "salesramp.week_tallies_to_refresh"
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


def tallies_query(plan_ids: Collection[int] | None = None) -> Select[Any]:
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


def refresh_tallies(session: Session, plan_ids: Collection[int]) -> None:
    """Rewrite the plans' tallies from their milestones (three statements)."""
    if not plan_ids:
        return
    ids = sorted(plan_ids)
    connection = session.connection()
    # Serialise writers of the same plan (a no-op on SQLite, which has one writer anyway).
    connection.execute(select(Plan.id).where(Plan.id.in_(ids)).with_for_update())
    table = plan_week_tallies
    connection.execute(delete(table).where(table.c.plan_id.in_(ids)))
    columns = [column.name for column in table.columns]
    connection.execute(insert(table).from_select(columns, tallies_query(ids)))


def _plans_touched(session: Session) -> tuple[set[int], list[Milestone]]:
    """The plans whose tally the pending flush may change, and the new milestones whose
    plan has no id until the flush."""
    plans: set[int] = set()
    later: list[Milestone] = []
    for instance in [*session.new, *session.deleted, *session.dirty]:
        if not isinstance(instance, Milestone):
            continue
        state: Any = inspect(instance)
        fresh = instance in session.new or instance in session.deleted
        if not fresh and not any(state.attrs[c].history.has_changes() for c in _WATCHED):
            continue
        moved = state.attrs["plan"].history  # a milestone taken from one plan's list
        plans.update(plan.id for plan in (*moved.deleted, *moved.added) if plan and plan.id)
        plans.update(value for value in state.attrs["plan_id"].history.deleted if value)
        if instance.plan_id is not None:
            plans.add(instance.plan_id)
        else:
            later.append(instance)
    return plans, later


@event.listens_for(Session, "before_flush")
def _note_plans(session: Session, _context: UOWTransaction, _instances: object) -> None:
    plans, later = _plans_touched(session)
    if plans or later:
        pending = session.info.setdefault(_PENDING, (set(), []))
        pending[0].update(plans)
        pending[1].extend(later)


@event.listens_for(Session, "after_flush_postexec")
def _refresh_noted(session: Session, _context: UOWTransaction) -> None:
    plans, later = session.info.pop(_PENDING, (set(), []))
    plans.update(m.plan_id for m in later if m.plan_id is not None)
    refresh_tallies(session, plans)
