"""Each rep's standing per stage (:class:`CertificationStanding`), kept in step with every write.

The matrix's due list and pass rates speak of every rep the viewer oversees; read from the
raw rows they join a thousand plans' certification milestones with every attempt on each
view. The summary holds one narrow row per (rep, stage) instead, and is rewritten for a rep
whenever a flush changes what it summarises: a plan assigned or archived, a certification
milestone added, moved or removed, an attempt opened, decided, corrected or removed.

One session hook does it rather than a call in each service, because the writers live in
layers below certification (plans assigns and archives plans) and in demos that set columns
directly: every ORM write passes through a flush, so none can forget. The hook notes the
reps before the flush and rewrites their rows after it, in the same transaction, with two
statements whatever the number of reps.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import (
    Date,
    Select,
    and_,
    case,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session, UOWTransaction

from app.certification.models import CertificationAttempt, CertificationStanding
from app.plans.models import Milestone, Plan

_PENDING = "salesramp.standings_to_refresh"
# Changes to these columns change a standing; others (a milestone's status, an attempt's
# explanation or stored certificate) do not, and leave the summary alone.
_PLAN_COLUMNS = ("rep_id", "archived_at")
_MILESTONE_COLUMNS = ("plan_id", "certification_stage", "due_date")
_ATTEMPT_COLUMNS = ("rep_id", "stage", "decided_at", "passed", "expires_on")


def standings_query(rep_ids: Collection[int] | None = None) -> Select[Any]:
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


def refresh_standings(session: Session, rep_ids: Collection[int]) -> None:
    """Rewrite the reps' standings from their plans and attempts (two statements)."""
    if not rep_ids:
        return
    ids = sorted(rep_ids)
    table = CertificationStanding.__table__
    connection = session.connection()
    connection.execute(delete(table).where(table.c.rep_id.in_(ids)))
    columns = ["rep_id", "stage", "due_on", "valid_until", "decided", "passed"]
    connection.execute(insert(table).from_select(columns, standings_query(ids)))


def _changed(instance: object, columns: tuple[str, ...]) -> bool:
    state = inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in columns)


def _previous_rep(instance: object) -> set[int]:
    """The rep a row belonged to before this flush (moving a row changes two standings)."""
    return {value for value in inspect(instance).attrs["rep_id"].history.deleted if value}


def _touched(session: Session) -> tuple[set[int], list[object]]:
    """The reps whose standing the pending flush may change: their ids, and the new rows
    whose rep has no id until the flush."""
    reps: set[int] = set()
    later: list[object] = []
    for instance in [*session.new, *session.deleted, *session.dirty]:
        fresh = instance in session.new or instance in session.deleted
        if isinstance(instance, Milestone):
            if fresh or _changed(instance, _MILESTONE_COLUMNS):
                later.append(instance.plan)
        elif isinstance(instance, Plan | CertificationAttempt):
            columns = _PLAN_COLUMNS if isinstance(instance, Plan) else _ATTEMPT_COLUMNS
            if fresh or _changed(instance, columns):
                later.append(instance)
                reps.update(_previous_rep(instance))
    for row in later:
        if row is not None and getattr(row, "rep_id", None) is not None:
            reps.add(row.rep_id)  # type: ignore[attr-defined]
    return reps, [row for row in later if row is not None and row.rep_id is None]  # type: ignore[attr-defined]


@event.listens_for(Session, "before_flush")
def _note_reps(session: Session, _context: UOWTransaction, _instances: object) -> None:
    reps, later = _touched(session)
    if reps or later:
        pending = session.info.setdefault(_PENDING, (set(), []))
        pending[0].update(reps)
        pending[1].extend(later)


@event.listens_for(Session, "after_flush_postexec")
def _refresh_noted(session: Session, _context: UOWTransaction) -> None:
    reps, later = session.info.pop(_PENDING, (set(), []))
    # The new rows whose rep had no id before the flush have one now.
    reps.update(row.rep_id for row in later if row.rep_id is not None)
    refresh_standings(session, reps)
