"""Which stored progress reports a write may have changed: counted, so a download can tell.

The report reads a rep's plan and milestones, certifications, commitments, debriefs,
agreements, name and the curriculum. Rather than list those (and miss one a service starts to
read), every table counts unless it is listed in :data:`UNRELATED`: tables no part of the
report reads (a test checks that the report reads none of them). A write of a row of any other
table adds one to ``changes`` of the stored reports it may affect: its rep's (a row with
``rep_id``, one whose plan, milestone, attempt, assessment, debrief or agreement has one, the
person's own ``users`` row), or every stored report when the row names no rep (the
organisation, a template). A bulk ``UPDATE``/``DELETE``/``INSERT`` through the session counts
for every report (a write of a column to itself, a lock, for none). The reps are noted at each
flush and counted once, in the writer's transaction just before it commits, so the count
commits or rolls back with the writes and costs one statement per transaction. Only
statements on a raw connection escape it; the services write those to summary tables the
report does not read (activity, certification standings).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction
from sqlalchemy.sql.elements import ColumnElement

from app.accounts.models import User
from app.exports.models import StoredProgressReport

# Tables the report never reads, written often (sign-ins, mail, notifications, activity).
UNRELATED = frozenset(
    {
        "acknowledgements", "activity_figures", "activity_imports", "activity_ramp_months",
        "activity_ramp_starts", "activity_sources", "activity_weeks", "agreement_events",
        "agreement_exports", "api_tokens", "buddy_check_ins", "buddy_commitments",
        "buddy_lapses", "buddy_pairings", "bulk_sends", "calendar_feeds",
        "certification_standings", "cohort_uploads", "debrief_ratings", "digests_sent",
        "escalations", "invitations", "milestone_events", "notice_episodes",
        "notification_preferences", "notifications", "outbound_mails", "outcome_definitions",
        "password_resets", "points_rules", "pulse_answers", "pulse_requests", "pulse_responses",
        "quest_completions", "quest_templates", "recognitions", "rep_status_days",
        "security_events", "sign_ins", "stored_progress_reports", "table_exports",
        "team_leaderboards", "webhook_attempts", "webhook_deliveries", "webhook_endpoints",
        "webhook_events",
    }
)  # fmt: skip
EVERY_REP = None
# The relationships through which a row names its rep (a score's assessment's attempt's rep).
_PARENTS = ("plan", "milestone", "attempt", "assessment", "score", "debrief", "agreement")
_PENDING = "exports.report_changes"  # (reps, every rep?) written since the last count
_COMMITTING = "exports.report_committing"


def _table_of(instance: object) -> str:
    return str(inspect(instance).mapper.persist_selectable.name)


def _reps_of(instance: object, depth: int = 0) -> set[int] | None:
    """The reps whose report this row may change (before and after the flush); None: any."""
    if isinstance(instance, User):
        return {instance.id}
    state = inspect(instance)
    attrs = state.mapper.attrs
    if "rep_id" in attrs:
        history = state.attrs["rep_id"].history
        return {rep for rep in [*history.deleted, getattr(instance, "rep_id", None)] if rep}
    for name in _PARENTS:
        key = f"{name}_id"
        if name in attrs and key in attrs and depth < 3:
            if state.attrs[key].history.deleted:  # moved to another parent
                return EVERY_REP
            parent = getattr(instance, name)
            return _reps_of(parent, depth + 1) if parent is not None else EVERY_REP
    return EVERY_REP


def _changed(session: Session) -> tuple[set[int], bool]:
    reps: set[int] = set()
    for instance in [*session.new, *session.deleted, *session.dirty]:
        if _table_of(instance) in UNRELATED:
            continue
        if instance in session.dirty and not session.is_modified(instance):
            continue
        found = _reps_of(instance)
        if found is EVERY_REP:
            return reps, True
        reps.update(found)
    return reps, False


def _note(session: Session, reps: set[int], everyone: bool) -> None:
    """Count now when the transaction is committing, else once before it commits."""
    if session.info.get(_COMMITTING):
        _count(session, reps, everyone)
        return
    pending, every = session.info.get(_PENDING, (set(), False))
    session.info[_PENDING] = (pending | reps, every or everyone)


def _count(session: Session, reps: set[int], everyone: bool) -> None:
    if not (reps or everyone):
        return
    table = StoredProgressReport.__table__
    statement = update(table).values(changes=table.c.changes + 1)
    if not everyone:
        statement = statement.where(table.c.rep_id.in_(sorted(reps)))
    session.connection().execute(statement)  # a connection: no ORM events, no autoflush


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context: UOWTransaction) -> None:
    """After the flush (new rows have their ids), before the transaction commits."""
    reps, everyone = _changed(session)
    if reps or everyone:
        _note(session, reps, everyone)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_writes(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    target: Any = getattr(state.statement, "table", None)
    if target is None or getattr(target, "name", None) in UNRELATED:
        return
    if state.is_update and _writes_nothing(state.statement):
        return
    _note(state.session, set(), everyone=True)


def _writes_nothing(statement: Any) -> bool:
    """A write of columns to themselves (``app.once.lock`` takes a row's lock with one)."""
    values = getattr(statement, "_values", None) or {}
    return bool(values) and all(
        isinstance(value, ColumnElement) and value.compare(column)
        for column, value in values.items()
    )


@event.listens_for(Session, "before_commit")
def _count_before_commit(session: Session) -> None:
    """One count per transaction, in it: it commits, or rolls back, with the writes."""
    session.flush()
    session.info[_COMMITTING] = True  # a flush by a later hook of this commit counts at once
    reps, everyone = session.info.pop(_PENDING, (set(), False))
    _count(session, reps, everyone)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended: its writes were counted, or rolled back with it.

    (A savepoint rolled back keeps its notes: counting a write that did not happen only
    reads a report again.)"""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_COMMITTING, None)
