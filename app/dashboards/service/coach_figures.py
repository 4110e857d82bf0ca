"""The coaches' figures in SQL, grouped by coach: one statement per figure, for one coach or all.

The statements are built once, at import, with bound parameters (the coaches' ids, the first
day of the window, today, the turnaround): building and keying a statement of this size costs
SQLAlchemy about as much as SQLite takes to run it, and the coaches' overview asks several.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Integer, and_, bindparam, case, func, select
from sqlalchemy.orm import aliased

from app.accounts.models import Role, User, UserRole
from app.certification.models import Assessment, CertificationAttempt
from app.coaching.models import Commitment, Debrief
from app.dashboards.service.sqldates import days_between, month_of
from app.extensions import db
from app.plans.models import Milestone, MilestoneStatus


def _coach_ids() -> Any:
    return bindparam("coach_ids", expanding=True)


def _first() -> Any:
    return bindparam("first", type_=Date)


def _today() -> Any:
    return bindparam("today", type_=Date)


def _since() -> Any:
    return bindparam("since", type_=DateTime)


_REPS = (
    select(User.coach_id, func.count())
    .where(
        User.coach_id.in_(_coach_ids()),
        User.active.is_(True),
        User.id.in_(select(UserRole.user_id).where(UserRole.role == Role.REP)),
    )
    .group_by(User.coach_id)
)

_DEBRIEFS = (
    select(Debrief.coach_id, func.count())
    .where(
        Debrief.coach_id.in_(_coach_ids()),
        Debrief.recorded_at.is_not(None),
        Debrief.held_on >= _first(),
        Debrief.held_on <= _today(),
    )
    .group_by(Debrief.coach_id)
)

_VERIFY_WAITED = days_between(Milestone.completed_at, Milestone.submitted_at)
_VERIFICATION_WAITS = (
    select(Milestone.verified_by_id, _VERIFY_WAITED, func.count())
    .where(
        Milestone.verified_by_id.in_(_coach_ids()),
        Milestone.status == MilestoneStatus.DONE,
        Milestone.submitted_at.is_not(None),
        Milestone.completed_at >= _since(),
    )
    .group_by(Milestone.verified_by_id, _VERIFY_WAITED)
)


def _assessment_waits() -> Any:
    own = aliased(Assessment)
    self_assessed = (
        select(func.min(own.submitted_at))
        .where(own.attempt_id == Assessment.attempt_id, own.is_self.is_(True))
        .scalar_subquery()
    )
    started = case(
        (Assessment.invited_by_id.is_not(None), Assessment.created_at),
        else_=func.coalesce(self_assessed, CertificationAttempt.opened_at),
    )
    waited = days_between(Assessment.submitted_at, started)
    return (
        select(Assessment.assessor_id, waited, func.count())
        .join(CertificationAttempt, CertificationAttempt.id == Assessment.attempt_id)
        .where(
            Assessment.assessor_id.in_(_coach_ids()),
            Assessment.is_self.is_(False),
            Assessment.submitted_at >= _since(),
        )
        .group_by(Assessment.assessor_id, waited)
    )


_ASSESSMENT_WAITS = _assessment_waits()

_IN_TIME = and_(
    Commitment.reviewed_at.is_not(None),
    days_between(Commitment.reviewed_at, Commitment.due_on)
    <= bindparam("turnaround", type_=Integer),
)
_REVIEWS = (
    select(
        Debrief.coach_id,
        func.count(),
        func.count(case((_IN_TIME, 1))),
        func.count(case((Commitment.reviewed_at.is_(None), 1))),
    )
    .join(Debrief, Debrief.id == Commitment.debrief_id)
    .where(
        Debrief.coach_id.in_(_coach_ids()),
        Commitment.due_on >= _first(),
        Commitment.due_on <= _today(),
    )
    .group_by(Debrief.coach_id)
)

_MONTH = month_of(Debrief.held_on)
_MONTHLY_DEBRIEFS = (
    select(_MONTH, func.count())
    .where(
        Debrief.coach_id == bindparam("coach_id"),
        Debrief.recorded_at.is_not(None),
        Debrief.held_on >= _first(),
    )
    .group_by(_MONTH)
)


def reps_per_coach(ids: list[int]) -> Any:
    """(coach, their active reps)."""
    return db.session.execute(_REPS, {"coach_ids": ids})


def debriefs_per_coach(ids: list[int], first: date, today: date) -> Any:
    """(coach, debriefs they recorded, held from ``first`` to ``today``)."""
    return db.session.execute(_DEBRIEFS, {"coach_ids": ids, "first": first, "today": today})


def verification_waits(ids: list[int], since: datetime) -> Any:
    """(coach, whole days from submission to verification, how many) since ``since``."""
    return db.session.execute(_VERIFICATION_WAITS, {"coach_ids": ids, "since": since})


def assessment_waits(ids: list[int], since: datetime) -> Any:
    """(assessor, whole days the attempt waited for their scores, how many) since ``since``.

    An invited second assessor waits from the invitation; the rep's coach from the rep's
    self-assessment, or from the attempt's opening when there was none.
    """
    return db.session.execute(_ASSESSMENT_WAITS, {"coach_ids": ids, "since": since})


def reviews(ids: list[int], first: date, today: date, turnaround_days: int) -> Any:
    """(coach, commitments due in the window, reviewed within the turnaround, not reviewed)."""
    values = {"coach_ids": ids, "first": first, "today": today, "turnaround": turnaround_days}
    return db.session.execute(_REVIEWS, values)


def monthly_debriefs(coach_id: int, first: date) -> dict[str, int]:
    """Recorded debriefs per month (``YYYY-MM``) held from ``first`` on."""
    rows = db.session.execute(_MONTHLY_DEBRIEFS, {"coach_id": coach_id, "first": first})
    return {month: count for month, count in rows}
