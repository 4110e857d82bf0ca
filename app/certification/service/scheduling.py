"""Scheduling certification assessments ahead: booking, rescheduling, cancelling, holding.

Whoever may assess the rep (their coach, or an admin: ``require_assess``) books a day, a start
time and a duration in their own time zone, a place or video link and a note. The rep is told
at once (in the app, and by email as their settings say: the assessment waits on them), and
again when it moves or is cancelled. Both see it on the rep's certifications and in their
calendar feeds; recording the assessment marks the booking held.

Each change is a conditional UPDATE on the booking's ``sequence`` (which calendar apps also
read): a change sent twice, or from a page older than someone else's change, is refused. A
new booking is made once per form (its submission key), however often the form is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app import once
from app.accounts.models import User
from app.certification.models import ScheduledAssessment, ScheduleStatus
from app.certification.service.access import can_assess, require_assess
from app.curriculum.service import stage_names
from app.errors import ChangedMeanwhile, Conflict, Invalid, NotAllowed, NotFound
from app.extensions import db
from app.notifications.service import notify
from app.timezones import in_zone, zone

# What the rep is told (``_tell_rep`` fills them in).
SCHEDULED = "{actor} scheduled your {stage} certification assessment: {when}{where}"
MOVED = "{actor} moved your {stage} certification assessment to {when}{where}"
CANCELLED = "{actor} cancelled your {stage} certification assessment of {when}: {reason}"

MIN_MINUTES = 15
MAX_MINUTES = 8 * 60
BOOKINGS_SHOWN = 20


@dataclass(frozen=True)
class Slot:
    """When and where, as the assessor typed it (a local day and time in their zone)."""

    on: date
    start: time
    minutes: int
    place: str = ""
    note: str = ""


def schedule_link(rep_id: int, stage: str) -> str:
    """The rep's page for the stage, where the booking shows (notifications point there)."""
    return f"/certifications/reps/{rep_id}/{stage}"


def local_start(slot: Slot, timezone: str) -> datetime:
    """The slot's start as naive UTC, from the day and time in ``timezone``."""
    local = datetime.combine(slot.on, slot.start, tzinfo=zone(timezone))
    return local.astimezone(UTC).replace(tzinfo=None)


def describe_when(moment: datetime, timezone: str) -> str:
    """ "Tue 4 Mar 2026, 14:00 CET": how a notification says when, in the reader's zone."""
    local = in_zone(moment, timezone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname() or 'UTC'}"


def schedule(
    actor: User, rep: User, stage: str, slot: Slot, key: str | None = None
) -> ScheduledAssessment:
    """Book an assessment of ``rep`` for ``stage`` with the actor as assessor; the rep is told."""
    require_assess(actor, rep)
    if not rep.active:
        raise Invalid("This rep is deactivated.")
    names = stage_names()
    if stage not in names:
        raise NotFound("There is no such stage.")
    earlier = once.earlier_result(key, ScheduledAssessment)
    if earlier is not None:
        return earlier  # the same form sent again: booked once
    starts_at = _checked_start(slot, actor.timezone)
    now = _now()
    booking = ScheduledAssessment(
        rep_id=rep.id,
        stage=stage,
        assessor_id=actor.id,
        starts_at=starts_at,
        duration_minutes=slot.minutes,
        timezone=actor.timezone,
        place=slot.place.strip()[:500],
        note=slot.note.strip(),
        status=ScheduleStatus.SCHEDULED,
        sequence=0,
        created_at=now,
        updated_at=now,
        cancel_reason="",
    )
    db.session.add(booking)
    db.session.flush()
    once.remember_result(key, booking.id)
    _tell_rep(booking, actor, SCHEDULED)
    return booking


def reschedule(
    actor: User, booking: ScheduledAssessment, slot: Slot, sequence: int
) -> ScheduledAssessment:
    """Move a booking (the form's ``sequence`` must still be current); the rep is told."""
    require_change(actor, booking)
    starts_at = _checked_start(slot, actor.timezone)
    _claim(
        booking,
        sequence,
        starts_at=starts_at,
        duration_minutes=slot.minutes,
        timezone=actor.timezone,
        place=slot.place.strip()[:500],
        note=slot.note.strip(),
        assessor_id=actor.id,
    )
    _tell_rep(booking, actor, MOVED)
    return booking


def cancel(
    actor: User, booking: ScheduledAssessment, reason: str, sequence: int
) -> ScheduledAssessment:
    """Cancel a booking, saying why; the rep is told and the calendars show it cancelled."""
    require_change(actor, booking)
    reason = reason.strip()
    if not reason:
        raise Invalid("Say why the assessment is cancelled.", field="reason")
    _claim(booking, sequence, status=ScheduleStatus.CANCELLED, cancel_reason=reason)
    _tell_rep(booking, actor, CANCELLED)
    return booking


def mark_held(rep_id: int, stage: str, attempt_id: int) -> None:
    """The assessment was recorded: the rep's earliest booking for the stage was it."""
    first = db.session.scalar(
        select(ScheduledAssessment.id)
        .where(
            ScheduledAssessment.rep_id == rep_id,
            ScheduledAssessment.stage == stage,
            ScheduledAssessment.status == ScheduleStatus.SCHEDULED,
        )
        .order_by(ScheduledAssessment.starts_at, ScheduledAssessment.id)
        .limit(1)
    )
    if first is None:
        return
    db.session.execute(
        update(ScheduledAssessment)
        .where(
            ScheduledAssessment.id == first,
            ScheduledAssessment.status == ScheduleStatus.SCHEDULED,
        )
        .values(
            status=ScheduleStatus.HELD,
            attempt_id=attempt_id,
            updated_at=_now(),
            sequence=ScheduledAssessment.sequence + 1,
        )
        .execution_options(synchronize_session=False)
    )


def can_change(actor: User, booking: ScheduledAssessment) -> bool:
    """Whoever may assess the rep: their coach (the assessor, usually) or an admin."""
    return actor.id != booking.rep_id and can_assess(actor, booking.rep)


def require_change(actor: User, booking: ScheduledAssessment) -> None:
    if not can_change(actor, booking):
        raise NotAllowed("Only the rep's coach or an admin changes a scheduled assessment.")
    if booking.status != ScheduleStatus.SCHEDULED:
        raise Conflict(f"This assessment is {booking.status.label.lower()} already.")


def get_booking(actor: User, booking_id: int) -> ScheduledAssessment:
    """A booking the actor may change; anyone else's answers as missing or forbidden."""
    booking = db.session.get(ScheduledAssessment, booking_id)
    if booking is None:
        raise NotFound("There is no such scheduled assessment.")
    if not can_change(actor, booking):
        raise NotAllowed("Only the rep's coach or an admin changes a scheduled assessment.")
    return booking


def bookings_of(rep: User, stage: str | None = None) -> list[ScheduledAssessment]:
    """The rep's bookings still to come, and the latest past ones, soonest first.

    The caller has checked that the actor may see the rep (two queries: bookings, assessors).
    """
    query = (
        select(ScheduledAssessment)
        .where(ScheduledAssessment.rep_id == rep.id)
        .options(selectinload(ScheduledAssessment.assessor))
        .order_by(ScheduledAssessment.starts_at.desc(), ScheduledAssessment.id.desc())
        .limit(BOOKINGS_SHOWN)
    )
    if stage is not None:
        query = query.where(ScheduledAssessment.stage == stage)
    return sorted(db.session.scalars(query), key=lambda b: (b.starts_at, b.id))


def upcoming_for_assessors(
    assessor_ids: list[int], now: datetime, days: int = 7
) -> list[ScheduledAssessment]:
    """Bookings these assessors still have to hold: in the next ``days``, or past and not yet
    recorded (for their work queues and digests). Two queries: bookings, and their reps."""
    if not assessor_ids:
        return []
    query = (
        select(ScheduledAssessment)
        .where(
            ScheduledAssessment.assessor_id.in_(assessor_ids),
            ScheduledAssessment.status == ScheduleStatus.SCHEDULED,
            ScheduledAssessment.starts_at < now + timedelta(days=days),
        )
        .options(selectinload(ScheduledAssessment.rep))
        .order_by(ScheduledAssessment.starts_at, ScheduledAssessment.id)
    )
    return list(db.session.scalars(query))


def _checked_start(slot: Slot, timezone: str) -> datetime:
    if not MIN_MINUTES <= slot.minutes <= MAX_MINUTES:
        raise Invalid(
            f"An assessment lasts from {MIN_MINUTES} minutes to {MAX_MINUTES // 60} hours.",
            field="minutes",
        )
    starts_at = local_start(slot, timezone)
    if starts_at < _now():
        raise Invalid("That time has passed: choose a time still to come.", field="on")
    return starts_at


def _claim(booking: ScheduledAssessment, sequence: int, **changes: Any) -> None:
    """Apply ``changes`` if the booking is still scheduled at ``sequence``; else refuse."""
    result = db.session.execute(
        update(ScheduledAssessment)
        .where(
            ScheduledAssessment.id == booking.id,
            ScheduledAssessment.sequence == sequence,
            ScheduledAssessment.status == ScheduleStatus.SCHEDULED,
        )
        .values(sequence=sequence + 1, updated_at=_now(), **changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.refresh(booking)
        if booking.status != ScheduleStatus.SCHEDULED:
            raise Conflict(f"This assessment was {booking.status.label.lower()} meanwhile.")
        raise ChangedMeanwhile(
            "Someone changed this assessment after you opened it; here it is as it is now."
        )
    db.session.refresh(booking)


def _tell_rep(booking: ScheduledAssessment, actor: User, message: str) -> None:
    """The rep hears of the change at once: when it is in their own zone, and where."""
    values = {
        "actor": actor.full_name,
        "stage": stage_names().get(booking.stage, booking.stage),
        "when": describe_when(booking.starts_at, booking.rep.timezone),
        "where": f" ({booking.place})." if booking.place else ".",
        "reason": booking.cancel_reason,
    }
    notify(
        booking.rep,
        "assessment-scheduled",
        message.format(**values),
        schedule_link(booking.rep_id, booking.stage),
        waits_on_recipient=True,
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
