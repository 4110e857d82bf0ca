"""Which team each written row belongs to, so that the dashboard's figures kept per team
(:func:`app.generation.kept_by_team`) are worked out again only for the teams written to.

A row of a rep's (their plan, milestones, attempts, debriefs, commitments, activity) belongs
to the rep's team, and to their former one when it moves to another rep or the rep to another
team. Rows are placed once the flush has run, when a new row knows its parent. A model not
listed here is written broadly: every team's share is worked out again, which is always right
and only slower.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session, object_session

from app.accounts.models import Team, User, UserRole
from app.certification.models import (
    Assessment,
    CertificationAttempt,
    CertificationStanding,
    ScheduledAssessment,
    Score,
    ScoreCorrection,
)
from app.coaching.models import Commitment, Debrief, DebriefScore
from app.derived import previous
from app.generation import TeamOf, scoped
from app.metrics.models import ActivityFigure, ActivityRampMonth, ActivityRampStart, ActivityWeek
from app.outcomes.models import OutcomeStamp
from app.plans.models import Milestone, MilestoneEvent, Plan, PlanPause


def _session(row: Any) -> Session:
    session = object_session(row)
    assert session is not None  # a row being flushed is in the flushing session
    return session


def _before(row: Any, attribute: str) -> set[Any]:
    """The parent ids ``row`` had before this flush: what the attribute held (a parent set
    through the relationship reaches the attribute only during the flush) and what it held
    before it was set."""
    return {*previous(row, attribute), getattr(row, attribute)} - {None}


Up = Callable[[Session, Any], int | None]
"""A parent row's team (None: the parent is gone, or has no team)."""


def _through(parent: type, attribute: str, up: Up) -> Any:
    """Teams of a row whose ``attribute`` names a ``parent`` row, whose team ``up`` tells:
    the parents it had before the flush, and the one it has after."""

    def teams(row: Any) -> Iterable[TeamOf]:
        session = _session(row)

        def team_of(parent_id: Any) -> int | None:
            found = session.get(parent, parent_id) if parent_id is not None else None
            return up(session, found)

        def told(parent_id: Any) -> Callable[[], int | None]:
            return lambda: team_of(parent_id)

        formers = [told(former) for former in _before(row, attribute)]
        return [*formers, lambda: team_of(getattr(row, attribute))]

    return teams


def _person_team(_session: Session, person: User | None) -> int | None:
    return person.team_id if person is not None else None


RepsRow = Plan | CertificationAttempt | Debrief


def _reps_row_team(session: Session, row: RepsRow | None) -> int | None:
    """A plan's, an attempt's or a debrief's team: its rep's."""
    return _person_team(session, session.get(User, row.rep_id)) if row is not None else None


def _milestone_team(session: Session, milestone: Milestone | None) -> int | None:
    plan = session.get(Plan, milestone.plan_id) if milestone is not None else None
    return _reps_row_team(session, plan)


def _assessment_team(session: Session, assessment: Assessment | None) -> int | None:
    attempt = session.get(CertificationAttempt, assessment.attempt_id) if assessment else None
    return _reps_row_team(session, attempt)


def _score_team(session: Session, score: Score | None) -> int | None:
    assessment = session.get(Assessment, score.assessment_id) if score is not None else None
    return _assessment_team(session, assessment)


def _user_teams(user: User) -> list[TeamOf]:
    """The person's team, and the one they left (None too: the reps with no team), however
    it was set (a team set through the relationship reaches ``team_id`` in the flush)."""
    left: list[int | None] = list(inspect(user).attrs.team_id.history.deleted)
    return [*left, user.team_id, lambda: user.team_id]


def _team_itself(team: Team) -> list[TeamOf]:
    return [lambda: team.id]


def _register() -> None:
    scoped(User, _user_teams)
    scoped(Team, _team_itself)
    scoped(UserRole, _through(User, "user_id", _person_team))
    for by_rep in (
        Plan,
        CertificationAttempt,
        CertificationStanding,
        ScheduledAssessment,
        Debrief,
        Commitment,
        ActivityFigure,
        ActivityWeek,
        ActivityRampMonth,
        ActivityRampStart,
        OutcomeStamp,
    ):
        scoped(by_rep, _through(User, "rep_id", _person_team))
    scoped(Milestone, _through(Plan, "plan_id", _reps_row_team))
    scoped(PlanPause, _through(Plan, "plan_id", _reps_row_team))
    scoped(MilestoneEvent, _through(Milestone, "milestone_id", _milestone_team))
    scoped(Assessment, _through(CertificationAttempt, "attempt_id", _reps_row_team))
    scoped(Score, _through(Assessment, "assessment_id", _assessment_team))
    scoped(ScoreCorrection, _through(Score, "score_id", _score_team))
    scoped(DebriefScore, _through(Debrief, "debrief_id", _reps_row_team))


_register()
