"""Certification: assessing reps against rubrics, deciding attempts, correcting scores.

Who may do what (enforced here, whatever the pages show):

* a rep sees their own certifications and self-assesses (when the rubric allows it);
* the rep's coach, or an admin, assesses the rep; an assessor invited to an attempt assesses
  that attempt; nobody assesses themselves;
* HR and admins see everyone's certifications, a coach sees their own reps';
* an assessor's scores stay hidden from other assessors of the same open attempt until those
  have submitted their own (blind scoring), and from the rep until the attempt is decided.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.access import can_view_person, require_view_person
from app.accounts.models import Role, User
from app.accounts.service import organisation
from app.certification import scoring
from app.certification.models import Assessment, CertificationAttempt, Score, ScoreCorrection
from app.certification.status import (
    AttemptFacts,
    CertificationStatus,
    StatusReading,
    certification_status,
    cooldown_ends,
)
from app.curriculum.models import RubricTemplate
from app.curriculum.schema import EVIDENCE_LABELS, Rubric
from app.curriculum.service import stage_names, stages
from app.errors import Conflict, Invalid, NotAllowed, NotFound
from app.extensions import db
from app.plans import service as plans
from app.plans.models import Milestone

DUE_WINDOW_DAYS = 14


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


# --- rubrics ---------------------------------------------------------------------------------


# Parsed rubric versions by content hash: a version's content never changes, so this is safe.
_SPECS: dict[str, Rubric] = {}


def rubric_spec(row: RubricTemplate) -> Rubric:
    """The stored rubric version as the validated data class it was loaded from."""
    spec = _SPECS.get(row.content_hash)
    if spec is None:
        content = dict(row.content)
        # JSON turned the level numbers that key each criterion's descriptors into strings.
        content["criteria"] = [
            {**c, "levels": {int(level): text for level, text in c["levels"].items()}}
            for c in content["criteria"]
        ]
        spec = _SPECS[row.content_hash] = Rubric.model_validate(content)
    return spec


def current_rubrics() -> list[RubricTemplate]:
    order = {stage.key: stage.position for stage in stages()}
    rows = db.session.scalars(select(RubricTemplate).where(RubricTemplate.is_current.is_(True)))
    return sorted(rows, key=lambda r: (order.get(r.stage, 99), r.role or "", r.rubric_key))


def current_rubric(key: str) -> RubricTemplate:
    row = db.session.scalar(
        select(RubricTemplate).where(
            RubricTemplate.rubric_key == key, RubricTemplate.is_current.is_(True)
        )
    )
    if row is None:
        raise NotFound(f"No current rubric '{key}'.")
    return row


def rubric_for(rep: User, stage: str) -> RubricTemplate:
    """The current rubric a rep is certified against: their plan's role's, else the stage's."""
    plan = plans.active_plan(rep)
    role = (plan.template.role if plan else "").casefold()
    rows = [r for r in current_rubrics() if r.stage == stage]
    for row in rows:
        if row.role and row.role.casefold() == role:
            return row
    general = next((r for r in rows if not r.role), None)
    if general is None:
        raise NotFound(f"There is no rubric for the {stage} stage yet.")
    return general


# --- permissions -----------------------------------------------------------------------------


def can_assess(actor: User, rep: User) -> bool:
    """The rep's coach or an admin; never the rep themselves."""
    if actor.id == rep.id or not actor.is_active:
        return False
    if actor.has_role(Role.ADMIN):
        return True
    return actor.has_role(Role.COACH) and rep.coach_id == actor.id


def _require_assessor(actor: User, rep: User) -> None:
    if actor.id == rep.id:
        raise NotAllowed("You cannot assess yourself; use the self-assessment instead.")
    if not can_assess(actor, rep):
        raise NotAllowed("Only the rep's coach, an admin or an invited assessor can assess.")


def can_be_second_assessor(user: User, rep: User, actor: User) -> bool:
    return (
        user.is_active
        and user.id not in (rep.id, actor.id)
        and user.has_role(Role.COACH, Role.ADMIN)
    )


def second_assessor_choices(actor: User, rep: User) -> list[User]:
    people = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name))
    return [user for user in people if can_be_second_assessor(user, rep, actor)]


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


def _certification(
    rep: User,
    stage: str,
    names: Mapping[str, str],
    attempts: list[CertificationAttempt],
    milestones: Mapping[str, Milestone],
    today: date,
) -> Certification:
    try:
        rubric: RubricTemplate | None = rubric_for(rep, stage)
    except NotFound:
        rubric = None
    return Certification(
        rep=rep,
        stage=stage,
        stage_name=names.get(stage, stage),
        rubric=rubric,
        reading=certification_status([facts(a) for a in attempts], today),
        attempts=attempts,
        milestone=milestones.get(stage),
    )


def _certification_milestones(rep: User) -> dict[str, Milestone]:
    plan = plans.active_plan(rep)
    found: dict[str, Milestone] = {}
    for milestone in plan.milestones if plan else []:
        if milestone.certification_stage and milestone.certification_stage not in found:
            found[milestone.certification_stage] = milestone
    return found


def certifications_of(actor: User, rep: User, today: date) -> list[Certification]:
    """Every certification in the rep's plan, and any other stage they have attempted."""
    require_view_person(actor, rep)
    names = stage_names()
    milestones = _certification_milestones(rep)
    by_stage: dict[str, list[CertificationAttempt]] = {}
    for attempt in attempts_of(rep):
        by_stage.setdefault(attempt.stage, []).append(attempt)
    keys = [key for key in names if key in milestones or key in by_stage]
    return [_certification(rep, k, names, by_stage.get(k, []), milestones, today) for k in keys]


def certification_of(actor: User, rep: User, stage: str, today: date) -> Certification:
    require_view_person(actor, rep)
    names = stage_names()
    if stage not in names:
        raise NotFound("No such sales stage.")
    milestones = _certification_milestones(rep)
    return _certification(rep, stage, names, attempts_of(rep, stage), milestones, today)


def get_attempt(actor: User, attempt_id: int) -> CertificationAttempt:
    attempt = db.session.get(CertificationAttempt, attempt_id)
    if attempt is None:
        raise NotFound("No such certification attempt.")
    if not (can_view_person(actor, attempt.rep) or _assessment_of(attempt, actor) is not None):
        raise NotAllowed("You can only see your own certifications or those of reps you coach.")
    return attempt


def _assessment_of(attempt: CertificationAttempt, user: User) -> Assessment | None:
    return next((a for a in attempt.assessor_assessments if a.assessor_id == user.id), None)


def visible_assessments(actor: User, attempt: CertificationAttempt) -> list[Assessment]:
    """Blind scoring: assessors' scores show once the attempt is decided, or to an assessor
    of it who has submitted their own; the rep's self-assessment shows to everyone who may
    see the attempt, except an assessor who has yet to score it."""
    own = _assessment_of(attempt, actor)
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
            .order_by(Assessment.created_at)
        )
    )


# --- assessing -------------------------------------------------------------------------------


@dataclass
class AssessmentEntry:
    """What an assessor (or the rep, for a self-assessment) fills in."""

    scores: Mapping[str, int | None]
    comments: Mapping[str, str] = field(default_factory=dict)
    feedback: str = ""
    evidence_kind: str = ""
    evidence_url: str = ""
    assessed_on: date | None = None


def score_field(key: str) -> str:
    """The form field a criterion's score is entered in (and errors are shown next to)."""
    return f"score-{key}"


def comment_field(key: str) -> str:
    return f"comment-{key}"


def _open_attempt(rep: User, stage: str) -> CertificationAttempt | None:
    return next((a for a in reversed(attempts_of(rep, stage)) if not a.is_decided), None)


def _check_scores(rubric: Rubric, entry: AssessmentEntry) -> dict[str, int]:
    levels = rubric.levels
    scale = f"{levels[0]}-{levels[-1]}"
    checked = {}
    for criterion in rubric.criteria:
        level = entry.scores.get(criterion.key)
        if level is None:
            message = f"Score {criterion.name}: choose a level."
            raise Invalid(message, field=score_field(criterion.key))
        if level not in levels:
            raise Invalid(
                f"{level} is not a level of this rubric's scale ({scale}).",
                field=score_field(criterion.key),
            )
        checked[criterion.key] = level
    unknown = set(entry.scores) - set(checked)
    if unknown:
        raise Invalid(f"This rubric has no criterion {', '.join(sorted(unknown))}.")
    return checked


def _check_evidence(rubric: Rubric, entry: AssessmentEntry) -> None:
    kind, url = entry.evidence_kind.strip(), entry.evidence_url.strip()
    if kind and kind not in rubric.evidence.kinds:
        allowed = ", ".join(EVIDENCE_LABELS[k].lower() for k in rubric.evidence.kinds)
        raise Invalid(f"This rubric accepts: {allowed}.", field="evidence_kind")
    if rubric.evidence.required and not kind:
        message = "Say what the scores are based on: this rubric needs evidence."
        raise Invalid(message, field="evidence_kind")
    if url and not url.lower().startswith(("https://", "http://")):
        raise Invalid("Enter a full link, starting with https://", field="evidence_url")
    if kind == "recorded-call" and not url:
        raise Invalid("Link the recorded call the scores are based on.", field="evidence_url")


def _check_date(attempts: Sequence[CertificationAttempt], assessed_on: date, today: date) -> None:
    if assessed_on > today:
        raise Invalid("The assessment date cannot be in the future.", field="assessed_on")
    ends = cooldown_ends([facts(a) for a in attempts])
    if ends is not None and assessed_on < ends:
        last = next(a for a in reversed(attempts) if a.is_decided)
        when = _day(last.assessed_on) if last.assessed_on else "the last attempt"
        raise Invalid(
            f"Not passed on {when}; the next attempt is possible from {_day(ends)}.",
            field="assessed_on",
        )


def assessment_rubric(actor: User, rep: User, stage: str) -> RubricTemplate:
    """Check the actor may assess ``rep`` on ``stage`` now; the rubric version to score on."""
    if stage not in stage_names():
        raise NotFound("No such sales stage.")
    open_attempt = _open_attempt(rep, stage)
    invited = _assessment_of(open_attempt, actor) if open_attempt else None
    if invited is None:
        _require_assessor(actor, rep)
    elif invited.is_submitted:
        raise Conflict("You have already assessed this attempt; the others are still scoring it.")
    return open_attempt.rubric if open_attempt else rubric_for(rep, stage)


def submit_assessment(
    actor: User,
    rep: User,
    stage: str,
    entry: AssessmentEntry,
    today: date,
    second_assessor: User | None = None,
) -> Assessment:
    """Record an assessor's scores; the attempt is decided when all its assessors have scored.

    Every check runs before anything changes, so a refused assessment leaves no trace.
    """
    row = assessment_rubric(actor, rep, stage)
    rubric = rubric_spec(row)
    levels = _check_scores(rubric, entry)
    _check_evidence(rubric, entry)
    assessed_on = entry.assessed_on or today
    _check_date(attempts_of(rep, stage), assessed_on, today)
    open_attempt = _open_attempt(rep, stage)
    invited = _assessment_of(open_attempt, actor) if open_attempt else None
    others = [
        a for a in (open_attempt.assessor_assessments if open_attempt else []) if a is not invited
    ]
    if second_assessor is not None:
        if not can_be_second_assessor(second_assessor, rep, actor):
            raise Invalid(
                "The second assessor must be another active coach or admin, not the rep.",
                field="second_assessor",
            )
        if any(a.assessor_id == second_assessor.id for a in others):
            name = second_assessor.full_name
            raise Invalid(f"{name} already assesses this attempt.", field="second_assessor")
    if rubric.assessors.required > 1 and not others and second_assessor is None:
        raise Invalid(
            "This certification needs two assessors: choose the second assessor.",
            field="second_assessor",
        )

    attempt = open_attempt or _new_attempt(rep, stage, row)
    assessment = invited or Assessment(assessor=actor, is_self=False, created_at=_now())
    if invited is None:
        attempt.assessments.append(assessment)
    _fill(assessment, rubric, levels, entry, assessed_on)
    if second_assessor is not None:
        attempt.assessments.append(
            Assessment(assessor=second_assessor, is_self=False, invited_by=actor, created_at=_now())
        )
    _score(assessment, rubric)
    db.session.flush()
    _decide_if_complete(attempt, rubric, actor)
    db.session.flush()
    return assessment


def self_assessment_rubric(actor: User, stage: str, today: date) -> RubricTemplate:
    """Check the rep may self-assess ``stage`` now; the rubric version to score on."""
    if not actor.has_role(Role.REP):
        raise NotAllowed("Self-assessment is for reps.")
    if stage not in stage_names():
        raise NotFound("No such sales stage.")
    attempts = attempts_of(actor, stage)
    open_attempt = next((a for a in reversed(attempts) if not a.is_decided), None)
    row = open_attempt.rubric if open_attempt else rubric_for(actor, stage)
    if not rubric_spec(row).self_assessment:
        raise Conflict("This certification has no self-assessment; your coach assesses it.")
    if open_attempt is not None and open_attempt.self_assessment is not None:
        raise Conflict("You have already self-assessed this attempt.")
    if open_attempt is not None and open_attempt.assessor_assessments:
        raise Conflict("Your assessors have started on this attempt; self-assess the next one.")
    ends = cooldown_ends([facts(a) for a in attempts])
    if ends is not None and today < ends:
        raise Conflict(f"Your next attempt is possible from {_day(ends)}.")
    return row


def submit_self_assessment(
    actor: User, stage: str, entry: AssessmentEntry, today: date
) -> Assessment:
    """The rep scores themselves before the coach does, with a reflection per criterion."""
    row = self_assessment_rubric(actor, stage, today)
    rubric = rubric_spec(row)
    levels = _check_scores(rubric, entry)
    attempt = _open_attempt(actor, stage) or _new_attempt(actor, stage, row)
    assessment = Assessment(assessor=actor, is_self=True, created_at=_now())
    attempt.assessments.append(assessment)
    _fill(assessment, rubric, levels, entry, today)
    _score(assessment, rubric)
    db.session.flush()
    return assessment


def _new_attempt(rep: User, stage: str, row: RubricTemplate) -> CertificationAttempt:
    attempt = CertificationAttempt(rep=rep, stage=stage, rubric=row, opened_at=_now())
    db.session.add(attempt)
    return attempt


def _fill(
    assessment: Assessment,
    rubric: Rubric,
    levels: Mapping[str, int],
    entry: AssessmentEntry,
    assessed_on: date,
) -> None:
    assessment.scores = [
        Score(
            criterion_key=criterion.key,
            position=position,
            level=levels[criterion.key],
            comment=(entry.comments.get(criterion.key) or "").strip(),
        )
        for position, criterion in enumerate(rubric.criteria)
    ]
    assessment.feedback = entry.feedback.strip()
    assessment.evidence_kind = entry.evidence_kind.strip()
    assessment.evidence_url = entry.evidence_url.strip()
    assessment.assessed_on = assessed_on
    assessment.submitted_at = _now()


def _score(assessment: Assessment, rubric: Rubric) -> None:
    criteria, rule = scoring.rules_of(rubric)
    outcome = scoring.evaluate(criteria, rule, assessment.levels())
    assessment.passed = outcome.passed
    assessment.weighted_average = outcome.weighted_average
    assessment.explanation = outcome.explanation


def _decide_if_complete(attempt: CertificationAttempt, rubric: Rubric, actor: User) -> None:
    submitted = attempt.submitted_assessor_assessments
    if attempt.pending_assessor_assessments or len(submitted) < rubric.assessors.required:
        return
    _decide(attempt, rubric, actor)


def _decide(attempt: CertificationAttempt, rubric: Rubric, actor: User) -> None:
    """Apply the rubric's final rule; passing completes the rep's certification milestones."""
    submitted = attempt.submitted_assessor_assessments
    criteria, rule = scoring.rules_of(rubric)
    outcome = scoring.combine(
        criteria,
        rule,
        rubric.assessors.final_rule,
        [(_name(a.assessor), a.levels()) for a in submitted],
    )
    was_passed = attempt.is_decided and bool(attempt.passed)
    assessed_on = max(a.assessed_on for a in submitted if a.assessed_on)
    attempt.passed = outcome.passed
    attempt.weighted_average = outcome.weighted_average
    attempt.explanation = outcome.explanation
    attempt.assessed_on = assessed_on
    attempt.decided_at = attempt.decided_at or _now()
    if outcome.passed:
        attempt.expires_on = assessed_on + timedelta(days=rubric.validity_days)
        attempt.next_attempt_from = None
    else:
        attempt.expires_on = None
        attempt.next_attempt_from = assessed_on + timedelta(days=rubric.cooldown_days)
    stage_name = stage_names().get(attempt.stage, attempt.stage)
    if outcome.passed and not was_passed:
        average = scoring.format_score(outcome.weighted_average)
        note = f"Passed the {stage_name} certification (weighted average {average})."
        plans.complete_certification_milestones(attempt.rep, attempt.stage, actor, note)
    elif was_passed and not outcome.passed:
        note = f"A score correction means the {stage_name} certification is no longer passed."
        plans.reopen_certification_milestones(attempt.rep, attempt.stage, actor, note)


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


# --- corrections -----------------------------------------------------------------------------


def get_score(actor: User, score_id: int) -> Score:
    score = db.session.get(Score, score_id)
    if score is None:
        raise NotFound("No such score.")
    get_attempt(actor, score.assessment.attempt_id)
    return score


def require_may_correct(actor: User, score: Score) -> None:
    """The assessor who gave a submitted score, or an admin; self-assessments are not corrected."""
    assessment = score.assessment
    if assessment.is_self:
        raise Conflict("Self-assessments are the rep's own view and are not corrected.")
    if not (assessment.assessor_id == actor.id or actor.has_role(Role.ADMIN)):
        raise NotAllowed("Only the assessor who gave this score, or an admin, can correct it.")
    if actor.id == assessment.attempt.rep_id:
        raise NotAllowed("You cannot correct scores of your own certification.")
    if not assessment.is_submitted:
        raise Conflict("This assessment has not been submitted yet.")


def correct_score(actor: User, score: Score, new_level: int | None, reason: str) -> ScoreCorrection:
    """Change a recorded score on the record: who, when, old and new level, and why."""
    require_may_correct(actor, score)
    assessment = score.assessment
    attempt = assessment.attempt
    rubric = rubric_spec(attempt.rubric)
    if new_level is None or new_level not in rubric.levels:
        raise Invalid("Choose a level of the rubric's scale.", field="level")
    if new_level == score.level:
        raise Invalid("That is the level already recorded.", field="level")
    if not reason.strip():
        raise Invalid("Say why the score is corrected; the rep will see it.", field="reason")
    correction = ScoreCorrection(
        actor=actor, at=_now(), old_level=score.level, new_level=new_level, reason=reason.strip()
    )
    score.corrections.append(correction)
    score.level = new_level
    _score(assessment, rubric)
    if attempt.is_decided:
        _decide(attempt, rubric, actor)
    db.session.flush()
    return correction


# --- the team view ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StagePassRate:
    stage: str
    name: str
    decided: int
    passed: int
    reps_certified: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.passed / self.decided) if self.decided else None


@dataclass(frozen=True)
class Upcoming:
    """A certification due, overdue or expiring soon."""

    certification: Certification
    kind: str  # "due", "overdue" or "expiring"
    on: date


@dataclass
class TeamCertifications:
    reps: list[User]
    rubrics: list[RubricTemplate]
    stage_keys: list[str]
    stage_names: dict[str, str]
    cells: dict[tuple[int, str], Certification]
    pass_rates: list[StagePassRate]
    upcoming: list[Upcoming]


def visible_reps(actor: User) -> list[User]:
    """The reps whose certifications the actor oversees: their own reps, or everyone."""
    query = select(User).where(User.active.is_(True)).order_by(User.full_name)
    if not actor.sees_everyone:
        if not actor.has_role(Role.COACH):
            raise NotAllowed("Only coaches, HR and admins see team certifications.")
        query = query.where(User.coach_id == actor.id)
    return [user for user in db.session.scalars(query) if user.has_role(Role.REP)]


def team_certifications(actor: User, today: date) -> TeamCertifications:
    reps = visible_reps(actor)
    names = stage_names()
    rubrics = current_rubrics()
    stage_keys = [key for key in names if any(r.stage == key for r in rubrics)]
    cells: dict[tuple[int, str], Certification] = {}
    upcoming: list[Upcoming] = []
    for rep in reps:
        milestones = _certification_milestones(rep)
        by_stage: dict[str, list[CertificationAttempt]] = {}
        for attempt in attempts_of(rep):
            by_stage.setdefault(attempt.stage, []).append(attempt)
        for key in stage_keys:
            cert = _certification(rep, key, names, by_stage.get(key, []), milestones, today)
            cells[(rep.id, key)] = cert
            upcoming.extend(_upcoming(cert, today))
    rates = []
    for key in stage_keys:
        stage_certs = [cells[(rep.id, key)] for rep in reps]
        decided = [a for c in stage_certs for a in c.decided_attempts]
        rates.append(
            StagePassRate(
                stage=key,
                name=names[key],
                decided=len(decided),
                passed=sum(1 for a in decided if a.passed),
                reps_certified=sum(c.status == CertificationStatus.PASSED for c in stage_certs),
            )
        )
    upcoming.sort(key=lambda u: (u.on, u.certification.rep.full_name))
    return TeamCertifications(reps, rubrics, stage_keys, names, cells, rates, upcoming)


def _upcoming(cert: Certification, today: date) -> list[Upcoming]:
    horizon = today + timedelta(days=DUE_WINDOW_DAYS)
    if cert.status == CertificationStatus.PASSED:
        expires = cert.reading.expires_on
        if expires is not None and expires <= horizon:
            return [Upcoming(cert, "expiring", expires)]
        return []
    due = cert.due_date
    if due is not None and due <= horizon:
        return [Upcoming(cert, "overdue" if due < today else "due", due)]
    return []


# --- calibration -----------------------------------------------------------------------------


@dataclass
class CalibrationReport:
    rubric: RubricTemplate
    spec: Rubric
    attempts: int
    spreads: list[Any]
    leans: list[tuple[str, Any]]


def calibration_report(actor: User, rubric_key: str) -> CalibrationReport:
    """Across attempts scored by two or more assessors, where do they disagree, and who leans?

    HR and admins see every attempt; a coach sees those of their reps and those they scored.
    """
    from app.certification import calibration

    if not (actor.sees_everyone or actor.has_role(Role.COACH)):
        raise NotAllowed("Calibration reports are for coaches, HR and admins.")
    row = current_rubric(rubric_key)
    spec = rubric_spec(row)
    attempts = db.session.scalars(
        select(CertificationAttempt)
        .join(RubricTemplate)
        .where(RubricTemplate.rubric_key == rubric_key)
        .options(selectinload(CertificationAttempt.assessments).selectinload(Assessment.scores))
    )
    scored: list[dict[int, dict[str, int]]] = []
    people: dict[int, str] = {}
    for attempt in attempts:
        submitted = [a for a in attempt.submitted_assessor_assessments if a.assessor_id]
        if len(submitted) < 2:
            continue
        mine = attempt.rep.coach_id == actor.id or any(a.assessor_id == actor.id for a in submitted)
        if not (actor.sees_everyone or mine):
            continue
        scored.append({a.assessor_id: a.levels() for a in submitted if a.assessor_id})
        people.update({a.assessor_id: _name(a.assessor) for a in submitted if a.assessor_id})
    keys = [c.key for c in spec.criteria]
    return CalibrationReport(
        rubric=row,
        spec=spec,
        attempts=len(scored),
        spreads=calibration.spreads(scored, keys),
        leans=[(people[lean.assessor_id], lean) for lean in calibration.leans(scored)],
    )


# --- the certificate -------------------------------------------------------------------------


def certificate_context(actor: User, attempt: CertificationAttempt) -> dict[str, Any]:
    """Plain values for the certificate PDF of a passed attempt (no ORM objects)."""
    if not attempt.is_decided or not attempt.passed:
        raise Conflict("A certificate is issued only for a passed certification.")
    spec = rubric_spec(attempt.rubric)
    finals = final_scores(attempt)
    assessors = attempt.submitted_assessor_assessments
    return {
        "organisation": organisation().name,
        "rep_name": attempt.rep.full_name,
        "rep_title": attempt.rep.job_title,
        "stage_name": stage_names().get(attempt.stage, attempt.stage),
        "rubric_title": spec.title,
        "rubric_version": attempt.rubric.version,
        "assessed_on": _day(attempt.assessed_on) if attempt.assessed_on else "",
        "expires_on": _day(attempt.expires_on) if attempt.expires_on else "",
        "weighted_average": scoring.format_score(attempt.weighted_average or 0),
        "explanation": attempt.explanation,
        "assessors": [_name(a.assessor) for a in assessors],
        "scale_top": spec.levels[-1],
        "scores": [
            {
                "name": c.name,
                "weight": scoring.format_score(c.weight),
                "score": scoring.format_score(finals.get(c.key, 0)),
                "level_name": spec.level_name(round(finals.get(c.key, 0))),
            }
            for c in spec.criteria
        ],
        "certificate_id": f"SR-{attempt.id:06d}",
    }
