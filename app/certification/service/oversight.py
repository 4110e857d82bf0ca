"""Overseeing: the team matrix, pass rates, due dates, calibration, and the certificate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Role, User
from app.accounts.service import organisation
from app.certification import calibration, scoring
from app.certification.models import Assessment, CertificationAttempt
from app.certification.service.records import (
    Certification,
    _certification,
    _context_of,
    _day,
    _name,
    attempts_by_stage,
    final_scores,
)
from app.certification.service.rubrics import current_rubric, current_rubrics, rubric_spec
from app.certification.status import CertificationStatus
from app.curriculum.models import RubricTemplate
from app.curriculum.schema import Rubric
from app.curriculum.service import stage_names
from app.errors import Conflict, NotAllowed
from app.extensions import db

DUE_WINDOW_DAYS = 14


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
        context = _context_of(rep, rubrics)
        by_stage = attempts_by_stage(rep)
        for key in stage_keys:
            cert = _certification(rep, key, context, by_stage.get(key, []), today)
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


def upcoming_of(cert: Certification, today: date) -> list[Upcoming]:
    """The certification if it is due, overdue or expiring within the window (else nothing)."""
    return _upcoming(cert, today)


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
