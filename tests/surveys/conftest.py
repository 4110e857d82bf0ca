"""Survey fixtures: groups of new hires answering, and a coach's debriefs rated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.accounts.models import Role, Team, User
from app.coaching import service as coaching
from app.coaching.models import Debrief, DebriefKind
from app.extensions import db
from app.surveys import service
from tests.conftest import create_rep

ALL_FOUR = {
    "plan_clear": 4,
    "plan_useful": 4,
    "workload": 3,
    "coaching_useful": 5,
    "coach_available": 4,
}


def answer(rep: User, checkpoint: int = 30, **ratings: int) -> None:
    service.answer_pulse(rep, checkpoint, ALL_FOUR | ratings, date.today())
    db.session.commit()


@pytest.fixture
def respondents(curriculum, make_user) -> Callable[..., list[User]]:
    """``respondents(n, team=..., day=30)``: ``n`` reps on ``day`` of their plan, each answered."""

    def make(count: int, team: Team | None = None, day: int = 30, **ratings: int) -> list[User]:
        coach = make_user(Role.COACH)
        reps = []
        for number in range(count):
            rep = create_rep(
                day_of_ramp=day,
                coach=coach,
                name=f"Resp Ondent{number} {team.name if team else ''}",
            )
            rep.team = team
            db.session.commit()
            answer(rep, day, **ratings)
            reps.append(rep)
        return reps

    return make


@pytest.fixture
def rated_debriefs(curriculum) -> Callable[..., list[Debrief]]:
    """``rated_debriefs(coach, n)``: ``n`` reps of ``coach``, each rating a recorded debrief."""

    def make(coach: User, count: int, rating: int = 4, comment: str = "") -> list[Debrief]:
        debriefs = []
        today = date.today()
        for number in range(count):
            rep = create_rep(day_of_ramp=20, coach=coach, name=f"Rater Rep{number} {coach.id}")
            setup = coaching.DebriefSetup(today, DebriefKind.ROLE_PLAY, "discovery")
            debrief = coaching.create_debrief(coach, rep, setup, today)
            entry = coaching.CommitmentEntry(
                "Ask", "Count", date.fromordinal(today.toordinal() + 7)
            )
            coaching.record_debrief(
                coach, debrief, coaching.DebriefRecord(commitments=[entry]), today
            )
            service.rate_debrief(rep, debrief, rating, comment and f"{comment} {number}", today)
            db.session.commit()
            debriefs.append(debrief)
        return debriefs

    return make
