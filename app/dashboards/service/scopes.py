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


def _team_of_rep(session: Session, rep_id: int | None) -> int | None:
    rep = session.get(User, rep_id) if rep_id is not None else None
    return rep.team_id if rep is not None else None


def _before(row: Any, attribute: str) -> set[Any]:
    """The parent ids ``row`` had before this flush: what the attribute held (a parent set
    through the relationship reaches the attribute only during the flush) and what it held
    before it was set."""
    return {*previous(row, attribute), getattr(row, attribute)} - {None}


def _of_reps(row: Any, attribute: str = "rep_id") -> list[TeamOf]:
    session = _session(row)
    return [
        *(_told(session, rep) for rep in _before(row, attribute)),
        lambda: _team_of_rep(session, getattr(row, attribute)),
    ]


def _told(session: Session, rep_id: int) -> Callable[[], int | None]:
    return lambda: _team_of_rep(session, rep_id)


def _through(parent: type, attribute: str, up: Callable[[Session, Any], int | None]) -> Any:
    """Teams of a row whose ``attribute`` names a ``parent`` row, whose team ``up`` tells."""

    def teams(row: Any) -> Iterable[TeamOf]:
        session = _session(row)
        formers = _before(row, attribute)

        def told(parent_id: Any) -> Callable[[], int | None]:
            return lambda: up(session, session.get(parent, parent_id))

        return [*(told(former) for former in formers), lambda: up(session, _current(row))]

    def _current(row: Any) -> Any:
        return _session(row).get(parent, getattr(row, attribute))

    return teams


def _plan_team(session: Session, plan: Plan | None) -> int | None:
    return _team_of_rep(session, plan.rep_id) if plan is not None else None


def _milestone_team(session: Session, milestone: Milestone | None) -> int | None:
    return _plan_team(session, session.get(Plan, milestone.plan_id)) if milestone else None


def _attempt_team(session: Session, attempt: CertificationAttempt | None) -> int | None:
    return _team_of_rep(session, attempt.rep_id) if attempt is not None else None


def _assessment_team(session: Session, assessment: Assessment | None) -> int | None:
    if assessment is None:
        return None
    return _attempt_team(session, session.get(CertificationAttempt, assessment.attempt_id))


def _score_team(session: Session, score: Score | None) -> int | None:
    if score is None:
        return None
    return _assessment_team(session, session.get(Assessment, score.assessment_id))


def _debrief_team(session: Session, debrief: Debrief | None) -> int | None:
    return _team_of_rep(session, debrief.rep_id) if debrief is not None else None


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
    scoped(UserRole, lambda row: _of_reps(row, "user_id"))
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
        scoped(by_rep, _of_reps)
    scoped(Milestone, _through(Plan, "plan_id", _plan_team))
    scoped(PlanPause, _through(Plan, "plan_id", _plan_team))
    scoped(MilestoneEvent, _through(Milestone, "milestone_id", _milestone_team))
    scoped(Assessment, _through(CertificationAttempt, "attempt_id", _attempt_team))
    scoped(Score, _through(Assessment, "assessment_id", _assessment_team))
    scoped(ScoreCorrection, _through(Score, "score_id", _score_team))
    scoped(DebriefScore, _through(Debrief, "debrief_id", _debrief_team))


_register()
