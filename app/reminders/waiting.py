"""The queries of the coach's work queue: one per kind of waiting work, for many coaches at
once (``coach_ids``), so a page or a digest batch asks the same number whatever their number."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.certification.models import Assessment, CertificationAttempt
from app.coaching.models import Commitment, Debrief
from app.extensions import db
from app.plans.models import Milestone, MilestoneStatus, Plan


def verifications(coach_ids: list[int]) -> Any:
    query = (
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
            Milestone.status == MilestoneStatus.SUBMITTED,
            Milestone.submitted_at.is_not(None),
            Plan.archived_at.is_(None),
            User.active.is_(True),
            User.coach_id.in_(coach_ids),
        )
    )
    return db.session.execute(query)


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
    query = (
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
    return db.session.execute(query)


# Made once: a new alias per request makes a new statement that SQLAlchemy must compile again.
_OWN_ASSESSMENT = aliased(Assessment, name="own")
_ASSESSOR_ASSESSMENT = aliased(Assessment, name="assessor")


def self_assessed_attempts(coach_ids: list[int]) -> Any:
    """Open attempts of the coaches' reps that only the rep has scored: the coach assesses."""
    own, assessor = _OWN_ASSESSMENT, _ASSESSOR_ASSESSMENT
    query = (
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
    return db.session.execute(query)


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
