"""The digest: once a day or once a week, what is overdue and waiting, by email.

A rep's digest lists what their plan has overdue and due this week, certification milestones
due within 14 days and certifications that expire within 14 days, their open commitments
overdue or due this week, and the agreements waiting for their signature. A coach's digest is
their work queue (:mod:`app.reminders.workqueue`) and their reps at risk. Both say what the
pages they link to say, by the same rules: a milestone is overdue and due this week as My ramp
counts it (:mod:`app.plans.status`).

Sent at ``DIGEST_HOUR`` in each person's own time zone (weekly ones on ``DIGEST_WEEKDAY``),
by :mod:`app.reminders.sending`. People are read in batches, each in a fixed number of
queries whatever its size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import Role, User
from app.agreements.models import Agreement, AgreementStatus
from app.agreements.service import waiting_for_coaches, waiting_for_hr
from app.certification.models import CertificationAttempt
from app.certification.service import describe_when
from app.coaching.models import Commitment
from app.curriculum.service import stage_names
from app.extensions import db
from app.notifications.models import DigestFrequency
from app.notifications.service import preferences_for
from app.plans.models import PAUSE_COLUMNS, MeasureKind, Milestone, MilestoneStatus, Plan, paused_on
from app.plans.status import DUE_SOON_DAYS
from app.reminders.models import DigestSent
from app.reminders.workqueue import WorkQueue, can_have_work_queue, work_queues
from app.timezones import in_zone

CERTIFICATION_DAYS = 14


@dataclass(frozen=True)
class DigestLine:
    """One thing to do, with where it is done."""

    text: str
    detail: str
    endpoint: str
    values: tuple[tuple[str, Any], ...] = ()
    late: bool = False

    @property
    def url_values(self) -> dict[str, Any]:
        return dict(self.values)


@dataclass(frozen=True)
class DigestSection:
    """A heading, the page that lists the same things, and its lines."""

    title: str
    endpoint: str
    lines: tuple[DigestLine, ...]
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def url_values(self) -> dict[str, Any]:
        return dict(self.values)


@dataclass
class Digest:
    """One person's digest for one period; empty means nothing is sent."""

    user: User
    period: str
    sections: list[DigestSection] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(section.lines) for section in self.sections)

    @property
    def subject(self) -> str:
        things = "thing" if self.count == 1 else "things"
        kind = "weekly" if self.period.startswith("week") else "daily"
        return f"Your {kind} digest: {self.count} {things} to look at"


# --- when ------------------------------------------------------------------------------------


def period_due(
    frequency: DigestFrequency, timezone: str, now: datetime, hour: int, weekday: int
) -> str | None:
    """The period whose digest is due for someone at ``now``, or None.

    Daily: from ``hour`` o'clock on each local day (a worker down at that hour sends later the
    same day, never twice). Weekly: from ``hour`` on the local ``weekday`` (0 is Monday).
    """
    local = in_zone(now, timezone)
    if frequency is DigestFrequency.NEVER or local.hour < hour:
        return None
    if frequency is DigestFrequency.DAILY:
        return f"day {local.date().isoformat()}"
    if local.weekday() != weekday:
        return None
    year, week, _ = local.isocalendar()
    return f"week {year}-W{week:02d}"


def people_due(now: datetime) -> list[tuple[User, str]]:
    """Active people whose digest is due now and not yet sent, in four queries."""
    config = current_app.config
    hour, weekday = int(config["DIGEST_HOUR"]), int(config["DIGEST_WEEKDAY"])
    people = list(
        db.session.scalars(
            select(User).where(User.active.is_(True)).options(selectinload(User.role_rows))
        )
    )
    preferences = preferences_for(people)
    due = []
    for person in people:
        frequency = preferences[person.id].digest
        period = period_due(frequency, person.timezone, now, hour, weekday)
        if period is not None:
            due.append((person, period))
    periods = {period for _, period in due}
    sent = set(
        db.session.execute(
            select(DigestSent.user_id, DigestSent.period).where(DigestSent.period.in_(periods))
        )
    )
    return [(person, period) for person, period in due if (person.id, period) not in sent]


# --- what ------------------------------------------------------------------------------------


def digests_for(people: Sequence[tuple[User, str]], now: datetime) -> list[Digest]:
    """The digests of a batch of people, in a fixed number of queries for the whole batch."""
    digests = {person.id: Digest(person, period) for person, period in people}
    reps = [person for person, _ in people if person.has_role(Role.REP)]
    for rep_id, sections in _rep_sections(reps, now).items():
        digests[rep_id].sections.extend(sections)
    coaches = [person for person, _ in people if can_have_work_queue(person)]
    for coach_id, queue in work_queues(coaches, now).items():
        digests[coach_id].sections.extend(coach_sections(queue))
    countersigners = [person for person, _ in people if person.has_role(Role.COACH, Role.HR)]
    for person_id, section in _countersign_sections(countersigners, now).items():
        digests[person_id].sections.append(section)
    return list(digests.values())


def coach_sections(queue: WorkQueue) -> list[DigestSection]:
    """The work queue page's two lists, as the digest says them."""
    sections = []
    if queue.items:
        lines = tuple(
            DigestLine(
                f"{item.kind.label}: {item.what}, {item.rep_name}",
                f"waiting {_age(item.age_days)}, " + ("late" if item.late else "on time"),
                item.endpoint,
                item.values,
                item.late,
            )
            for item in queue.items
        )
        sections.append(DigestSection("Waiting on you", "reminders.work_queue", lines))
    if queue.booked:
        lines = tuple(
            DigestLine(
                f"{booked.stage_name} certification assessment, {booked.rep_name}",
                describe_when(booked.starts_at, queue.timezone)
                + (f", {booked.place}" if booked.place else ""),
                "certification.certification",
                (("rep_id", booked.rep_id), ("stage", booked.stage)),
            )
            for booked in queue.booked
        )
        sections.append(DigestSection("Assessments to do", "reminders.work_queue", lines))
    if queue.at_risk:
        lines = tuple(
            DigestLine(
                rep.rep_name,
                f"{rep.overdue} overdue milestone{'s' if rep.overdue != 1 else ''}",
                "plans.rep_ramp",
                (("rep_id", rep.rep_id),),
            )
            for rep in queue.at_risk
        )
        sections.append(
            DigestSection("Reps at risk", "plans.team", lines, (("status", "at risk"),))
        )
    return sections


def _age(days: int) -> str:
    if days == 0:
        return "less than a day"
    return f"{days} day{'s' if days != 1 else ''}"


def _day(value: date) -> str:
    return f"{value.day} {value:%b}"


def _rep_sections(reps: Sequence[User], now: datetime) -> dict[int, list[DigestSection]]:
    """Each rep's sections, from four queries for the whole batch."""
    today_of = {rep.id: in_zone(now, rep.timezone).date() for rep in reps}
    if not reps:
        return {}
    ids = list(today_of)
    horizon = max(today_of.values()) + timedelta(days=CERTIFICATION_DAYS)
    overdue: dict[int, list[DigestLine]] = {rep_id: [] for rep_id in ids}
    this_week: dict[int, list[DigestLine]] = {rep_id: [] for rep_id in ids}
    certifications: dict[int, list[DigestLine]] = {rep_id: [] for rep_id in ids}
    commitments: dict[int, list[DigestLine]] = {rep_id: [] for rep_id in ids}
    to_sign: dict[int, list[DigestLine]] = {rep_id: [] for rep_id in ids}

    for milestone, rep_id, paused_from, paused_until in _open_milestones(ids, horizon):
        today = today_of[rep_id]
        if paused_on(paused_from, paused_until, today):  # on leave: no nudges, nothing late
            continue
        link = ("plans.milestone", (("milestone_id", milestone.id),))
        certification = milestone.measure_kind == MeasureKind.CERTIFICATION
        if milestone.due_date < today:
            late = (today - milestone.due_date).days
            detail = f"due {_day(milestone.due_date)}, {late} day{'s' if late != 1 else ''} late"
            overdue[rep_id].append(DigestLine(milestone.title, detail, *link, late=True))
        elif milestone.due_date < today + timedelta(days=DUE_SOON_DAYS):
            line = DigestLine(milestone.title, f"due {_day(milestone.due_date)}", *link)
            this_week[rep_id].append(line)
        elif certification and milestone.due_date < today + timedelta(days=CERTIFICATION_DAYS):
            line = DigestLine(milestone.title, f"due {_day(milestone.due_date)}", *link)
            certifications[rep_id].append(line)
    names = stage_names()
    for attempt in _expiring_certifications(ids, horizon):
        today = today_of[attempt.rep_id]
        expires = attempt.expires_on
        if expires is None or not today <= expires < today + timedelta(days=CERTIFICATION_DAYS):
            continue
        stage = names.get(attempt.stage, attempt.stage)
        certifications[attempt.rep_id].append(
            DigestLine(
                f"{stage} certification expires",
                f"valid until {_day(expires)}",
                "certification.certification",
                (("rep_id", attempt.rep_id), ("stage", attempt.stage)),
            )
        )
    for commitment in _open_commitments(ids, horizon):
        today = today_of[commitment.rep_id]
        if commitment.due_on >= today + timedelta(days=DUE_SOON_DAYS):
            continue
        late = commitment.due_on < today
        detail = f"{'was due' if late else 'due'} {_day(commitment.due_on)}"
        commitments[commitment.rep_id].append(
            DigestLine(commitment.action, detail, "coaching.mine", late=late)
        )
    for agreement in _agreements_to_sign(ids):
        to_sign[agreement.rep_id].append(_signing_line(agreement, today_of[agreement.rep_id]))

    found: dict[int, list[DigestSection]] = {}
    for rep_id in ids:
        parts = [
            ("Overdue", "plans.my_ramp", overdue[rep_id]),
            ("Due this week", "plans.my_ramp", this_week[rep_id]),
            ("Certifications within 14 days", "certification.mine", certifications[rep_id]),
            ("Your commitments", "coaching.mine", commitments[rep_id]),
            ("Agreements to sign", "agreements.mine", to_sign[rep_id]),
        ]
        found[rep_id] = [
            DigestSection(title, endpoint, tuple(lines))
            for title, endpoint, lines in parts
            if lines
        ]
    return found


def _signing_line(agreement: Agreement, today: date) -> DigestLine:
    """An agreement waiting for the person's signature: by when, and whether that is past."""
    sent = agreement.sent_at.date() if agreement.sent_at else today
    if agreement.sign_by is None:
        detail = f"sent {_day(sent)}"
    elif agreement.is_overdue(today):
        detail = f"sent {_day(sent)}, sign by {_day(agreement.sign_by)}: overdue"
    else:
        detail = f"sent {_day(sent)}, sign by {_day(agreement.sign_by)}"
    return DigestLine(
        agreement.title,
        detail,
        "agreements.sign",
        (("agreement_id", agreement.id),),
        late=agreement.is_overdue(today),
    )


def _countersign_sections(people: Sequence[User], now: datetime) -> dict[int, DigestSection]:
    """Agreements waiting for each person's countersignature (as the rep's coach, or as HR).

    Two queries for the whole batch: the coaches' agreements, and those waiting for HR.
    """
    coach_ids = [person.id for person in people if person.has_role(Role.COACH)]
    hr_people = [person for person in people if person.has_role(Role.HR)]
    lines: dict[int, list[DigestLine]] = {person.id: [] for person in people}
    for agreement in waiting_for_coaches(coach_ids):
        assert agreement.coach_id is not None
        coach = next(person for person in people if person.id == agreement.coach_id)
        today = in_zone(now, coach.timezone).date()
        lines[coach.id].append(_countersign_line(agreement, today))
    for agreement in waiting_for_hr() if hr_people else []:
        for person in hr_people:
            today = in_zone(now, person.timezone).date()
            lines[person.id].append(_countersign_line(agreement, today))
    return {
        person_id: DigestSection("Agreements to countersign", "agreements.mine", tuple(found))
        for person_id, found in lines.items()
        if found
    }


def _countersign_line(agreement: Agreement, today: date) -> DigestLine:
    line = _signing_line(agreement, today)
    return DigestLine(
        f"{agreement.title}, {agreement.rep.full_name}",
        line.detail,
        line.endpoint,
        line.values,
        line.late,
    )


def _open_milestones(rep_ids: list[int], horizon: date) -> list[Any]:
    """Open milestones due before ``horizon``, with the rep and the plan's pause."""
    query = (
        select(Milestone, Plan.rep_id, *PAUSE_COLUMNS)
        .join(Plan, Plan.id == Milestone.plan_id)
        .where(
            Plan.rep_id.in_(rep_ids),
            Plan.archived_at.is_(None),
            Milestone.status == MilestoneStatus.OPEN,
            Milestone.due_date < horizon,
        )
        .order_by(Milestone.due_date, Milestone.phase, Milestone.position)
    )
    return list(db.session.execute(query))


def _expiring_certifications(rep_ids: list[int], horizon: date) -> list[CertificationAttempt]:
    """Each rep's latest valid pass per stage, when it expires before ``horizon``."""
    latest = (
        select(
            CertificationAttempt.rep_id,
            CertificationAttempt.stage,
            func.max(CertificationAttempt.expires_on).label("expires_on"),
        )
        .where(CertificationAttempt.rep_id.in_(rep_ids), CertificationAttempt.passed.is_(True))
        .group_by(CertificationAttempt.rep_id, CertificationAttempt.stage)
        .subquery()
    )
    query = (
        select(CertificationAttempt)
        .join(
            latest,
            (latest.c.rep_id == CertificationAttempt.rep_id)
            & (latest.c.stage == CertificationAttempt.stage)
            & (latest.c.expires_on == CertificationAttempt.expires_on),
        )
        .where(CertificationAttempt.passed.is_(True), CertificationAttempt.expires_on < horizon)
        .order_by(CertificationAttempt.expires_on, CertificationAttempt.id)
    )
    return list(db.session.scalars(query))


def _open_commitments(rep_ids: list[int], horizon: date) -> list[Commitment]:
    query = (
        select(Commitment)
        .where(
            Commitment.rep_id.in_(rep_ids),
            Commitment.closed_at.is_(None),
            Commitment.due_on < horizon,
        )
        .order_by(Commitment.due_on, Commitment.id)
    )
    return list(db.session.scalars(query))


def _agreements_to_sign(rep_ids: list[int]) -> list[Agreement]:
    query = (
        select(Agreement)
        .where(Agreement.rep_id.in_(rep_ids), Agreement.status == AgreementStatus.SENT)
        .order_by(Agreement.sent_at, Agreement.id)
    )
    return list(db.session.scalars(query))
