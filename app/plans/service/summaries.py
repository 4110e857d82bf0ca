"""Each plan's milestones counted (:class:`PlanSummary`), kept in step with every write.

All reps needs every rep's status, and a status needs each plan's milestones counted against
the rep's today: read from the raw rows that is a thousand plans' open milestones grouped on
every view. The summary holds one narrow row per plan instead, rewritten whenever a flush adds,
moves or removes a milestone or changes its status, due date or phase, or adds a plan.

A flush hook (:mod:`app.derived`) does it, as for the certification standings, rather than
a call in each service: milestones are written by several services (progress, verifying,
pausing, assigning) and by the demo, and every ORM write passes through a flush, so none can
forget. The hook notes the plans before the flush and rewrites their rows after it, in the
same transaction. It locks the plans' rows first (on PostgreSQL; SQLite writes one at a time
anyway), so two transactions changing milestones of one plan at once cannot each write a
count that misses the other's change.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import BindParameter, Select, and_, case, func, select

from app.derived import DerivedTable, Later, Lock, Watch, keep, previous, rewrite
from app.plans.models import Milestone, MilestoneStatus, Plan, PlanSummary
from app.plans.service.overview import PHASES

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


def summaries_query(plan_ids: Collection[int] | BindParameter[Any] | None = None) -> Select[Any]:
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
    ids = sorted(plan_ids) if isinstance(plan_ids, Collection) else plan_ids
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


refresh_summaries = rewrite(PlanSummary.__table__, "plan_id", list(COLUMNS), summaries_query)
"""Rewrite the plans' summaries from their milestones (two statements; the flush hook has
locked the plans)."""


def _plans(row: Plan | Milestone) -> list[int | Later]:
    """The plans whose summary a written row changes: a new plan's (known after the flush),
    or a milestone's plan before and after the write (a move changes both plans' counts)."""
    if isinstance(row, Plan):
        return [lambda: row.id]
    found: list[int | Later] = list(previous(row, "plan_id"))
    # A milestone added to a plan already saved: its plan is locked before the flush writes
    # the milestone, as pausing a plan locks it (plan, then milestones), so the two cannot
    # deadlock; a new plan's milestones are only known after the flush.
    if row.plan_id is not None:
        found.append(row.plan_id)
    found.append(lambda: _plan_id(row))
    return found


def _plan_id(row: Milestone) -> int | None:
    return row.plan_id if row.plan_id is not None else (row.plan.id if row.plan else None)


keep(
    DerivedTable(
        name="plan_summaries",
        watches=(Watch(Plan, columns=(), deleted=False), Watch(Milestone, _MILESTONE_COLUMNS)),
        keys=_plans,
        refresh=refresh_summaries,
        lock=Lock(Plan, rank=1),
    )
)
