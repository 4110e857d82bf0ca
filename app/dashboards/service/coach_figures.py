"""The coaches' figures in SQL, grouped by coach: one statement per figure, for one coach or all.

The statements are built once per database dialect, with bound parameters (the coaches' ids,
the first day of the window, today, the turnaround): building and keying a statement of this
size costs SQLAlchemy about as much as SQLite takes to run it, and the coaches' overview asks
several. On PostgreSQL the coaches' ids are one array parameter (``= ANY``), not a list of
fifty: the statement's text stays the same whatever their number, so neither SQLAlchemy nor
psycopg renders and parses it again on every view (psycopg keeps no statement of more than
fifty parameters).
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    and_,
    bindparam,
    case,
    func,
    select,
)
from sqlalchemy.orm import aliased

from app.accounts.models import Role, User, UserRole
from app.certification.models import Assessment, CertificationAttempt
from app.coaching.models import Commitment, Debrief
from app.dashboards.service.sqldates import days_between, month_of
from app.extensions import db
from app.plans.models import Milestone, MilestoneStatus
from app.reminders.waiting import among_coaches


def _first() -> Any:
    return bindparam("first", type_=Date)


def _today() -> Any:
    return bindparam("today", type_=Date)


def _since() -> Any:
    return bindparam("since", type_=DateTime)


@functools.cache
def _statements(dialect: str) -> dict[str, Any]:
    """The figures' statements for ``dialect``: the coaches' ids an array on PostgreSQL."""
    array = dialect == "postgresql"
    return {
        "reps": _reps(array),
        "debriefs": _debriefs(array),
        "verification waits": _verification_waits(array),
        "assessment waits": _assessment_waits(array),
        "reviews": _reviews(array),
    }


def _run(name: str, values: dict[str, Any]) -> Any:
    statement = _statements(db.session.get_bind().dialect.name)[name]
    return db.session.execute(statement, values)


def _reps(array: bool) -> Any:
    return (
        select(User.coach_id, func.count())
        .where(
            among_coaches(User.coach_id, array),
            User.active.is_(True),
            User.id.in_(select(UserRole.user_id).where(UserRole.role == Role.REP)),
        )
        .group_by(User.coach_id)
    )


def _debriefs(array: bool) -> Any:
    return (
        select(Debrief.coach_id, func.count())
        .where(
            among_coaches(Debrief.coach_id, array),
            Debrief.recorded_at.is_not(None),
            Debrief.held_on >= _first(),
            Debrief.held_on <= _today(),
        )
        .group_by(Debrief.coach_id)
    )


_VERIFY_WAITED = days_between(Milestone.completed_at, Milestone.submitted_at)


def _verification_waits(array: bool) -> Any:
    return (
        select(Milestone.verified_by_id, _VERIFY_WAITED, func.count())
        .where(
            among_coaches(Milestone.verified_by_id, array),
            Milestone.status == MilestoneStatus.DONE,
            Milestone.submitted_at.is_not(None),
            Milestone.completed_at >= _since(),
        )
        .group_by(Milestone.verified_by_id, _VERIFY_WAITED)
    )


def _assessment_waits(array: bool) -> Any:
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
            among_coaches(Assessment.assessor_id, array),
            Assessment.is_self.is_(False),
            Assessment.submitted_at >= _since(),
        )
        .group_by(Assessment.assessor_id, waited)
    )


_IN_TIME = and_(
    Commitment.reviewed_at.is_not(None),
    days_between(Commitment.reviewed_at, Commitment.due_on)
    <= bindparam("turnaround", type_=Integer),
)


def _reviews(array: bool) -> Any:
    return (
        select(
            Debrief.coach_id,
            func.count(),
            func.count(case((_IN_TIME, 1))),
            func.count(case((Commitment.reviewed_at.is_(None), 1))),
        )
        .join(Debrief, Debrief.id == Commitment.debrief_id)
        .where(
            among_coaches(Debrief.coach_id, array),
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
    return _run("reps", {"coach_ids": ids})


def debriefs_per_coach(ids: list[int], first: date, today: date) -> Any:
    """(coach, debriefs they recorded, held from ``first`` to ``today``)."""
    return _run("debriefs", {"coach_ids": ids, "first": first, "today": today})


def verification_waits(ids: list[int], since: datetime) -> Any:
    """(coach, whole days from submission to verification, how many) since ``since``."""
    return _run("verification waits", {"coach_ids": ids, "since": since})


def assessment_waits(ids: list[int], since: datetime) -> Any:
    """(assessor, whole days the attempt waited for their scores, how many) since ``since``.

    An invited second assessor waits from the invitation; the rep's coach from the rep's
    self-assessment, or from the attempt's opening when there was none.
    """
    return _run("assessment waits", {"coach_ids": ids, "since": since})


def reviews(ids: list[int], first: date, today: date, turnaround_days: int) -> Any:
    """(coach, commitments due in the window, reviewed within the turnaround, not reviewed)."""
    values = {"coach_ids": ids, "first": first, "today": today, "turnaround": turnaround_days}
    return _run("reviews", values)


def monthly_debriefs(coach_id: int, first: date) -> dict[str, int]:
    """Recorded debriefs per month (``YYYY-MM``) held from ``first`` on."""
    rows = db.session.execute(_MONTHLY_DEBRIEFS, {"coach_id": coach_id, "first": first})
    return {month: count for month, count in rows}
