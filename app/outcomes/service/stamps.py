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
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Executable, bindparam, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, object_session

from app.accounts.models import User
from app.coaching.models import Commitment
from app.derived import DerivedTable, Later, Watch, keep, previous
from app.extensions import db
from app.metrics.service.summaries import after_refresh
from app.outcomes.models import OutcomeStamp
from app.plans.models import Milestone, Plan

# A rep's own start date counts when they have no plan; nothing else of theirs is judged
# (their name and team are read afresh with every page).
_USER_COLUMNS = ("start_date",)


def bump_stamps(session: Session, rep_ids: Collection[int]) -> None:
    """Make every stored judgement of these reps stale (reps since deleted are skipped)."""
    if not rep_ids:
        return
    # Sorted, so two writers lock the same reps' stamps in the same order.
    reps = {"reps": sorted(rep_ids)}
    session.connection().execute(_bump(session.get_bind().dialect.name), reps)


@cache
def _bump(dialect_name: str) -> Executable:
    """The upsert, built once per dialect rather than on every flush."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    table = OutcomeStamp.__table__
    ids: BindParameter[Any] = bindparam("reps", expanding=True)
    reps = select(User.id, literal(1)).where(User.id.in_(ids)).order_by(User.id)
    statement = dialect.insert(table).from_select(["rep_id", "stamp"], reps)
    return statement.on_conflict_do_update(
        index_elements=[table.c.rep_id], set_={"stamp": table.c.stamp + 1}
    )


def _bump_for_figures(rep_ids: Collection[int]) -> None:
    bump_stamps(db.session(), rep_ids)


after_refresh(_bump_for_figures)


def _reps(row: User | Plan | Commitment | Milestone) -> list[int | Later]:
    """The reps whose outcomes a written row changes, before and after the write; a row's
    rep (or its plan's) may be known only after the flush."""
    if isinstance(row, User):
        return [row.id]
    if isinstance(row, Milestone):
        # A milestone moved to another plan changes the outcomes of both reps.
        session = object_session(row)
        assert session is not None  # a row being flushed is in the flushing session
        moved = (session.get(Plan, plan_id) for plan_id in previous(row, "plan_id"))
        plans = [row.plan, *moved]
        return [_rep_of(plan) for plan in plans if plan is not None]
    return [*previous(row, "rep_id"), _rep_of(row)]


def _rep_of(row: Plan | Commitment) -> Later:
    return lambda: row.rep_id


keep(
    DerivedTable(
        name="outcome_stamps",
        watches=(
            Watch(User, _USER_COLUMNS, added=False, deleted=False),
            Watch(Plan),
            Watch(Commitment),
            Watch(Milestone),
        ),
        keys=_reps,
        refresh=bump_stamps,
        # No lock: the bump is one upsert that only counts, whatever the order of writers.
    )
)
