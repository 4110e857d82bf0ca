"""Query counts are a behaviour: the ramp, team, people and coaching pages ask as many
queries with 50 reps (and a long history) as with 5, and never more than 30.

The 5-rep world, with history (plans with milestones done, waiting and overdue, debriefs with
commitments, notifications), is a module snapshot; the test counts every page, adds 45 reps
with the same history (and more debriefs and notifications for the rep and coach measured),
and counts again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.accounts.models import Role, User
from app.coaching import service as coaching
from app.coaching.models import DebriefKind
from app.extensions import db
from app.plans.models import MilestoneStatus, Plan
from tests.conftest import PASSWORD, create_rep, create_team, create_user
from tests.database import Snapshot, TestDatabase
from tests.querycount import count_pages

MAX_QUERIES = 30


@dataclass(frozen=True)
class WorldIds:
    rep: int
    coach: int
    hr: int
    admin: int


def _with_history(rep: User, coach: User, debriefs: int = 2) -> None:
    """Milestones done, waiting for the coach and overdue; recorded debriefs with commitments."""
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id))
    assert plan is not None
    plan.milestones[0].status = MilestoneStatus.DONE
    plan.milestones[1].status = MilestoneStatus.SUBMITTED
    today = date.today()
    for number in range(debriefs):
        held_on = today - timedelta(days=number)
        setup = coaching.DebriefSetup(
            held_on=held_on, kind=DebriefKind.ROLE_PLAY, stage="discovery"
        )
        debrief = coaching.create_debrief(coach, rep, setup, held_on)
        entries = [
            coaching.CommitmentEntry(
                f"Action {n}", f"Measure {n}", today + timedelta(days=7), None, n
            )
            for n in range(2)
        ]
        record = coaching.DebriefRecord(notes={"went_well": "Clear opening"}, commitments=entries)
        coaching.record_debrief(coach, debrief, record, held_on)
    coaching.notify(coach, "test", f"{rep.full_name} did something", "/coaching/mine")
    db.session.commit()


def _add_reps(coach: User, count: int, start: int) -> None:
    """Reps with history; every other one the measured coach's, and teams and coaches grow
    with them (a team per 5 reps, a coach per 10), as a real organisation's do."""
    team = other_coach = None
    for number in range(start, start + count):
        if team is None or number % 5 == 0:
            team = create_team(f"Team {number:03d}")
        if other_coach is None or number % 10 == 0:
            other_coach = create_user(Role.COACH, name=f"Coach {number:03d}", team=team)
        their_coach = coach if number % 2 else other_coach
        rep = create_rep(day_of_ramp=5 + number % 80, coach=their_coach, name=f"Rep {number:03d}")
        rep.team = team
        _with_history(rep, their_coach, debriefs=1)


def _build_world() -> WorldIds:
    coach = create_user(Role.COACH, name="Casey Coach")
    rep = create_rep(day_of_ramp=40, coach=coach, name="Riley Measured")
    rep.team = coach.team = create_team("Team Measured")
    _with_history(rep, coach)
    _add_reps(coach, 4, start=1)
    return WorldIds(
        rep=rep.id,
        coach=coach.id,
        hr=create_user(Role.HR, name="Harper People").id,
        admin=create_user(Role.ADMIN, name="Alex Admin").id,
    )


@pytest.fixture(scope="module")
def five_reps_snapshot(test_database: TestDatabase) -> Snapshot:
    return test_database.snapshot("query-counts-five-reps", _build_world)


def _pages(ids: WorldIds) -> dict[str, tuple[int, str]]:
    """Each page measured: who looks at it, and its URL."""
    return {
        "team as HR": (ids.hr, "/team"),
        "team as HR, sorted by status, page 1": (ids.hr, "/team?sort=-status"),
        "team as coach": (ids.coach, "/team"),
        "my ramp": (ids.rep, "/ramp"),
        "a rep's ramp": (ids.coach, f"/reps/{ids.rep}"),
        "people": (ids.admin, "/admin/people"),
        "people as HR, by team": (ids.hr, "/admin/people?sort=team"),
        "teams": (ids.admin, "/admin/teams"),
        "my debriefs": (ids.rep, "/coaching/mine"),
        "a rep's debriefs": (ids.coach, f"/coaching/reps/{ids.rep}"),
        "notifications": (ids.coach, "/coaching/notifications"),
        "one-on-one prep": (ids.coach, f"/coaching/reps/{ids.rep}/one-on-one"),
    }


def _count_pages(app: Flask, ids: WorldIds) -> dict[str, int]:
    return count_pages(app, _pages(ids), PASSWORD)


def test_pages_ask_as_many_queries_for_50_reps_as_for_5(five_reps_snapshot, app):
    ids: WorldIds = five_reps_snapshot.value
    with_five = _count_pages(app, ids)

    coach = db.session.get(User, ids.coach)
    _add_reps(coach, 45, start=5)
    _with_history(db.session.get(User, ids.rep), coach, debriefs=6)
    with_fifty = _count_pages(app, ids)

    assert with_fifty == with_five
    assert {name: n for name, n in with_fifty.items() if n > MAX_QUERIES} == {}
