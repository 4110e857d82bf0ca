"""Each rep's standing per stage (:class:`CertificationStanding`), kept in step with every write.

The matrix's due list and pass rates speak of every rep the viewer oversees; read from the
raw rows they join a thousand plans' certification milestones with every attempt on each
view. The summary holds one narrow row per (rep, stage) instead, and is rewritten for a rep
whenever a flush changes what it summarises: a plan assigned or archived, a certification
milestone added, moved or removed, an attempt opened, decided, corrected or removed.

A flush hook (:mod:`app.derived`) does it rather than a call in each service, because the
writers live in layers below certification (plans assigns and archives plans) and in demos
that set columns directly: every ORM write passes through a flush, so none can forget. It
notes the reps before the flush, locks their ``users`` rows on PostgreSQL (so two
transactions writing under one rep rewrite its rows one after the other, rather than both
deleting and then inserting), and rewrites their rows after the flush, in the same
transaction, with two statements whatever the number of reps.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import (
    BindParameter,
    Date,
    Select,
    and_,
    case,
    func,
    literal,
    null,
    select,
    union_all,
)

from app.accounts.models import User
from app.certification.models import CertificationAttempt, CertificationStanding
from app.derived import DerivedTable, Later, Lock, Watch, keep, previous, rewrite
from app.plans.models import Milestone, Plan

# Changes to these columns change a standing; others (a milestone's status, an attempt's
# explanation or stored certificate) do not, and leave the summary alone.
_PLAN_COLUMNS = ("rep_id", "archived_at")
_MILESTONE_COLUMNS = ("plan_id", "certification_stage", "due_date")
_ATTEMPT_COLUMNS = ("rep_id", "stage", "decided_at", "passed", "expires_on")


def standings_query(rep_ids: Collection[int] | BindParameter[Any] | None = None) -> Select[Any]:
    """The standings recomputed from the raw rows (of ``rep_ids``, or of everyone): what the
    summary holds, and what the tests compare it with."""
    attempt = CertificationAttempt
    decided = attempt.decided_at.is_not(None)
    passed = and_(decided, attempt.passed.is_(True))
    columns: list[Any] = [
        Plan.rep_id.label("rep_id"),
        Milestone.certification_stage.label("stage"),
        Milestone.due_date.label("due_on"),
        null().label("valid_until"),
        literal(0).label("decided"),
        literal(0).label("passed"),
    ]
    due: Select[Any] = (
        select(*columns)
        .join_from(Milestone, Plan, Plan.id == Milestone.plan_id)
        .where(Milestone.certification_stage.is_not(None), Plan.archived_at.is_(None))
    )
    attempts: Select[Any] = select(
        attempt.rep_id,
        attempt.stage,
        null(),
        case((passed, attempt.expires_on)),
        case((decided, 1), else_=0),
        case((passed, 1), else_=0),
    )
    if rep_ids is not None:
        due = due.where(Plan.rep_id.in_(rep_ids))
        attempts = attempts.where(attempt.rep_id.in_(rep_ids))
    rows = union_all(due, attempts).subquery("facts")
    return select(
        rows.c.rep_id,
        rows.c.stage,
        func.min(rows.c.due_on, type_=Date).label("due_on"),
        func.max(rows.c.valid_until, type_=Date).label("valid_until"),
        func.sum(rows.c.decided).label("decided"),
        func.sum(rows.c.passed).label("passed"),
    ).group_by(rows.c.rep_id, rows.c.stage)


refresh_standings = rewrite(
    CertificationStanding.__table__,
    "rep_id",
    ["rep_id", "stage", "due_on", "valid_until", "decided", "passed"],
    standings_query,
)
"""Rewrite the reps' standings from their plans and attempts (two statements)."""


def _reps(row: Plan | Milestone | CertificationAttempt) -> list[int | Later]:
    """The reps whose standing a written row changes: before the write (a row moved to
    another rep changes two standings) and after it, once the flush gives a new row its rep."""
    if isinstance(row, Milestone):
        owner: Plan | CertificationAttempt | None = row.plan
        found: list[int | Later] = []
    else:
        owner = row
        found = list(previous(row, "rep_id"))
    if owner is None:
        return found
    if owner.rep_id is not None:
        return [*found, owner.rep_id]
    return [*found, lambda: owner.rep_id]


keep(
    DerivedTable(
        name="certification_standings",
        watches=(
            Watch(Plan, _PLAN_COLUMNS),
            Watch(Milestone, _MILESTONE_COLUMNS),
            Watch(CertificationAttempt, _ATTEMPT_COLUMNS),
        ),
        keys=_reps,
        refresh=refresh_standings,
        lock=Lock(User, rank=0),  # the rep, as assessing and assigning lock them (``once.lock``)
    )
)
