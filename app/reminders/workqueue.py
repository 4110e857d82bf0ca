"""The coach's work queue: everything waiting on them, oldest first, against the turnaround.

One service for the coach's home page and the coach's digest. It reads several coaches at
once, in a fixed number of queries whatever the number of coaches and reps (one per kind of
waiting work, two for the reps at risk), so a digest batch of a hundred coaches costs what
one coach's page costs.

What waits on a coach:

* a milestone one of their reps submitted for verification (since it was submitted);
* a debrief they opened and held, still without their notes (since it was held, or opened
  if that was later);
* an assessment: one they were named second assessor for, or a certification attempt of one
  of their reps that only the rep has scored so far (since they were named, or since the
  self-assessment);
* a commitment of one of their reps that has fallen due and not been reviewed (since its
  due date);
* apart from those, the assessments they booked ahead and still have to hold (this week, or
  past and not yet recorded), by their start.

The reps at risk are listed beside the queue: they wait on the coach's attention, not on a
decision, so they have no age.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from app.accounts.models import Organisation, Role, User
from app.buddies.service import open_lapses_for_coaches
from app.certification.service import upcoming_for_assessors
from app.curriculum.service import stage_names
from app.errors import NotAllowed
from app.extensions import db
from app.plans.service import RepRow, rows_of_reps_coached_by
from app.plans.status import RepStatus
from app.reminders import waiting
from app.timezones import today_in

DEFAULT_TURNAROUND_DAYS = 2


class WaitingKind(enum.StrEnum):
    VERIFICATION = "verification"
    DEBRIEF_NOTES = "debrief notes"
    ASSESSMENT = "assessment"
    COMMITMENT_REVIEW = "commitment review"
    BUDDY_LAPSE = "buddy lapse"

    @property
    def label(self) -> str:
        return {
            "verification": "Verify a milestone",
            "debrief notes": "Write debrief notes",
            "assessment": "Assess a certification",
            "commitment review": "Review a commitment",
            "buddy lapse": "Follow up a lapsed buddy",
        }[self.value]


@dataclass(frozen=True)
class WaitingItem:
    """One piece of work waiting on a coach, with the page where it is done."""

    kind: WaitingKind
    what: str
    rep_id: int
    rep_name: str
    since: datetime  # naive UTC
    endpoint: str
    values: tuple[tuple[str, Any], ...]
    age_days: int
    late: bool

    @property
    def url_values(self) -> dict[str, Any]:
        return dict(self.values)


@dataclass(frozen=True)
class AtRisk:
    rep_id: int
    rep_name: str
    overdue: int


@dataclass(frozen=True)
class BookedAssessment:
    """An assessment the coach booked and still has to hold (this week, or past, unrecorded)."""

    booking_id: int
    rep_id: int
    rep_name: str
    stage: str
    stage_name: str
    starts_at: datetime  # naive UTC
    minutes: int
    place: str


@dataclass
class WorkQueue:
    """A coach's queue, oldest first, their booked assessments, and their reps at risk."""

    coach_id: int
    turnaround_days: int
    items: list[WaitingItem] = field(default_factory=list)
    at_risk: list[AtRisk] = field(default_factory=list)
    booked: list[BookedAssessment] = field(default_factory=list)
    timezone: str = "UTC"

    @property
    def late(self) -> int:
        return sum(1 for item in self.items if item.late)

    @property
    def is_empty(self) -> bool:
        return not self.items and not self.at_risk and not self.booked


def can_have_work_queue(user: User) -> bool:
    """Coaches, and HR and admins (who may be named second assessors), have a queue."""
    return user.has_role(Role.COACH, Role.HR, Role.ADMIN)


def work_queue(actor: User, now: datetime | None = None) -> WorkQueue:
    """The actor's own work queue (nobody opens someone else's)."""
    if not can_have_work_queue(actor):
        raise NotAllowed("The work queue is for coaches.")
    return work_queues([actor], now)[actor.id]


def turnaround_days() -> int:
    days = db.session.scalar(select(Organisation.turnaround_days).where(Organisation.id == 1))
    return days or DEFAULT_TURNAROUND_DAYS


def work_queues(coaches: Sequence[User], now: datetime | None = None) -> dict[int, WorkQueue]:
    """Several coaches' queues at once, in a fixed number of queries."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    naive_now = moment.replace(tzinfo=None)
    target = turnaround_days()
    queues = {coach.id: WorkQueue(coach.id, target, timezone=coach.timezone) for coach in coaches}
    if not queues:
        return queues
    ids = list(queues)
    for coach_id, items in waiting_items(coaches, target, moment).items():
        queues[coach_id].items = items
    names = stage_names()
    for booking in upcoming_for_assessors(ids, naive_now):
        assert booking.assessor_id is not None
        queues[booking.assessor_id].booked.append(
            BookedAssessment(
                booking.id,
                booking.rep_id,
                booking.rep.full_name,
                booking.stage,
                names.get(booking.stage, booking.stage),
                booking.starts_at,
                booking.duration_minutes,
                booking.place,
            )
        )
    for coach_id, rows in rows_of_reps_coached_by(ids, moment).items():
        queues[coach_id].at_risk = _at_risk(rows)
    return queues


def waiting_items(
    coaches: Sequence[User], target: int, now: datetime
) -> dict[int, list[WaitingItem]]:
    """What waits on each coach, oldest first, aged against ``target`` days: the queue without
    its booked assessments and reps at risk, for a coach's accountability page."""
    moment = now.astimezone(UTC)
    naive_now = moment.replace(tzinfo=None)
    found: dict[int, list[WaitingItem]] = {coach.id: [] for coach in coaches}
    if not found:
        return found
    ids = list(found)
    today_of = {coach.id: today_in(coach.timezone, moment) for coach in coaches}
    latest_today = max(today_of.values())

    def add(
        coach_id: int,
        kind: WaitingKind,
        what: str,
        rep: tuple[int, str],
        since: datetime,
        endpoint: str,
        **values: Any,
    ) -> None:
        age_days, late = waited(since, naive_now, target)
        found[coach_id].append(
            WaitingItem(
                kind, what, rep[0], rep[1], since, endpoint, tuple(values.items()), age_days, late
            )
        )

    for row in waiting.verifications(ids):
        add(
            row.coach_id,
            WaitingKind.VERIFICATION,
            row.title,
            (row.rep_id, row.rep_name),
            row.submitted_at,
            "plans.milestone",
            milestone_id=row.id,
        )
    for row in waiting.debriefs_without_notes(ids, latest_today):
        if row.held_on > today_of[row.coach_id]:
            continue  # held later in the coach's own day
        since = max(row.created_at, datetime.combine(row.held_on, time()))
        what = f"{row.kind.label} debrief of {_day(row.held_on)}"
        add(
            row.coach_id,
            WaitingKind.DEBRIEF_NOTES,
            what,
            (row.rep_id, row.rep_name),
            since,
            "coaching.record",
            debrief_id=row.id,
        )
    for row in waiting.invited_assessments(ids):
        add(
            row.coach_id,
            WaitingKind.ASSESSMENT,
            _stage_title(row.stage, "second assessor"),
            (row.rep_id, row.rep_name),
            row.created_at,
            "certification.assess",
            rep_id=row.rep_id,
            stage=row.stage,
        )
    for row in waiting.self_assessed_attempts(ids):
        add(
            row.coach_id,
            WaitingKind.ASSESSMENT,
            _stage_title(row.stage, "self-assessed"),
            (row.rep_id, row.rep_name),
            row.since,
            "certification.assess",
            rep_id=row.rep_id,
            stage=row.stage,
        )
    for row in waiting.commitments_to_review(ids, latest_today):
        if row.due_on > today_of[row.coach_id]:
            continue
        add(
            row.coach_id,
            WaitingKind.COMMITMENT_REVIEW,
            row.action,
            (row.rep_id, row.rep_name),
            datetime.combine(row.due_on, time()),
            "coaching.one_on_one",
            rep_id=row.rep_id,
        )
    for lapse in open_lapses_for_coaches(ids):
        what = f"Check-ins with {lapse.buddy_name} missed since {_day(lapse.first_missed_on)}"
        rep = (lapse.rep_id, lapse.rep_name)
        add(
            lapse.coach_id,
            WaitingKind.BUDDY_LAPSE,
            what,
            rep,
            lapse.raised_at,
            "buddies.pairing",
            pairing_id=lapse.pairing_id,
        )
    for items in found.values():
        items.sort(key=lambda item: (item.since, item.kind.value, item.what))
    return found


def waited(since: datetime, naive_now: datetime, target: int) -> tuple[int, bool]:
    """Whole days something has waited since ``since`` (naive UTC), and whether that is over
    the ``target`` turnaround: the queue's rule, shared with the coaches' overview."""
    age = max(naive_now - since, timedelta(0))
    return age.days, age > timedelta(days=target)


def _at_risk(rows: Sequence[RepRow]) -> list[AtRisk]:
    risky = [
        AtRisk(r.rep_id, r.full_name, r.overdue) for r in rows if r.status == RepStatus.AT_RISK
    ]
    return sorted(risky, key=lambda r: (-r.overdue, r.rep_name, r.rep_id))


def _stage_title(stage: str, why: str) -> str:
    return f"{stage_names().get(stage, stage)} certification ({why})"


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"
