"""Bumping a rep's outcome stamp whenever what their outcomes are judged from is written, in
the same transaction, so a stored judgement (:class:`app.outcomes.models.OutcomeJudgement`)
made before the write is never read again.

Two ways in, and nothing else writes those rows: a session hook sees every ORM write of a plan
(start, template, archiving), a milestone (any change: due date, status, submission), a
commitment (its outcome) and a rep's own start date; and the figures, written with Core
statements, reach ``refresh_summaries``, which calls :func:`bump_stamps` for the reps it
touched. One statement whatever the number of reps.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import event, inspect, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, UOWTransaction

from app.accounts.models import User
from app.coaching.models import Commitment
from app.extensions import db
from app.metrics.service.summaries import after_refresh
from app.outcomes.models import OutcomeStamp
from app.plans.models import Milestone, Plan

_PENDING = "salesramp.outcome_stamps_to_bump"
# A rep's own start date counts when they have no plan; nothing else of theirs is judged
# (their name and team are read afresh with every page).
_USER_COLUMNS = ("start_date",)


def bump_stamps(session: Session, rep_ids: Collection[int]) -> None:
    """Make every stored judgement of these reps stale (reps since deleted are skipped)."""
    if not rep_ids:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = OutcomeStamp.__table__
    # Sorted, so two writers lock the same reps' stamps in the same order.
    reps = select(User.id, literal(1)).where(User.id.in_(sorted(rep_ids))).order_by(User.id)
    statement = dialect.insert(table).from_select(["rep_id", "stamp"], reps)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.rep_id], set_={"stamp": table.c.stamp + 1}
    )
    session.connection().execute(statement)


def _bump_for_figures(rep_ids: Collection[int]) -> None:
    bump_stamps(db.session(), rep_ids)


after_refresh(_bump_for_figures)


def _previous(instance: object, column: str) -> set[int]:
    return {value for value in inspect(instance).attrs[column].history.deleted if value}


def _touched(session: Session) -> tuple[set[int], list[object]]:
    """The reps whose outcomes the pending flush may change, and rows whose rep (or plan) is
    only known after the flush."""
    reps: set[int] = set()
    later: list[object] = []
    for instance in [*session.new, *session.deleted, *session.dirty]:
        fresh = instance in session.new or instance in session.deleted
        if isinstance(instance, User):
            attrs: Any = inspect(instance).attrs
            if not fresh and any(attrs[c].history.has_changes() for c in _USER_COLUMNS):
                reps.add(instance.id)
        elif isinstance(instance, Plan | Commitment):
            if fresh or session.is_modified(instance, include_collections=False):
                later.append(instance)
                reps.update(_previous(instance, "rep_id"))
        elif isinstance(instance, Milestone) and (
            fresh or session.is_modified(instance, include_collections=False)
        ):
            later.append(instance.plan)
            # A milestone moved to another plan changes the outcomes of both reps.
            later.extend(session.get(Plan, plan_id) for plan_id in _previous(instance, "plan_id"))
    return reps, later


def _rep_of(row: object) -> int | None:
    rep_id: int | None = getattr(row, "rep_id", None)
    return rep_id


@event.listens_for(Session, "before_flush")
def _note_reps(session: Session, _context: UOWTransaction, _instances: object) -> None:
    reps, later = _touched(session)
    if reps or later:
        pending = session.info.setdefault(_PENDING, (set(), []))
        pending[0].update(reps)
        pending[1].extend(later)


@event.listens_for(Session, "after_flush_postexec")
def _bump_noted(session: Session, _context: UOWTransaction) -> None:
    reps, later = session.info.pop(_PENDING, (set(), []))
    for row in later:
        rep_id = _rep_of(row)
        if rep_id is not None:
            reps.add(rep_id)
    bump_stamps(session, reps)
