"""Pausing a plan for leave and resuming it: HR or an admin, on the record.

The arithmetic is :mod:`app.plans.pause`; this module applies it to a plan's rows. Open
milestones move by the pause's length when it is recorded (each with a ``paused`` event in its
history, the plan's audit trail) and back by the unused days when the rep returns early. A plan
has at most one pause not yet over, mirrored on the plan row (``paused_from``/``paused_until``)
so that every list tells a paused rep from the plan it loads anyway.
"""

from __future__ import annotations

from datetime import date, timedelta

from app import once
from app.accounts.access import require_role
from app.accounts.models import Role, User
from app.accounts.service import local_today
from app.errors import Conflict, Invalid
from app.extensions import db
from app.lookup import get_or_not_found
from app.notifications.service import notify
from app.plans.models import UNFINISHED, Milestone, MilestoneEvent, Plan, PlanPause
from app.plans.pause import Pause, early_return_days
from app.plans.service.assigning import now

REASON_LENGTH = 500
# A pause longer than this is a typo or a leaver, not leave.
MAX_PAUSE_DAYS = 366


def can_pause(actor: User) -> bool:
    """HR and admins pause plans: leave is a people matter, not a coaching one."""
    return actor.is_active and actor.has_role(Role.HR, Role.ADMIN)


def require_pause(actor: User) -> None:
    require_role(actor, Role.HR, Role.ADMIN)


def get_pause(actor: User, pause_id: int) -> PlanPause:
    require_pause(actor)
    return get_or_not_found(PlanPause, pause_id, "No such pause.")


def current_pause(plan: Plan) -> PlanPause | None:
    """The plan's pause that is running or still to come (what Resume acts on)."""
    if plan.paused_until is None:
        return None
    return next((p for p in plan.pauses if p.ends_on == plan.paused_until), None)


def pause_plan(
    actor: User,
    plan: Plan,
    first_day: date | None,
    last_day: date | None,
    reason: str,
    key: str | None = None,
) -> PlanPause:
    """Pause ``plan`` from ``first_day`` to ``last_day`` (both on leave), once per form."""
    require_pause(actor)
    earlier = once.earlier_result(key, PlanPause)
    if earlier is not None:
        return earlier
    # The rep before the plan, as assessing and every flush lock them (app/derived.py): moving
    # a certification milestone rewrites the rep's standings, so the flush locks the rep too.
    once.lock(plan.rep, User.active)
    once.lock(plan, Plan.paused_until)  # two pauses sent at once: the second sees the first
    pause = _valid_pause(plan, first_day, last_day, reason, local_today(actor))
    record = PlanPause(
        first_day=pause.first_day,
        back_on=pause.back_on,
        reason=reason.strip(),
        shifted_days=pause.days,
        created_by=actor,
        created_at=now(),
    )
    plan.pauses.append(record)
    plan.paused_from, plan.paused_until = pause.first_day, pause.back_on
    note = f"Paused {_span(pause)}: {record.reason}"
    _move_open_milestones(plan, pause.days, actor, "paused", note)
    message = (
        f"{actor.full_name} paused your plan {_span(pause)}. Due dates move by {_days(pause.days)}."
    )
    notify(plan.rep, "plan-paused", message, ramp_link(plan.rep_id))
    db.session.flush()
    once.remember_result(key, record.id)
    return record


def resume_plan(actor: User, record: PlanPause, key: str | None = None) -> PlanPause:
    """End a pause early: the rep is back today, so open milestones move back by the unused days.

    A pause that has not started yet is cancelled (it lasted no day). Once per form; a pause
    already over cannot be resumed.
    """
    require_pause(actor)
    plan = record.plan
    once.lock(plan.rep, User.active)  # the rep before the plan, as in pause_plan
    if once.repeated(key, plan, Plan.paused_until):
        return record
    db.session.refresh(record)
    today = local_today(actor)
    if record.resumed_on is not None or record.back_on <= today:
        raise Conflict("This pause is already over.")
    planned = Pause(record.first_day, record.back_on)
    unused = early_return_days(planned, today)
    actual = planned.resumed_on(today)
    record.resumed_on, record.resumed_by, record.resumed_at = actual.back_on, actor, now()
    record.shifted_days = actual.days
    plan.paused_until = actual.back_on
    if not actual.days:
        plan.paused_from = plan.paused_until = None
    note = f"Resumed on {actual.back_on:%-d %b %Y}, {_days(unused)} early."
    _move_open_milestones(plan, -unused, actor, "resumed", note)
    notify(
        plan.rep,
        "plan-resumed",
        f"{actor.full_name} resumed your plan. {note}",
        ramp_link(plan.rep_id),
    )
    db.session.flush()
    return record


def ramp_link(rep_id: int) -> str:
    """Where a notification about a rep's plan points (tests check it matches the route)."""
    return f"/reps/{rep_id}"


def _valid_pause(
    plan: Plan, first_day: date | None, last_day: date | None, reason: str, today: date
) -> Pause:
    if plan.archived_at is not None:
        raise Conflict("This plan has been replaced by a newer one.")
    if first_day is None:
        raise Invalid("Enter the first day of leave.", field="first_day")
    if last_day is None:
        raise Invalid("Enter the last day of leave.", field="last_day")
    if last_day < first_day:
        raise Invalid("The last day of leave is on or after the first.", field="last_day")
    if (last_day - first_day).days >= MAX_PAUSE_DAYS:
        raise Invalid(f"A pause lasts at most {MAX_PAUSE_DAYS} days.", field="last_day")
    if not reason.strip():
        raise Invalid("Say why the plan is paused; the rep will see it.", field="reason")
    if len(reason.strip()) > REASON_LENGTH:
        raise Invalid(f"Keep the reason under {REASON_LENGTH} characters.", field="reason")
    if plan.paused_until is not None and plan.paused_until > today:
        raise Conflict("This plan is already paused; resume it before pausing it again.")
    pause = Pause.inclusive(first_day, last_day)
    for earlier in plan.pauses:
        if pause.overlaps(Pause(earlier.first_day, earlier.ends_on)):
            raise Invalid("These days overlap an earlier pause.", field="first_day")
    return pause


def _move_open_milestones(plan: Plan, days: int, actor: User, action: str, note: str) -> None:
    """Move every milestone not yet done by ``days``, each with an event in its history."""
    if not days:
        return
    moved = db.session.scalars(
        db.select(Milestone).where(Milestone.plan_id == plan.id, UNFINISHED)
    ).all()
    for milestone in moved:
        milestone.due_date += timedelta(days=days)
        event = MilestoneEvent(milestone_id=milestone.id, actor=actor, at=now(), action=action)
        event.note = note
        db.session.add(event)


def _span(pause: Pause) -> str:
    return f"from {pause.first_day:%-d %b %Y} to {pause.last_day:%-d %b %Y}"


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"
