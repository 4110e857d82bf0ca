"""Which stored progress reports a write may have changed: counted, so a download can tell.

The report reads a rep's plan and milestones, certifications, commitments, debriefs,
agreements, name and the curriculum. Rather than list those (and miss one a service starts to
read), every table counts unless it is listed in :data:`UNRELATED`: tables no part of the
report reads (a test checks that the report reads none of them). A flush that adds, changes
or deletes a row of any other table adds one to ``changes`` of the stored reports it may
affect: its rep's (a row with ``rep_id``, a milestone through its plan, the person's own
``users`` row), or every stored report when the row names no rep (the organisation, a
template, a signature). A bulk ``UPDATE``/``DELETE``/``INSERT`` through the session counts for
every report. Counting runs in the writer's transaction, so it commits or rolls back with the
write. Only statements on a raw connection escape it; the services write those to summary
tables the report does not read (activity, certification standings).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

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


def _table_of(instance: object) -> str:
    return str(inspect(instance).mapper.persist_selectable.name)


def _reps_of(instance: object) -> set[int] | None:
    """The reps whose report this row may change (before and after the flush); None: any."""
    state = inspect(instance)
    if isinstance(instance, User):
        return {instance.id}
    attrs = state.mapper.attrs
    if "rep_id" in attrs:
        history = state.attrs["rep_id"].history
        return {rep for rep in [*history.deleted, getattr(instance, "rep_id", None)] if rep}
    if "plan" in attrs and "plan_id" in attrs and not state.attrs["plan_id"].history.deleted:
        plan = getattr(instance, "plan", None)
        if plan is not None and plan.rep_id is not None:
            return {plan.rep_id}
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


def _count(session: Session, reps: set[int], everyone: bool) -> None:
    table = StoredProgressReport.__table__
    statement = update(table).values(changes=table.c.changes + 1)
    if not everyone:
        statement = statement.where(table.c.rep_id.in_(sorted(reps)))
    session.connection().execute(statement)  # a connection: no ORM events, no autoflush


@event.listens_for(Session, "after_flush")
def _count_changes(session: Session, _context: UOWTransaction) -> None:
    """After the flush (new rows have their ids), before the transaction commits."""
    reps, everyone = _changed(session)
    if reps or everyone:
        _count(session, reps, everyone)


@event.listens_for(Session, "do_orm_execute")
def _count_bulk_changes(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    target: Any = getattr(state.statement, "table", None)
    if target is not None and getattr(target, "name", None) not in UNRELATED:
        _count(state.session, set(), everyone=True)
