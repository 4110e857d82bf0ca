"""Calibration: where assessors of the same attempts disagree, and who leans which way."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Role, User
from app.certification import calibration
from app.certification.models import Assessment, CertificationAttempt
from app.certification.service.records import _name
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
    attempts = db.session.scalars(
        select(CertificationAttempt)
        .join(RubricTemplate)
        .where(RubricTemplate.rubric_key == rubric_key)
        .options(
            joinedload(CertificationAttempt.rep),
            selectinload(CertificationAttempt.assessments).selectinload(Assessment.scores),
            selectinload(CertificationAttempt.assessments).joinedload(Assessment.assessor),
        )
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
