"""Progress on a plan: the rep reports, the coach verifies, certifications complete."""

from __future__ import annotations

import math

from app import once
from app.accounts.access import require_view_person
from app.accounts.models import User
from app.errors import Conflict, Invalid
from app.extensions import db
from app.lookup import get_or_not_found
from app.notifications.service import notify
from app.plans.models import MeasureKind, Milestone, MilestoneEvent, MilestoneStatus
from app.plans.service.access import require_manage_plans_of, require_report_progress
from app.plans.service.assigning import active_plan, now
from app.webhooks.models import EventType
from app.webhooks.service import record_event


def milestone_link(milestone_id: int) -> str:
    """Where a notification about a milestone points (tests check it matches the route)."""
    return f"/milestones/{milestone_id}"


def get_milestone(actor: User, milestone_id: int) -> Milestone:
    milestone = get_or_not_found(Milestone, milestone_id, "No such milestone.")
    require_view_person(actor, milestone.plan.rep)
    return milestone


def record_progress(
    actor: User,
    milestone: Milestone,
    *,
    value: float | None = None,
    note: str = "",
    evidence_url: str = "",
    key: str | None = None,
) -> Milestone:
    """The rep reports a milestone done, or a number towards its target.

    A measured milestone is done when the number reaches the target; below it, the number is
    recorded as progress. Milestones that need verification wait for the coach. A repeat of
    the same form (``key``) answers with the milestone as the first submission left it.
    """
    require_report_progress(actor, milestone)
    if once.repeated(key, milestone, Milestone.status):
        return milestone
    _require_active(milestone)
    if milestone.status != MilestoneStatus.OPEN:
        raise Conflict("This milestone is already reported; your coach will verify it.")
    if milestone.measure_kind == MeasureKind.CERTIFICATION:
        raise Conflict("A certification milestone is completed when you pass the certification.")
    evidence_url = evidence_url.strip()
    if evidence_url and not evidence_url.lower().startswith(("https://", "http://")):
        raise Invalid("Enter a full link, starting with https://", field="evidence_url")
    reached = True
    if milestone.measure_kind == MeasureKind.NUMBER:
        if value is None:
            raise Invalid("Enter the number you reached.", field="value")
        if not math.isfinite(value):
            raise Invalid("Enter a number you actually reached.", field="value")
        if value < 0:
            raise Invalid("The number cannot be negative.", field="value")
        reached = milestone.target is not None and value >= milestone.target
        milestone.value = value
    milestone.note = note.strip()
    milestone.evidence_url = evidence_url
    if not reached:
        _record(milestone, actor, "progress", value=value, note=note)
    elif milestone.requires_verification:
        _submit(milestone, actor, "submitted", value=value, note=note)
    else:
        _complete(milestone, actor, "completed", value=value, note=note)
    db.session.flush()
    return milestone


def verify(
    actor: User, milestone: Milestone, comment: str = "", key: str | None = None
) -> Milestone:
    """The coach confirms a milestone the rep submitted for verification (once per form)."""
    require_manage_plans_of(actor, milestone.plan.rep)
    if once.repeated(key, milestone, Milestone.status):
        return milestone
    _require_active(milestone)
    if milestone.status == MilestoneStatus.DONE:
        raise Conflict("This milestone is already done.")
    if milestone.measure_kind == MeasureKind.CERTIFICATION:
        raise Conflict(
            "A certification milestone is completed by passing the certification: "
            "assess it from the rep's certifications."
        )
    if milestone.status != MilestoneStatus.SUBMITTED:
        raise Conflict("The rep has not reported this milestone yet.")
    milestone.verified_by = actor
    _complete(milestone, actor, "verified", note=comment)
    said = f": {comment.strip()}" if comment.strip() else "."
    message = f"{actor.full_name} verified your milestone “{milestone.title}”{said}"
    _tell_rep(milestone, "milestone-verified", message)
    db.session.flush()
    return milestone


def send_back(actor: User, milestone: Milestone, comment: str, key: str | None = None) -> Milestone:
    """The coach returns a submitted milestone to the rep with what is still missing."""
    require_manage_plans_of(actor, milestone.plan.rep)
    if once.repeated(key, milestone, Milestone.status):
        return milestone
    _require_active(milestone)
    if milestone.status != MilestoneStatus.SUBMITTED:
        raise Conflict("Only a milestone waiting for verification can be sent back.")
    if not comment.strip():
        raise Invalid("Tell the rep what is still missing.", field="comment")
    milestone.status = MilestoneStatus.OPEN
    milestone.submitted_at = None
    milestone.feedback = comment.strip()
    _record(milestone, actor, "sent back", note=comment)
    message = f"{actor.full_name} sent back your milestone “{milestone.title}”: {comment.strip()}"
    _tell_rep(milestone, "milestone-sent-back", message)
    db.session.flush()
    return milestone


def meet_from_actuals(actor: User | None, milestone: Milestone, value: float, note: str) -> bool:
    """A number milestone whose actuals (imported or logged activity) reached its target: done,
    or submitted for the coach where it needs verifying. Once: only an open milestone of an
    active plan changes, so re-importing the same figures changes nothing. ``actor`` is who
    brought the figures (None: the command line); the event says it came from activity.
    """
    if milestone.status != MilestoneStatus.OPEN or milestone.plan.archived_at is not None:
        return False
    if milestone.measure_kind != MeasureKind.NUMBER:
        return False
    milestone.value = value
    if milestone.requires_verification:
        _submit(milestone, actor, "met from activity", value=value, note=note)
    else:
        _complete(milestone, actor, "met from activity", value=value, note=note)
        _tell_rep(milestone, "milestone-met", f"Your figures met “{milestone.title}”: {note}")
    return True


def open_certification_milestones(rep: User, stage: str) -> list[Milestone]:
    """The milestones of the rep's active plan that passing ``stage``'s certification completes."""
    plan = active_plan(rep)
    if plan is None:
        return []
    return [
        m
        for m in plan.milestones
        if m.measure_kind == MeasureKind.CERTIFICATION and m.certification_stage == stage
    ]


def complete_certification_milestones(
    rep: User, stage: str, actor: User, note: str
) -> list[Milestone]:
    """Passing a certification completes its milestones; called by the certification service."""
    completed = []
    for milestone in open_certification_milestones(rep, stage):
        if milestone.status != MilestoneStatus.DONE:
            milestone.verified_by = actor
            _complete(milestone, actor, "certified", note=note)
            completed.append(milestone)
    db.session.flush()
    return completed


def reopen_certification_milestones(
    rep: User, stage: str, actor: User, note: str
) -> list[Milestone]:
    """A correction turned a pass into a fail: the milestone is open again, on the record."""
    reopened = []
    for milestone in open_certification_milestones(rep, stage):
        if milestone.status == MilestoneStatus.DONE:
            milestone.status = MilestoneStatus.OPEN
            milestone.completed_at = None
            milestone.verified_by = None
            _record(milestone, actor, "reopened", note=note)
            reopened.append(milestone)
    db.session.flush()
    return reopened


def _ask_coach_to_verify(milestone: Milestone) -> None:
    """The verification now waits on the rep's coach: they hear of it, by email too."""
    rep = milestone.plan.rep
    if rep.coach is not None:
        message = f"{rep.full_name} submitted “{milestone.title}” for you to verify."
        link = milestone_link(milestone.id)
        notify(rep.coach, "milestone-to-verify", message, link, waits_on_recipient=True)


def _tell_rep(milestone: Milestone, kind: str, message: str) -> None:
    """The rep learns of their coach's decision in the same transaction as the decision."""
    notify(milestone.plan.rep, kind, message, milestone_link(milestone.id))


def _require_active(milestone: Milestone) -> None:
    if milestone.plan.archived_at is not None:
        raise Conflict("This plan has been replaced by a newer one.")


def _submit(
    milestone: Milestone, actor: User | None, action: str, value: float | None, note: str
) -> None:
    """Done by the rep's account: now it waits for the coach, who hears of it."""
    milestone.status = MilestoneStatus.SUBMITTED
    milestone.submitted_at = now()
    milestone.feedback = ""
    _record(milestone, actor, action, value=value, note=note)
    _ask_coach_to_verify(milestone)


def _complete(
    milestone: Milestone,
    actor: User | None,
    action: str,
    value: float | None = None,
    note: str = "",
) -> None:
    milestone.status = MilestoneStatus.DONE
    milestone.completed_at = now()
    milestone.feedback = ""
    _record(milestone, actor, action, value=value, note=note)
    record_event(EventType.MILESTONE_DONE, milestone_payload(milestone))


def milestone_payload(milestone: Milestone) -> dict[str, object]:
    """What a webhook says about a milestone: ids and plan fields, nothing about the person."""
    return {
        "milestone_id": milestone.id,
        "plan_id": milestone.plan_id,
        "rep_id": milestone.plan.rep_id,
        "key": milestone.key,
        "title": milestone.title,
        "phase": milestone.phase,
        "due_date": milestone.due_date.isoformat(),
        "completed_at": milestone.completed_at.isoformat() if milestone.completed_at else None,
    }


def _record(
    milestone: Milestone,
    actor: User | None,
    action: str,
    value: float | None = None,
    note: str = "",
) -> None:
    milestone.events.append(
        MilestoneEvent(actor=actor, at=now(), action=action, value=value, note=note.strip())
    )
