"""Calibration: where assessors of the same attempts disagree, and who leans which way."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select

from app.accounts.models import Role, User
from app.certification import calibration
from app.certification.models import Assessment, CertificationAttempt, Score
from app.certification.service.rubrics import current_rubric, rubric_spec
from app.curriculum.models import RubricTemplate
from app.curriculum.schema import Rubric
from app.errors import NotAllowed
from app.extensions import db

# --- calibration -----------------------------------------------------------------------------


@dataclass
class CalibrationReport:
    rubric: RubricTemplate
    spec: Rubric
    attempts: int
    spreads: list[calibration.Spread]
    leans: list[tuple[str, calibration.Lean]]


def calibration_report(actor: User, rubric_key: str) -> CalibrationReport:
    """Across attempts scored by two or more assessors, where do they disagree, and who leans?

    HR and admins see every attempt; a coach sees those of their reps and those they scored.
    """
    if not (actor.sees_everyone or actor.has_role(Role.COACH)):
        raise NotAllowed("Calibration reports are for coaches, HR and admins.")
    row = current_rubric(rubric_key)
    spec = rubric_spec(row)
    # Read as columns in three queries: which attempts count, their scores, the assessors' names.
    assessor_rows = (
        Assessment.is_self.is_(False),
        Assessment.submitted_at.is_not(None),
        Assessment.assessor_id.is_not(None),
    )
    counted = (
        select(CertificationAttempt.id)
        .join(Assessment, Assessment.attempt_id == CertificationAttempt.id)
        .join(RubricTemplate, RubricTemplate.id == CertificationAttempt.rubric_id)
        .where(RubricTemplate.rubric_key == rubric_key, *assessor_rows)
        .group_by(CertificationAttempt.id)
        .having(func.count() >= 2)
    )
    if not actor.sees_everyone:
        mine = or_(
            CertificationAttempt.rep_id.in_(select(User.id).where(User.coach_id == actor.id)),
            func.sum(case((Assessment.assessor_id == actor.id, 1), else_=0)) > 0,
        )
        counted = counted.having(mine)
    levels = db.session.execute(
        select(Assessment.attempt_id, Assessment.assessor_id, Score.criterion_key, Score.level)
        .join(Score, Score.assessment_id == Assessment.id)
        .where(Assessment.attempt_id.in_(counted), *assessor_rows)
        .order_by(Assessment.attempt_id, Assessment.id, Score.position)
    )
    by_attempt: dict[int, dict[int, dict[str, int]]] = {}
    for attempt_id, assessor_id, key, level in levels:
        if assessor_id is None:  # excluded by the query; the column is nullable
            continue
        by_attempt.setdefault(attempt_id, {}).setdefault(assessor_id, {})[key] = level
    scored = list(by_attempt.values())
    ids = {assessor_id for scores in scored for assessor_id in scores}
    people = dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())
    keys = [c.key for c in spec.criteria]
    return CalibrationReport(
        rubric=row,
        spec=spec,
        attempts=len(scored),
        spreads=calibration.spreads(scored, keys),
        leans=[(people[lean.assessor_id], lean) for lean in calibration.leans(scored)],
    )
