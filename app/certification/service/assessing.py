"""Assessing: self-assessments, assessors' scores, deciding attempts (corrections.py corrects)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from app import once
from app.accounts.models import Role, User
from app.certification import scoring
from app.certification.models import Assessment, CertificationAttempt, Score
from app.certification.service.access import (
    assessment_by,
    can_be_second_assessor,
    require_assess,
)
from app.certification.service.certificate import forget_certificate
from app.certification.service.records import (
    _day,
    _name,
    _now,
    _open_attempt,
    already_assessed_by,
    attempt_link,
    attempts_of,
    facts,
)
from app.certification.service.rubrics import rubric_for, rubric_spec
from app.certification.service.scheduling import mark_held
from app.certification.status import cooldown_availability, self_assessment_availability
from app.curriculum.models import RubricTemplate
from app.curriculum.schema import EVIDENCE_LABELS, Rubric
from app.curriculum.service import stage_names
from app.errors import Conflict, Invalid, NotAllowed, NotFound
from app.extensions import db
from app.notifications.service import notify
from app.plans import service as plans
from app.webhooks.models import EventType
from app.webhooks.service import record_event

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
    refused = cooldown_availability([facts(a) for a in attempts], assessed_on)
    if refused is not None:
        raise Invalid(refused.reason, field="assessed_on")


def assessment_rubric(actor: User, rep: User, stage: str) -> RubricTemplate:
    """Check the actor may assess ``rep`` on ``stage`` now; the rubric version to score on."""
    if stage not in stage_names():
        raise NotFound("No such sales stage.")
    open_attempt = _open_attempt(rep, stage)
    refused = already_assessed_by(actor, open_attempt)
    if refused is not None:
        raise Conflict(refused.reason)
    if open_attempt is None or assessment_by(open_attempt, actor) is None:
        require_assess(actor, rep)
    return open_attempt.rubric if open_attempt else rubric_for(rep, stage)


def submit_assessment(
    actor: User,
    rep: User,
    stage: str,
    entry: AssessmentEntry,
    today: date,
    second_assessor: User | None = None,
    key: str | None = None,
) -> Assessment:
    """Record an assessor's scores; the attempt is decided when all its assessors have scored.

    Every check runs before anything changes, so a refused assessment leaves no trace. Once
    per form (``key``): a repeat answers with the assessment the first submission recorded.
    """
    earlier = once.earlier_result(key, Assessment)
    if earlier is not None:
        return earlier
    _lock_attempts_of(rep)
    row = assessment_rubric(actor, rep, stage)
    rubric = rubric_spec(row)
    levels = _check_scores(rubric, entry)
    _check_evidence(rubric, entry)
    assessed_on = entry.assessed_on or today
    _check_date(attempts_of(rep, stage), assessed_on, today)
    open_attempt = _open_attempt(rep, stage)
    invited = assessment_by(open_attempt, actor) if open_attempt else None
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
        _ask_to_assess(second_assessor, attempt, f"{actor.full_name} named you second assessor")
    _score(assessment, rubric)
    db.session.flush()
    _decide_if_complete(attempt, rubric, actor)
    db.session.flush()
    mark_held(rep.id, stage, attempt.id)  # the booking for it, if there was one, took place
    once.remember_result(key, assessment.id)
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
    offered = rubric_spec(row).self_assessment
    attempt_facts = [facts(a) for a in attempts]
    availability = self_assessment_availability(attempt_facts, today, offered=offered)
    if not availability.possible:
        raise Conflict(availability.reason)
    return row


def submit_self_assessment(
    actor: User, stage: str, entry: AssessmentEntry, today: date, key: str | None = None
) -> Assessment:
    """The rep scores themselves before the coach does, with a reflection per criterion."""
    earlier = once.earlier_result(key, Assessment)
    if earlier is not None:
        return earlier
    _lock_attempts_of(actor)
    row = self_assessment_rubric(actor, stage, today)
    rubric = rubric_spec(row)
    levels = _check_scores(rubric, entry)
    attempt = _open_attempt(actor, stage) or _new_attempt(actor, stage, row)
    assessment = Assessment(assessor=actor, is_self=True, created_at=_now())
    attempt.assessments.append(assessment)
    _fill(assessment, rubric, levels, entry, today)
    _score(assessment, rubric)
    db.session.flush()
    if actor.coach is not None and not attempt.assessor_assessments:
        _ask_to_assess(actor.coach, attempt, f"{actor.full_name} assessed themselves")
    once.remember_result(key, assessment.id)
    return assessment


def _ask_to_assess(assessor: User, attempt: CertificationAttempt, why: str) -> None:
    """The attempt now waits on ``assessor``'s scores: they hear of it, by email too."""
    stage_name = stage_names().get(attempt.stage, attempt.stage)
    message = f"{why}: assess {attempt.rep.full_name}'s {stage_name} certification."
    link = f"/certifications/reps/{attempt.rep.id}/{attempt.stage}/assess"
    notify(assessor, "assessment-to-do", message, link, waits_on_recipient=True)


def _lock_attempts_of(rep: User) -> None:
    """Assessing a rep takes turns: the rep's row is the lock (their attempts have no parent).

    What was read before the lock (an attempt another request has since decided, or invited
    an assessor to) is read again.
    """
    once.lock(rep, User.active)
    db.session.expire_all()


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
    _tell_result(attempt)


def _tell_result(attempt: CertificationAttempt) -> None:
    """The rep learns the result as the attempt is decided, in the same transaction."""
    stage_name = stage_names().get(attempt.stage, attempt.stage)
    expires, retry = attempt.expires_on, attempt.next_attempt_from
    if attempt.passed:
        result = f"passed, valid until {_day(expires)}" if expires else "passed"
    else:
        result = f"not passed; next attempt from {_day(retry)}" if retry else "not passed"
    message = f"Your {stage_name} certification is decided: {result}."
    notify(attempt.rep, "certification-decided", message, attempt_link(attempt.id))


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
    was_decided = attempt.is_decided
    was_passed = was_decided and bool(attempt.passed)
    assessed_on = max(a.assessed_on for a in submitted if a.assessed_on)
    attempt.passed = outcome.passed
    attempt.weighted_average = outcome.weighted_average
    attempt.explanation = outcome.explanation
    attempt.assessed_on = assessed_on
    attempt.decided_at = attempt.decided_at or _now()
    forget_certificate(attempt)
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
    if not was_decided or was_passed != outcome.passed:
        _record_decision(attempt)


def _record_decision(attempt: CertificationAttempt) -> None:
    """Webhooks hear of a decision, and of a correction that turns it the other way."""
    passed = bool(attempt.passed)
    record_event(
        EventType.CERTIFICATION_PASSED if passed else EventType.CERTIFICATION_FAILED,
        {
            "attempt_id": attempt.id,
            "rep_id": attempt.rep_id,
            "stage": attempt.stage,
            "passed": passed,
            "weighted_average": attempt.weighted_average,
            "assessed_on": attempt.assessed_on.isoformat() if attempt.assessed_on else None,
            "expires_on": attempt.expires_on.isoformat() if attempt.expires_on else None,
        },
    )
