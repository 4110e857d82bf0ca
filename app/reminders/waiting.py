"""The queries of the coach's work queue: one per kind of waiting work, for many coaches at
once (``coach_ids``), so a page or a digest batch asks the same number whatever their number.

The statements are built once, at import, with the coaches' ids (and today) as bound
parameters: building and keying them per call cost SQLAlchemy more than SQLite takes to run
them for one coach.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    Date,
    Integer,
    and_,
    any_,
    bindparam,
    exists,
    func,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.certification.models import Assessment, CertificationAttempt
from app.coaching.models import Commitment, Debrief
from app.extensions import db
from app.plans.models import SUBMITTED, Milestone, Plan


def _coach_ids() -> Any:
    return bindparam("coach_ids", expanding=True)


def among_coaches(column: Any, array: bool = False) -> Any:
    """``column`` is one of the ``coach_ids`` parameter's: a list, or one array parameter
    (PostgreSQL: the statement's text then stays the same whatever the number of coaches)."""
    if array:
        return column == any_(bindparam("coach_ids", type_=ARRAY(Integer)))
    return column.in_(_coach_ids())


def _latest_today() -> Any:
    return bindparam("latest_today", type_=Date)


def _verifications(array: bool = False) -> Any:
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
            among_coaches(User.coach_id, array),
        )
    )


_VERIFICATIONS = _verifications()

_DEBRIEFS_WITHOUT_NOTES = (
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
        Debrief.coach_id.in_(_coach_ids()),
        Debrief.recorded_at.is_(None),
        Debrief.held_on <= _latest_today(),
        User.active.is_(True),
    )
)


def _invited_assessments(array: bool = False) -> Any:
    """Assessments a coach was named for and has not scored, on attempts still open."""
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
            among_coaches(Assessment.assessor_id, array),
            Assessment.is_self.is_(False),
            Assessment.submitted_at.is_(None),
            CertificationAttempt.decided_at.is_(None),
            User.active.is_(True),
        )
    )


_INVITED_ASSESSMENTS = _invited_assessments()


def _self_assessed_attempts(array: bool = False) -> Any:
    """Open attempts of the coaches' reps that only the rep has scored: the coach assesses."""
    own, assessor = aliased(Assessment, name="own"), aliased(Assessment, name="assessor")
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
            among_coaches(User.coach_id, array),
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


_SELF_ASSESSED_ATTEMPTS = _self_assessed_attempts()

_COMMITMENTS_TO_REVIEW = (
    select(
        Commitment.action,
        Commitment.due_on,
        User.coach_id,
        User.id.label("rep_id"),
        User.full_name.label("rep_name"),
    )
    .join(User, User.id == Commitment.rep_id)
    .where(
        User.coach_id.in_(_coach_ids()),
        User.active.is_(True),
        Commitment.closed_at.is_(None),
        Commitment.reviewed_at.is_(None),
        Commitment.due_on <= _latest_today(),
    )
)


@functools.cache
def _oldest_verification_or_assessment(dialect: str) -> Any:
    """Built once per dialect: the coaches' ids one array on PostgreSQL (three lists of fifty
    ids made a statement psycopg parsed again on every view)."""
    array = dialect == "postgresql"
    verifying = _verifications(array).subquery()
    invited = _invited_assessments(array).subquery()
    self_assessed = _self_assessed_attempts(array).subquery()
    waits = union_all(
        select(verifying.c.coach_id, verifying.c.submitted_at.label("since")),
        select(invited.c.coach_id, invited.c.created_at.label("since")),
        select(self_assessed.c.coach_id, self_assessed.c.since),
    ).subquery()
    return select(waits.c.coach_id, func.min(waits.c.since)).group_by(waits.c.coach_id)


def verifications(coach_ids: list[int]) -> Any:
    return db.session.execute(_VERIFICATIONS, {"coach_ids": coach_ids})


def debriefs_without_notes(coach_ids: list[int], latest_today: date) -> Any:
    values = {"coach_ids": coach_ids, "latest_today": latest_today}
    return db.session.execute(_DEBRIEFS_WITHOUT_NOTES, values)


def invited_assessments(coach_ids: list[int]) -> Any:
    """Assessments a coach was named for and has not scored, on attempts still open."""
    return db.session.execute(_INVITED_ASSESSMENTS, {"coach_ids": coach_ids})


def self_assessed_attempts(coach_ids: list[int]) -> Any:
    """Open attempts of the coaches' reps that only the rep has scored: the coach assesses."""
    return db.session.execute(_SELF_ASSESSED_ATTEMPTS, {"coach_ids": coach_ids})


def commitments_to_review(coach_ids: list[int], latest_today: date) -> Any:
    values = {"coach_ids": coach_ids, "latest_today": latest_today}
    return db.session.execute(_COMMITMENTS_TO_REVIEW, values)


def oldest_verification_or_assessment(coach_ids: list[int]) -> dict[int, datetime]:
    """Per coach, since when the oldest verification or assessment has waited on them (naive
    UTC; coaches with none left out): the queue's own rows, aggregated in SQL, so an overview
    of every coach reads one row per coach instead of every coach's whole queue."""
    statement = _oldest_verification_or_assessment(db.session.get_bind().dialect.name)
    rows = db.session.execute(statement, {"coach_ids": coach_ids})
    return {coach_id: since for coach_id, since in rows}
