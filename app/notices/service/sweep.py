"""The daily notice sweep: record each covered rep's status, and draft notices for HR.

A rep is covered while they hold a completed (signed) consequence agreement whose template
version names notice conditions. The sweep is idempotent: a second run on the same day
rewrites the day's status and drafts nothing new, because an episode that is still open
already has its notice (and a unique constraint stops two sweeps racing).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.accounts.models import Role, User
from app.accounts.service import active_people_with, local_today
from app.agreements import service as agreements
from app.agreements.models import Agreement, AgreementStatus
from app.certification.models import CertificationAttempt
from app.curriculum.models import AgreementKind
from app.curriculum.schema import AgreementTemplate as TemplateSpec
from app.curriculum.schema import NoticeCondition
from app.errors import Invalid
from app.extensions import db
from app.notices.conditions import (
    PAUSED,
    FailedAttempt,
    Finding,
    LateMilestone,
    StatusDay,
    clause_text,
    condition_key,
    condition_label,
    evaluate,
)
from app.notices.models import NoticeEpisode, RepStatusDay
from app.notifications.service import notify, preferences_for
from app.plans.service import active_plan, summarise

NOTICE_DRAFTED = "notice-drafted"
logger = logging.getLogger(__name__)


@dataclass
class SweepResult:
    """What one sweep did: reps whose day it recorded, notices drafted, episodes ended."""

    reps: int = 0
    drafted: list[int] = field(default_factory=list)
    ended: int = 0


def notices_link() -> str:
    return "/notices"


def covering_agreements() -> list[Agreement]:
    """Completed consequence agreements of active reps, whose template names conditions."""
    query = (
        select(Agreement)
        .join(User, User.id == Agreement.rep_id)
        .where(
            Agreement.kind == AgreementKind.CONSEQUENCE,
            Agreement.status == AgreementStatus.COMPLETED,
            User.active.is_(True),
        )
        .order_by(Agreement.id)
    )
    return [a for a in db.session.scalars(query) if conditions_of(a)]


def conditions_of(agreement: Agreement) -> tuple[NoticeCondition, ...]:
    """The conditions of the template version the agreement was signed from."""
    return agreements.spec_of(agreement.template).notice_when


def run_sweep(today: date | None = None) -> SweepResult:
    """Record today's status of every covered rep and draft the notices now due.

    ``today``: one day for everyone (tests, the demo); by default each rep's own today.
    """
    result = SweepResult()
    covered: dict[int, list[Agreement]] = defaultdict(list)
    for agreement in covering_agreements():
        covered[agreement.rep_id].append(agreement)
    for held in covered.values():
        rep = held[0].rep
        day = today or local_today(rep)
        late = _record_day(rep, day)
        result.reps += 1
        days = _status_days(rep.id)
        failed = _failed_attempts(rep.id)
        for agreement in held:
            _check(agreement, day, days, late, failed, result)
    return result


def _record_day(rep: User, day: date) -> list[LateMilestone]:
    """Keep the rep's status for ``day`` (rewritten by a second run); the late milestones."""
    summary = summarise(rep, active_plan(rep), day)
    status = summary.status.value
    paused = status == PAUSED
    row = db.session.scalar(
        select(RepStatusDay).where(RepStatusDay.rep_id == rep.id, RepStatusDay.day == day)
    )
    if row is None:
        db.session.add(RepStatusDay(rep_id=rep.id, day=day, status=status, paused=paused))
    else:
        row.status, row.paused = status, paused
    db.session.flush()
    return [LateMilestone(m.title, m.due_date) for m in summary.overdue]


def _status_days(rep_id: int) -> list[StatusDay]:
    rows = db.session.scalars(select(RepStatusDay).where(RepStatusDay.rep_id == rep_id))
    return [StatusDay(r.day, r.status, r.paused) for r in rows]


def _failed_attempts(rep_id: int) -> list[FailedAttempt]:
    rows = db.session.scalars(
        select(CertificationAttempt).where(
            CertificationAttempt.rep_id == rep_id,
            CertificationAttempt.passed.is_(False),
            CertificationAttempt.decided_at.is_not(None),
        )
    )
    return [
        FailedAttempt(a.stage, (a.decided_at or a.opened_at).date(), a.weighted_average)
        for a in rows
    ]


def _check(
    agreement: Agreement,
    today: date,
    days: list[StatusDay],
    late: list[LateMilestone],
    failed: list[FailedAttempt],
    result: SweepResult,
) -> None:
    signed_on = (agreement.completed_at or agreement.created_at).date()
    spec = agreements.spec_of(agreement.template)
    for condition in spec.notice_when:
        key = condition_key(condition)
        open_episode = db.session.scalar(
            select(NoticeEpisode).where(
                NoticeEpisode.agreement_id == agreement.id,
                NoticeEpisode.condition_key == key,
                NoticeEpisode.ended_on.is_(None),
            )
        )
        finding = evaluate(condition, signed_on, today, days, late, failed)
        if finding is None:
            if open_episode is not None:
                open_episode.ended_on = today
                result.ended += 1
            continue
        if open_episode is None:
            episode = _open_episode(agreement, spec, condition, finding, signed_on)
            if episode is not None and episode.notice_id is not None:
                result.drafted.append(episode.notice_id)


def _open_episode(
    agreement: Agreement,
    spec: TemplateSpec,
    condition: NoticeCondition,
    finding: Finding,
    signed_on: date,
) -> NoticeEpisode | None:
    """A new episode and its drafted notice; None when the notice cannot be drafted."""
    label = condition_label(condition)
    values = agreements.initial_values(condition.notice) | {
        "agreement_title": agreement.title,
        "agreement_signed": signed_on.isoformat(),
        "clause_heading": condition.clause,
        "clause_text": clause_text(spec.body, condition.clause, agreement.values or {}),
        "condition": label,
        "evidence": "\n".join(f"- {line}" for line in finding.evidence),
    }
    why = f"{label}, under clause '{condition.clause}' of agreement {agreement.verification_code}"
    try:
        # Every check (the rep, the template, the values) comes before the first write.
        notice = agreements.draft_for_hr(agreement.rep, condition.notice, values, why)
    except Invalid as error:  # a rep deactivated meanwhile, a notice template gone
        logger.warning("No notice drafted for agreement %s: %s", agreement.id, error)
        return None
    episode = NoticeEpisode(
        rep_id=agreement.rep_id,
        agreement_id=agreement.id,
        condition_key=condition_key(condition),
        condition_label=label,
        clause=condition.clause,
        started_on=finding.started_on,
        evidence=list(finding.evidence),
        notice_id=notice.id,
        created_at=notice.created_at,
    )
    db.session.add(episode)
    # A sweep racing this one (two workers) fails here on the unique constraint and rolls
    # back whole: its notice is not kept, and the next run finds this episode open.
    db.session.flush()
    _tell_hr(agreement.rep, label)
    return episode


def _tell_hr(rep: User, label: str) -> None:
    """Every active HR person (admins where there is none) hears of the draft to review."""
    hr = active_people_with(Role.HR) or active_people_with(Role.ADMIN)
    preferences = preferences_for(hr)
    message = f"A written notice for {rep.full_name} is drafted for your review: {label}."
    for person in hr:
        notify(
            person,
            NOTICE_DRAFTED,
            message,
            notices_link(),
            waits_on_recipient=True,
            preferences=preferences[person.id],
        )
