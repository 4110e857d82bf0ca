"""Reading certifications: attempts, statuses, possible assessors, blind scoring."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import selectinload

from app.accounts.access import require_view_person
from app.accounts.models import Role, User
from app.certification.models import Assessment, CertificationAttempt
from app.certification.service.access import (
    assessment_by,
    can_assess,
    require_view_attempt,
    second_assessor_condition,
)
from app.certification.service.rubrics import current_rubrics, pick_rubric, rubric_spec
from app.certification.status import (
    AttemptFacts,
    Availability,
    CertificationStatus,
    StatusReading,
    already_assessed,
    assessment_availability,
    certification_status,
    format_day,
    self_assessment_availability,
)
from app.curriculum.models import RubricTemplate
from app.curriculum.service import stage_names
from app.errors import NotFound
from app.extensions import db
from app.lookup import get_or_not_found
from app.plans import service as plans
from app.plans.models import Milestone, Plan


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _day(value: date) -> str:
    return format_day(value)


# --- assessors -------------------------------------------------------------------------------


def second_assessor_choices(actor: User, rep: User) -> list[Row[int, str]]:
    """The active coaches and admins who may be invited, found in SQL (not by loading everyone):
    their ids and names for a list, as rows (some fifty at 1,000 reps: not worth loading as
    people; the condition has checked their roles)."""
    query = (
        select(User.id, User.full_name)
        .where(second_assessor_condition(rep, actor))
        .order_by(User.full_name)
    )
    return list(db.session.execute(query))


# --- reading a rep's certifications ----------------------------------------------------------


def attempts_of(rep: User, stage: str | None = None) -> list[CertificationAttempt]:
    """Oldest first."""
    query = (
        select(CertificationAttempt)
        .where(CertificationAttempt.rep_id == rep.id)
        .options(selectinload(CertificationAttempt.assessments).selectinload(Assessment.scores))
        .order_by(CertificationAttempt.opened_at, CertificationAttempt.id)
    )
    if stage is not None:
        query = query.where(CertificationAttempt.stage == stage)
    return list(db.session.scalars(query))


def facts(attempt: CertificationAttempt) -> AttemptFacts:
    return AttemptFacts(
        decided=attempt.is_decided,
        passed=bool(attempt.passed),
        assessed_on=attempt.assessed_on,
        expires_on=attempt.expires_on,
        next_attempt_from=attempt.next_attempt_from,
        self_assessed=attempt.self_assessment is not None,
        assessor_started=bool(attempt.assessor_assessments),
    )


@dataclass
class Certification:
    """One stage's certification for one rep: what the rep and their coach need to see."""

    rep: User
    stage: str
    stage_name: str
    rubric: RubricTemplate | None
    reading: StatusReading
    attempts: list[CertificationAttempt] = field(default_factory=list)
    milestone: Milestone | None = None

    @property
    def status(self) -> CertificationStatus:
        return self.reading.status

    @property
    def due_date(self) -> date | None:
        return self.milestone.due_date if self.milestone else None

    @property
    def open_attempt(self) -> CertificationAttempt | None:
        return next((a for a in reversed(self.attempts) if not a.is_decided), None)

    @property
    def decided_attempts(self) -> list[CertificationAttempt]:
        return [a for a in self.attempts if a.is_decided]

    @property
    def best_average(self) -> float | None:
        scores = [a.weighted_average for a in self.decided_attempts if a.weighted_average]
        return max(scores) if scores else None

    @property
    def last_passed(self) -> CertificationAttempt | None:
        return next((a for a in reversed(self.decided_attempts) if a.passed), None)


@dataclass(frozen=True)
class _RepContext:
    """What every certification of one rep is read against, looked up once."""

    names: Mapping[str, str]
    rubrics: Sequence[RubricTemplate]
    role: str
    milestones: Mapping[str, Milestone]


def _context_of(rep: User, rubrics: Sequence[RubricTemplate] | None = None) -> _RepContext:
    plan = plans.active_plan(rep)  # looked up once for the role and the milestones
    return _RepContext(
        names=stage_names(),
        rubrics=current_rubrics() if rubrics is None else rubrics,
        role=plan.template.role if plan else "",
        milestones=_certification_milestones(plan),
    )


def _certification(
    rep: User,
    stage: str,
    context: _RepContext,
    attempts: list[CertificationAttempt],
    today: date,
) -> Certification:
    return Certification(
        rep=rep,
        stage=stage,
        stage_name=context.names.get(stage, stage),
        rubric=pick_rubric(context.rubrics, stage, context.role),
        reading=certification_status([facts(a) for a in attempts], today),
        attempts=attempts,
        milestone=context.milestones.get(stage),
    )


def _certification_milestones(plan: Plan | None) -> dict[str, Milestone]:
    found: dict[str, Milestone] = {}
    for milestone in plan.milestones if plan else []:
        if milestone.certification_stage and milestone.certification_stage not in found:
            found[milestone.certification_stage] = milestone
    return found


def certifications_of(actor: User, rep: User, today: date) -> list[Certification]:
    """Every certification in the rep's plan, and any other stage they have attempted."""
    require_view_person(actor, rep)
    context = _context_of(rep)
    by_stage = attempts_by_stage(rep)
    keys = [key for key in context.names if key in context.milestones or key in by_stage]
    return [_certification(rep, key, context, by_stage.get(key, []), today) for key in keys]


def attempts_by_stage(rep: User) -> dict[str, list[CertificationAttempt]]:
    by_stage: dict[str, list[CertificationAttempt]] = {}
    for attempt in attempts_of(rep):
        by_stage.setdefault(attempt.stage, []).append(attempt)
    return by_stage


def certification_of(actor: User, rep: User, stage: str, today: date) -> Certification:
    require_view_person(actor, rep)
    context = _context_of(rep)
    if stage not in context.names:
        raise NotFound("No such sales stage.")
    return _certification(rep, stage, context, attempts_of(rep, stage), today)


def attempt_link(attempt_id: int) -> str:
    """Where a notification about an attempt points (tests check it matches the route)."""
    return f"/certifications/attempts/{attempt_id}"


def get_attempt(actor: User, attempt_id: int) -> CertificationAttempt:
    attempt = get_or_not_found(CertificationAttempt, attempt_id, "No such certification attempt.")
    require_view_attempt(actor, attempt)
    return attempt


def visible_assessments(actor: User, attempt: CertificationAttempt) -> list[Assessment]:
    """Blind scoring: assessors' scores show once the attempt is decided, or to an assessor
    of it who has submitted their own; the rep's self-assessment shows to everyone who may
    see the attempt, except an assessor who has yet to score it."""
    own = assessment_by(attempt, actor)
    submitted_own = own is not None and own.is_submitted
    may_see_assessors = attempt.is_decided or submitted_own
    still_to_score = (own is not None and not own.is_submitted) or (
        not attempt.is_decided and own is None and can_assess(actor, attempt.rep)
    )
    visible = []
    for assessment in attempt.assessments:
        if not assessment.is_submitted:
            continue
        if assessment.is_self:
            if not still_to_score or actor.id == attempt.rep_id:
                visible.append(assessment)
        elif may_see_assessors or assessment.assessor_id == actor.id:
            visible.append(assessment)
    return visible


def waiting_for(actor: User) -> list[Assessment]:
    """Assessments the actor was invited to and has not submitted yet."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(
                Assessment.assessor_id == actor.id,
                Assessment.submitted_at.is_(None),
                Assessment.is_self.is_(False),
            )
            .options(
                selectinload(Assessment.attempt).joinedload(CertificationAttempt.rep),
                selectinload(Assessment.invited_by),
            )
            .order_by(Assessment.created_at)
        )
    )


def _open_attempt(rep: User, stage: str) -> CertificationAttempt | None:
    return next((a for a in reversed(attempts_of(rep, stage)) if not a.is_decided), None)


def _name(user: User | None) -> str:
    return user.full_name if user else "A former assessor"


def final_scores(attempt: CertificationAttempt) -> dict[str, float]:
    """The mean level per criterion over the submitted assessors (one assessor: their levels)."""
    sets = [a.levels() for a in attempt.submitted_assessor_assessments]
    if not sets:
        return {}
    means = {}
    for key in {key for levels in sets for key in levels}:
        given = [levels[key] for levels in sets if key in levels]
        means[key] = sum(given) / len(given)
    return means


# --- what the actor may do on a certification now --------------------------------------------


@dataclass(frozen=True)
class CertificationActions:
    """The actions a page offers on one certification; None where the action is not the
    actor's to take at all, else whether it is possible now and, if not, why and from when."""

    self_assess: Availability | None = None
    assess: Availability | None = None


def already_assessed_by(actor: User, attempt: CertificationAttempt | None) -> Availability | None:
    """Refused, naming who is awaited, when the actor has scored this open attempt already."""
    own = assessment_by(attempt, actor) if attempt is not None and not attempt.is_decided else None
    if attempt is None or own is None or not own.is_submitted:
        return None
    awaited = [_name(a.assessor) for a in attempt.pending_assessor_assessments]
    return already_assessed(own.assessed_on, awaited)


def actions_on(actor: User, cert: Certification, today: date) -> CertificationActions:
    """Which of "Self-assess" and "Assess" the certification page shows, by the services' rules."""
    row = cert.open_attempt.rubric if cert.open_attempt else cert.rubric
    if row is None:
        return CertificationActions()
    attempt_facts = [facts(a) for a in cert.attempts]
    self_assess = None
    own = actor.id == cert.rep.id and actor.has_role(Role.REP)
    if own and rubric_spec(row).self_assessment and cert.status != CertificationStatus.PASSED:
        self_assess = self_assessment_availability(attempt_facts, today, offered=True)
    invited = cert.open_attempt is not None and assessment_by(cert.open_attempt, actor) is not None
    assess = None
    if invited or (actor.id != cert.rep.id and can_assess(actor, cert.rep)):
        refused = already_assessed_by(actor, cert.open_attempt)
        assess = refused or assessment_availability(attempt_facts, today)
    return CertificationActions(self_assess=self_assess, assess=assess)
