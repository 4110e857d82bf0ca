"""Score corrections: a recorded score changed on the record (who, when, old and new level, why),
the attempt decided again, and the rep told."""

from __future__ import annotations

from app import once
from app.accounts.models import User
from app.certification.models import CertificationAttempt, Score, ScoreCorrection
from app.certification.service.access import require_correct_score
from app.certification.service.assessing import _decide, _score
from app.certification.service.records import _now, attempt_link, get_attempt
from app.certification.service.rubrics import rubric_spec
from app.curriculum.service import stage_names
from app.errors import Invalid
from app.extensions import db
from app.lookup import get_or_not_found
from app.notifications.service import notify


def get_score(actor: User, score_id: int) -> Score:
    score = get_or_not_found(Score, score_id, "No such score.")
    get_attempt(actor, score.assessment.attempt_id)
    return score


def correct_score(
    actor: User, score: Score, new_level: int | None, reason: str, key: str | None = None
) -> ScoreCorrection:
    """Change a recorded score on the record: who, when, old and new level, and why.

    Once per form (``key``); corrections from two pages at once take turns on the score's row.
    """
    require_correct_score(actor, score)
    earlier = once.earlier_result(key, ScoreCorrection)
    if earlier is not None:
        return earlier
    once.lock(score, Score.level)
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
    if attempt.is_decided:  # the rep sees scores once the attempt is decided
        _decide(attempt, rubric, actor)
        _tell_of_correction(actor, correction, score.criterion_key, attempt)
    db.session.flush()
    once.remember_result(key, correction.id)
    return correction


def _tell_of_correction(
    actor: User, correction: ScoreCorrection, criterion_key: str, attempt: CertificationAttempt
) -> None:
    """The rep sees the corrected score, the result it leads to, and why."""
    rubric = rubric_spec(attempt.rubric)
    criterion = next((c.name for c in rubric.criteria if c.key == criterion_key), "a")
    stage_name = stage_names().get(attempt.stage, attempt.stage)
    result = "passed" if attempt.passed else "not passed"
    message = (
        f"{actor.full_name} corrected your {criterion} score on the {stage_name} "
        f"certification from {correction.old_level} to {correction.new_level} "
        f"(now {result}): {correction.reason}"
    )
    notify(attempt.rep, "score-corrected", message, attempt_link(attempt.id))
