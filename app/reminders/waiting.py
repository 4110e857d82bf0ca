"""The queries of the coach's work queue: one per kind of waiting work, for many coaches at
once (``coach_ids``), so a page or a digest batch asks the same number whatever their number."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, select, union_all
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.certification.models import Assessment, CertificationAttempt
from app.coaching.models import Commitment, Debrief
from app.extensions import db
from app.plans.models import SUBMITTED, Milestone, Plan


def verifications(coach_ids: list[int]) -> Any:
    return db.session.execute(_verifications(coach_ids))


def _verifications(coach_ids: list[int]) -> Select[Any]:
    return (
        select(
            Milestone.id,
            Milestone.title,
            Milestone.submitted_at,
            User.id.label("rep_id"),
            User.full_name.label("rep_name"),
            User.coach_id,
        )
        .join(Plan, Plan.id == Milestone.plan_id)
        .join(User, User.id == Plan.rep_id)
        .where(
            SUBMITTED,  # the partial index's own condition, so SQLite uses it
            Milestone.submitted_at.is_not(None),
            Plan.archived_at.is_(None),
            User.active.is_(True),
            User.coach_id.in_(coach_ids),
        )
    )


def debriefs_without_notes(coach_ids: list[int], latest_today: date) -> Any:
    query = (
        select(
            Debrief.id,
            Debrief.kind,
            Debrief.held_on,
            Debrief.created_at,
            Debrief.coach_id,
            User.id.label("rep_id"),
            User.full_name.label("rep_name"),
        )
        .join(User, User.id == Debrief.rep_id)
        .where(
            Debrief.coach_id.in_(coach_ids),
            Debrief.recorded_at.is_(None),
            Debrief.held_on <= latest_today,
            User.active.is_(True),
        )
    )
    return db.session.execute(query)


def invited_assessments(coach_ids: list[int]) -> Any:
    """Assessments a coach was named for and has not scored, on attempts still open."""
    return db.session.execute(_invited_assessments(coach_ids))


def _invited_assessments(coach_ids: list[int]) -> Select[Any]:
    return (
        select(
            Assessment.created_at,
            Assessment.assessor_id.label("coach_id"),
            CertificationAttempt.stage,
            User.id.label("rep_id"),
            User.full_name.label("rep_name"),
        )
        .join(CertificationAttempt, CertificationAttempt.id == Assessment.attempt_id)
        .join(User, User.id == CertificationAttempt.rep_id)
        .where(
            Assessment.assessor_id.in_(coach_ids),
            Assessment.is_self.is_(False),
            Assessment.submitted_at.is_(None),
            CertificationAttempt.decided_at.is_(None),
            User.active.is_(True),
        )
    )


# Made once: a new alias per request makes a new statement that SQLAlchemy must compile again.
_OWN_ASSESSMENT = aliased(Assessment, name="own")
_ASSESSOR_ASSESSMENT = aliased(Assessment, name="assessor")


def self_assessed_attempts(coach_ids: list[int]) -> Any:
    """Open attempts of the coaches' reps that only the rep has scored: the coach assesses."""
    return db.session.execute(_self_assessed_attempts(coach_ids))


def _self_assessed_attempts(coach_ids: list[int]) -> Select[Any]:
    own, assessor = _OWN_ASSESSMENT, _ASSESSOR_ASSESSMENT
    return (
        select(
            CertificationAttempt.stage,
            User.coach_id,
            User.id.label("rep_id"),
            User.full_name.label("rep_name"),
            func.min(own.submitted_at).label("since"),
        )
        .join(User, User.id == CertificationAttempt.rep_id)
        .join(
            own,
            and_(
                own.attempt_id == CertificationAttempt.id,
                own.is_self.is_(True),
                own.submitted_at.is_not(None),
            ),
        )
        .where(
            CertificationAttempt.decided_at.is_(None),
            User.coach_id.in_(coach_ids),
            User.active.is_(True),
            ~exists().where(
                assessor.attempt_id == CertificationAttempt.id, assessor.is_self.is_(False)
            ),
        )
        .group_by(
            CertificationAttempt.id,
            CertificationAttempt.stage,
            User.coach_id,
            User.id,
            User.full_name,
        )
    )


def commitments_to_review(coach_ids: list[int], latest_today: date) -> Any:
    query = (
        select(
            Commitment.action,
            Commitment.due_on,
            User.coach_id,
            User.id.label("rep_id"),
            User.full_name.label("rep_name"),
        )
        .join(User, User.id == Commitment.rep_id)
        .where(
            User.coach_id.in_(coach_ids),
            User.active.is_(True),
            Commitment.closed_at.is_(None),
            Commitment.reviewed_at.is_(None),
            Commitment.due_on <= latest_today,
        )
    )
    return db.session.execute(query)


def oldest_verification_or_assessment(coach_ids: list[int]) -> dict[int, datetime]:
    """Per coach, since when the oldest verification or assessment has waited on them (naive
    UTC; coaches with none left out): the queue's own rows, aggregated in SQL, so an overview
    of every coach reads one row per coach instead of every coach's whole queue."""
    verifying = _verifications(coach_ids).subquery()
    invited = _invited_assessments(coach_ids).subquery()
    self_assessed = _self_assessed_attempts(coach_ids).subquery()
    waits = union_all(
        select(verifying.c.coach_id, verifying.c.submitted_at.label("since")),
        select(invited.c.coach_id, invited.c.created_at.label("since")),
        select(self_assessed.c.coach_id, self_assessed.c.since),
    ).subquery()
    query = select(waits.c.coach_id, func.min(waits.c.since)).group_by(waits.c.coach_id)
    return {coach_id: since for coach_id, since in db.session.execute(query)}
