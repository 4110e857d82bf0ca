"""A person's calendar: their due dates (and, for a coach, their reps') as iCalendar events.

Milestones due (certifications among them), certifications expiring, commitments due,
debriefs and one-on-ones, agreements' "sign by" days and scheduled assessments (timed); a
coach's feed adds the same for every rep they coach, and agreements waiting for their (or,
for HR, HR's) countersignature. A fixed
number of queries (one per kind of item) whatever the number of reps or the length of their
history, within a window of ``DAYS_BACK`` days back and ``DAYS_AHEAD`` ahead.

Every event keeps its UID across fetches (the kind of item and its id, at the organisation's
public host), so calendar apps update an event instead of adding a copy; its LAST-MODIFIED
(and DTSTAMP, as RFC 5545 asks of a calendar without a METHOD) is when the item last changed,
and a debrief's or a scheduled assessment's SEQUENCE counts its changes. Dates are all-day
events, scheduled assessments timed ones; timestamps are UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

import icalendar
from flask import current_app
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import aliased, defer

from app.accounts.models import Role, User
from app.agreements.models import Agreement, AgreementStatus
from app.agreements.service import sign_link, waiting_for_coaches, waiting_for_hr
from app.buddies.service import check_ins_due_for, pairing_link
from app.calendars.service.tokens import user_of_token
from app.certification.models import CertificationAttempt, ScheduledAssessment, ScheduleStatus
from app.certification.service import attempt_link, schedule_link
from app.coaching.models import Commitment, Debrief, DebriefKind
from app.coaching.service import debrief_link
from app.curriculum.service import stage_names
from app.extensions import db
from app.plans.models import Milestone, MilestoneStatus, Plan
from app.plans.service import milestone_link

DAYS_BACK = 90
DAYS_AHEAD = 365
PRODID = "-//SalesRamp//Calendar feed//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """One event (all-day, or timed when ``starts_at`` is set): what, whose, when, and when it
    last changed."""

    uid: str
    on: date
    summary: str
    description: str
    path: str  # the page it comes from, relative to the app's public address
    modified: datetime  # naive UTC
    sequence: int = 0
    # A timed event (naive UTC) instead of an all-day one: a scheduled assessment.
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str = ""
    cancelled: bool = False


def events_for(user: User, today: date) -> list[CalendarEvent]:
    """``user``'s events (and their reps' when they coach), in date order."""
    names = {user.id: user.full_name}
    if user.has_role(Role.COACH):
        reps = select(User.id, User.full_name).where(
            User.coach_id == user.id, User.active.is_(True)
        )
        names.update({row.id: row.full_name for row in db.session.execute(reps)})
    first, last = today - timedelta(days=DAYS_BACK), today + timedelta(days=DAYS_AHEAD)
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "salesramp"
    people = _People(user.id, names, host)
    events = [
        *_milestones(people, first, last),
        *_certifications_expiring(people, first, last),
        *_commitments(people, first, last),
        *_debriefs(people, first, last),
        *_signing_deadlines(people, user, first, last),
        *_scheduled_assessments(people, first, last),
        *_buddy_check_ins(people, user, first, last),
    ]
    return sorted(events, key=lambda event: (event.on, event.summary, event.uid))


@dataclass(frozen=True)
class _People:
    viewer_id: int
    names: dict[int, str]
    host: str

    @property
    def ids(self) -> list[int]:
        return sorted(self.names)

    def whose(self, rep_id: int, summary: str) -> str:
        """The viewer's own items say what they are; a rep's say whose they are first."""
        return summary if rep_id == self.viewer_id else f"{self.names[rep_id]}: {summary}"

    def uid(self, kind: str, item_id: int) -> str:
        return f"{kind}-{item_id}@{self.host}"


def _latest(*moments: datetime | None) -> datetime:
    return max(moment for moment in moments if moment is not None)


def _milestones(people: _People, first: date, last: date) -> Iterable[CalendarEvent]:
    query = (
        select(Milestone, Plan.rep_id, Plan.assigned_at)
        .join(Plan, Plan.id == Milestone.plan_id)
        .where(
            Plan.rep_id.in_(people.ids),
            Plan.archived_at.is_(None),
            Milestone.due_date.between(first, last),
        )
    )
    for milestone, rep_id, assigned_at in db.session.execute(query):
        if milestone.certification_stage:
            what = f"Certification due: {milestone.title}"
        else:
            what = f"Milestone due: {milestone.title}"
        state = {
            MilestoneStatus.DONE: "Done. ",
            MilestoneStatus.SUBMITTED: "Waiting for the coach to verify. ",
        }.get(milestone.status, "")
        yield CalendarEvent(
            uid=people.uid("milestone", milestone.id),
            on=milestone.due_date,
            summary=people.whose(rep_id, ("\u2713 " if state == "Done. " else "") + what),
            description=f"{state}{milestone.action}",
            path=milestone_link(milestone.id),
            modified=_latest(assigned_at, milestone.submitted_at, milestone.completed_at),
        )


def _buddy_check_ins(
    people: _People, user: User, first: date, last: date
) -> Iterable[CalendarEvent]:
    """The check-ins due in the person's own active buddy pairings (as new hire or buddy)."""
    for due in check_ins_due_for(user, first, last):
        yield CalendarEvent(
            uid=people.uid(f"buddy-check-in-{due.on:%Y%m%d}", due.pairing_id),
            on=due.on,
            summary=("\u2713 " if due.kept else "") + f"Buddy check-in with {due.with_name}",
            description="Kept. " if due.kept else "What you worked on, what blocks you, what next.",
            path=pairing_link(due.pairing_id),
            modified=due.changed,
        )


def _certifications_expiring(people: _People, first: date, last: date) -> Iterable[CalendarEvent]:
    """A passed certification's expiry, unless a later pass of the same stage replaced it."""
    later = aliased(CertificationAttempt)
    replaced = exists().where(
        later.rep_id == CertificationAttempt.rep_id,
        later.stage == CertificationAttempt.stage,
        later.passed.is_(True),
        later.id > CertificationAttempt.id,
    )
    query = select(CertificationAttempt).where(
        CertificationAttempt.rep_id.in_(people.ids),
        CertificationAttempt.passed.is_(True),
        CertificationAttempt.expires_on.between(first, last),
        ~replaced,
    )
    for attempt in db.session.scalars(query):
        assert attempt.expires_on is not None
        yield CalendarEvent(
            uid=people.uid("certification-expiry", attempt.id),
            on=attempt.expires_on,
            summary=people.whose(attempt.rep_id, f"Certification expires: {attempt.stage}"),
            description="Reassess before this date to stay certified.",
            path=attempt_link(attempt.id),
            modified=_latest(attempt.opened_at, attempt.decided_at),
        )


def _commitments(people: _People, first: date, last: date) -> Iterable[CalendarEvent]:
    query = (
        select(Commitment, Debrief.created_at, Debrief.recorded_at)
        .join(Debrief, Debrief.id == Commitment.debrief_id)
        .where(Commitment.rep_id.in_(people.ids), Commitment.due_on.between(first, last))
    )
    for commitment, created_at, recorded_at in db.session.execute(query):
        outcome = f"Reviewed: {commitment.outcome}. " if commitment.outcome else ""
        yield CalendarEvent(
            uid=people.uid("commitment", commitment.id),
            on=commitment.due_on,
            summary=people.whose(commitment.rep_id, f"Commitment due: {commitment.action[:120]}"),
            description=f"{outcome}Measure: {commitment.measure}",
            path=debrief_link(commitment.debrief_id),
            modified=_latest(created_at, recorded_at, commitment.reviewed_at, commitment.closed_at),
        )


def _debriefs(people: _People, first: date, last: date) -> Iterable[CalendarEvent]:
    coach = aliased(User)
    query = (
        select(Debrief, coach.full_name)
        .outerjoin(coach, coach.id == Debrief.coach_id)
        .where(
            or_(Debrief.rep_id.in_(people.ids), Debrief.coach_id == people.viewer_id),
            Debrief.held_on.between(first, last),
        )
    )
    for debrief, coach_name in db.session.execute(query):
        label = DebriefKind(debrief.kind).label
        rep_name = people.names.get(debrief.rep_id)
        if debrief.rep_id == people.viewer_id:
            summary = f"{label} with {coach_name or 'your coach'}"
        else:
            summary = f"{label} with {rep_name or 'a rep'}"
        state = "Recorded." if debrief.recorded_at else "Not recorded yet."
        yield CalendarEvent(
            uid=people.uid("debrief", debrief.id),
            on=debrief.held_on,
            summary=summary,
            description=f"{state} {debrief.stage or ''}".strip(),
            path=debrief_link(debrief.id),
            modified=_latest(
                debrief.created_at,
                debrief.rep_answered_at,
                debrief.recorded_at,
                debrief.acknowledged_at,
                debrief.follow_up_at,
            ),
            sequence=max(0, (debrief.row_version or 1) - 1),
        )


def _signing_deadlines(
    people: _People, viewer: User, first: date, last: date
) -> Iterable[CalendarEvent]:
    """Agreements' "sign by" days, for whoever still has to sign: the rep (and their coach,
    who sees their reps' dates), the countersigning coach, and every HR person for HR's
    countersignature. Gone from the feed once signed, declined or voided."""
    rep_query = select(Agreement).where(
        Agreement.rep_id.in_(people.ids),
        Agreement.status == AgreementStatus.SENT,
        Agreement.sign_by.between(first, last),
    )
    for agreement in db.session.scalars(rep_query.options(defer(Agreement.document))):
        assert agreement.sign_by is not None
        yield _deadline(people, agreement, "sign", people.whose(agreement.rep_id, "Sign"))
    countersigning: list[tuple[str, Agreement]] = []
    if viewer.has_role(Role.COACH):
        countersigning += [("countersign-coach", a) for a in waiting_for_coaches([viewer.id])]
    if viewer.has_role(Role.HR):
        countersigning += [("countersign-hr", a) for a in waiting_for_hr()]
    for kind, agreement in countersigning:
        if agreement.sign_by is not None and first <= agreement.sign_by <= last:
            what = f"Countersign{' as HR' if kind == 'countersign-hr' else ''}"
            yield _deadline(people, agreement, kind, f"{agreement.rep.full_name}: {what}")


def _deadline(people: _People, agreement: Agreement, kind: str, who: str) -> CalendarEvent:
    assert agreement.sign_by is not None
    return CalendarEvent(
        uid=people.uid(f"agreement-{kind}", agreement.id),
        on=agreement.sign_by,
        summary=f"{who} by today: {agreement.title}",
        description=f"Agreement sent {agreement.sent_at:%d %b %Y}; to be signed by this day.",
        path=sign_link(agreement.id),
        modified=agreement.updated_at,
    )


def _scheduled_assessments(people: _People, first: date, last: date) -> Iterable[CalendarEvent]:
    """Assessments booked with the rep, or by the viewer as assessor: timed events; a
    cancelled one stays (STATUS:CANCELLED) so calendar apps take it off, a move bumps SEQUENCE."""
    assessor, rep = aliased(User), aliased(User)
    query = (
        select(ScheduledAssessment, assessor.full_name, rep.full_name)
        .join(rep, rep.id == ScheduledAssessment.rep_id)
        .outerjoin(assessor, assessor.id == ScheduledAssessment.assessor_id)
        .where(
            or_(
                ScheduledAssessment.rep_id.in_(people.ids),
                ScheduledAssessment.assessor_id == people.viewer_id,
            ),
            ScheduledAssessment.starts_at >= datetime.combine(first, time()),
            ScheduledAssessment.starts_at < datetime.combine(last + timedelta(days=1), time()),
        )
    )
    names = stage_names()
    for booking, assessor_name, rep_name in db.session.execute(query):
        stage = names.get(booking.stage, booking.stage)
        if booking.rep_id == people.viewer_id:
            summary = f"{stage} certification assessment with {assessor_name or 'your coach'}"
        else:
            summary = f"{rep_name}: {stage} certification assessment"
        state = {
            ScheduleStatus.CANCELLED: f"Cancelled: {booking.cancel_reason}\n",
            ScheduleStatus.HELD: "Held.\n",
        }.get(booking.status, "")
        yield CalendarEvent(
            uid=people.uid("assessment", booking.id),
            on=booking.starts_at.date(),
            summary=summary,
            description=f"{state}{booking.note}".strip(),
            path=schedule_link(booking.rep_id, booking.stage),
            modified=booking.updated_at,
            sequence=booking.sequence,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            location=booking.place,
            cancelled=booking.status == ScheduleStatus.CANCELLED,
        )


def to_ical(user: User, events: Sequence[CalendarEvent], base_url: str, name: str) -> bytes:
    """The events as an RFC 5545 calendar (CRLF lines, folded by the library)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{name}: {user.full_name}")
    calendar.add("x-wr-timezone", "UTC")
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    for event in events:
        calendar.add_component(_vevent(event, base_url))
    return calendar.to_ical()


def _vevent(event: CalendarEvent, base_url: str) -> icalendar.Event:
    modified = event.modified.replace(tzinfo=UTC)
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", modified)
    vevent.add("last-modified", modified)
    vevent.add("sequence", event.sequence)
    if event.starts_at is not None and event.ends_at is not None:
        vevent.add("dtstart", event.starts_at.replace(tzinfo=UTC))
        vevent.add("dtend", event.ends_at.replace(tzinfo=UTC))
        vevent.add("transp", "OPAQUE")  # a meeting: busy for its length
        vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        if event.location:
            vevent.add("location", event.location)
    else:
        vevent.add("dtstart", event.on)
        vevent.add("dtend", event.on + timedelta(days=1))
        vevent.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
    vevent.add("summary", event.summary)
    vevent.add("description", event.description)
    vevent.add("url", base_url.rstrip("/") + event.path)
    return vevent


def feed_for_token(token: str, today: date, base_url: str, name: str) -> bytes | None:
    """The calendar a feed token opens, or None when the token is unknown or revoked."""
    user = user_of_token(token)
    if user is None:
        return None
    return to_ical(user, events_for(user, today), base_url, name)
