"""Each plan's milestones counted (:class:`PlanSummary`), kept in step with every write.

All reps needs every rep's status, and a status needs each plan's milestones counted against
the rep's today: read from the raw rows that is a thousand plans' open milestones grouped on
every view. The summary holds one narrow row per plan instead, rewritten whenever a flush adds,
moves or removes a milestone or changes its status, due date or phase, or adds a plan.

One session hook does it, as for the certification standings, rather than a call in each
service: milestones are written by several services (progress, verifying, pausing, assigning)
and by the demo, and every ORM write passes through a flush, so none can forget. The hook
notes the plans before the flush and rewrites their rows after it, in the same transaction.
Before rewriting it locks the plans' rows (``FOR UPDATE`` on PostgreSQL; SQLite writes one
at a time anyway), so two transactions changing milestones of one plan at once cannot each
write a count that misses the other's change.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, and_, case, delete, event, func, insert, inspect, select
from sqlalchemy.orm import InstanceState, Session, UOWTransaction

from app.plans.models import Milestone, MilestoneStatus, Plan, PlanSummary
from app.plans.service.overview import PHASES

_PENDING = "salesramp.plan_summaries_to_refresh"
# Changes to these columns change a summary; others (a note, evidence, feedback) do not.
_MILESTONE_COLUMNS = ("plan_id", "status", "due_date", "phase")
# The summary has a done and a total column for each of these.
assert [number for number, _first, _last in PHASES] == [1, 2, 3]

COLUMNS = (
    "plan_id",
    "milestones",
    "unfinished",
    "submitted",
    "first_open_due",
    "second_open_due",
    "third_open_due",
    "phase1_done",
    "phase1_total",
    "phase2_done",
    "phase2_total",
    "phase3_done",
    "phase3_total",
)


def summaries_query(plan_ids: Collection[int] | None = None) -> Select[Any]:
    """The summaries recomputed from the milestones (of ``plan_ids``, or of every plan): what
    the table holds, and what the tests compare it with. Every plan has a row."""
    m = Milestone
    is_open = m.status == MilestoneStatus.OPEN
    done = m.status == MilestoneStatus.DONE
    ranked = select(
        m.plan_id,
        m.due_date,
        func.row_number().over(partition_by=m.plan_id, order_by=(m.due_date, m.id)).label("n"),
    ).where(is_open)
    counted = select(
        m.plan_id,
        func.count().label("milestones"),
        func.count(case((m.status != MilestoneStatus.DONE, 1))).label("unfinished"),
        func.count(case((m.status == MilestoneStatus.SUBMITTED, 1))).label("submitted"),
        *(
            column
            for number, _first, _last in PHASES
            for column in (
                func.count(case((and_(m.phase == number, done), 1))).label(f"phase{number}_done"),
                func.count(case((m.phase == number, 1))).label(f"phase{number}_total"),
            )
        ),
    ).group_by(m.plan_id)
    ids = sorted(plan_ids) if plan_ids is not None else None
    if ids is not None:
        ranked = ranked.where(m.plan_id.in_(ids))
        counted = counted.where(m.plan_id.in_(ids))
    soonest = ranked.subquery("ranked")
    firsts = (
        select(
            soonest.c.plan_id,
            *(
                func.min(case((soonest.c.n == n, soonest.c.due_date))).label(name)
                for n, name in ((1, "first"), (2, "second"), (3, "third"))
            ),
        )
        .where(soonest.c.n <= 3)
        .group_by(soonest.c.plan_id)
        .subquery("firsts")
    )
    counts = counted.subquery("counts")
    zero = 0
    columns: list[Any] = [
        Plan.id.label("plan_id"),
        *(
            func.coalesce(counts.c[name], zero).label(name)
            for name in ("milestones", "unfinished", "submitted")
        ),
        firsts.c.first.label("first_open_due"),
        firsts.c.second.label("second_open_due"),
        firsts.c.third.label("third_open_due"),
        *(func.coalesce(counts.c[name], zero).label(name) for name in COLUMNS[7:]),
    ]
    query: Select[Any] = (
        select(*columns)
        .outerjoin(counts, counts.c.plan_id == Plan.id)
        .outerjoin(firsts, firsts.c.plan_id == Plan.id)
    )
    return query if ids is None else query.where(Plan.id.in_(ids))


def refresh_summaries(session: Session, plan_ids: Collection[int]) -> None:
    """Rewrite the plans' summaries from their milestones (three statements)."""
    if not plan_ids:
        return
    ids = sorted(plan_ids)
    _lock(session, ids)  # the new plans' and new milestones' plans; the others hold already
    connection = session.connection()
    table = PlanSummary.__table__
    connection.execute(delete(table).where(table.c.plan_id.in_(ids)))
    connection.execute(insert(table).from_select(list(COLUMNS), summaries_query(ids)))


def _touched(session: Session) -> tuple[set[int], list[Plan | Milestone]]:
    """The plans whose summary the pending flush may change: their ids, and the new rows
    whose plan has no id until the flush."""
    plans: set[int] = set()
    later: list[Plan | Milestone] = []
    for instance in [*session.new, *session.deleted, *session.dirty]:
        if isinstance(instance, Plan) and instance in session.new:
            later.append(instance)
        elif isinstance(instance, Milestone):
            state: InstanceState[Milestone] = inspect(instance)
            fresh = instance in session.new or instance in session.deleted
            if fresh or any(state.attrs[c].history.has_changes() for c in _MILESTONE_COLUMNS):
                # A milestone moved to another plan changes both plans' counts.
                plans.update(v for v in state.attrs["plan_id"].history.deleted if v)
                later.append(instance)
    return plans, later


def _plan_id(row: Plan | Milestone) -> int | None:
    if isinstance(row, Plan):
        return row.id
    return row.plan_id if row.plan_id is not None else (row.plan.id if row.plan else None)


def _lock(session: Session, plan_ids: Collection[int]) -> None:
    """Lock the plans' rows (PostgreSQL; SQLite writes one at a time anyway), in id order."""
    if plan_ids:
        query = select(Plan.id).where(Plan.id.in_(sorted(plan_ids))).order_by(Plan.id)
        session.connection().execute(query.with_for_update())


@event.listens_for(Session, "before_flush")
def _note_plans(session: Session, _context: UOWTransaction, _instances: object) -> None:
    plans, later = _touched(session)
    # The plans are locked before their milestones are written, as pausing a plan does
    # (plan, then milestones): a writer locking a milestone first and its plan after the
    # flush could deadlock with a pause of the same plan.
    _lock(
        session,
        plans | {row.plan_id for row in later if isinstance(row, Milestone) and row.plan_id},
    )
    if plans or later:
        pending = session.info.setdefault(_PENDING, (set(), []))
        pending[0].update(plans)
        pending[1].extend(later)


@event.listens_for(Session, "after_flush_postexec")
def _refresh_noted(session: Session, _context: UOWTransaction) -> None:
    plans, later = session.info.pop(_PENDING, (set(), []))
    # The new rows' plans have an id now.
    plans.update(plan_id for row in later if (plan_id := _plan_id(row)) is not None)
    refresh_summaries(session, plans)
