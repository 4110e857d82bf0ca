"""The quests pages ask as many queries for a team of 50 reps as for a team of 5.

The shared query-count test (tests/test_query_counts.py) measures these pages too, but its
organisation grows by new teams; here the measured team itself grows, each rep with milestones
done, a certification passed and activity logged, so every quest and the points count them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask

from app.accounts.models import Role, Team, User
from app.extensions import db
from app.metrics.service import log_day
from app.quests import service
from app.quests.leaderboard import Privacy
from tests.conftest import PASSWORD, create_rep, create_team, create_user
from tests.querycount import count_pages
from tests.quests.conftest import certify, finish_milestones

MAX_QUERIES = 30


def _add_reps(team: Team, coach: User, count: int, start: int) -> None:
    today = datetime.now(UTC).date()
    for number in range(start, start + count):
        rep = create_rep(day_of_ramp=5 + number % 60, coach=coach, name=f"Rep {number:03d}")
        rep.team = team
        finish_milestones(rep, 1)
        log_day(rep, today, {"meetings_booked": number % 4}, today)
        if number % 2:
            certify(rep)
    db.session.commit()


def _pages(team: Team, rep: User, coach: User, hr: User) -> dict[str, tuple[int, str]]:
    return {
        "my quests": (rep.id, "/quests/mine"),
        "team quests as coach": (coach.id, f"/quests/teams/{team.id}"),
        "team quests as HR": (hr.id, f"/quests/teams/{team.id}"),
        "leaderboard as rep": (rep.id, f"/quests/teams/{team.id}/leaderboard"),
        "leaderboard as coach": (coach.id, f"/quests/teams/{team.id}/leaderboard"),
        "leaderboard as HR": (hr.id, f"/quests/teams/{team.id}/leaderboard"),
    }


def test_quests_pages_ask_as_many_queries_for_50_reps_as_for_5(app: Flask, curriculum):
    team = create_team("Team Scale")
    coach = create_user(Role.COACH, name="Casey Scale", team=team)
    hr = create_user(Role.HR, name="Harper Scale")
    _add_reps(team, coach, 5, start=0)
    rep = db.session.query(User).filter_by(full_name="Rep 001").one()
    service.set_leaderboard(coach, team, enabled=True, privacy=Privacy.NEIGHBOURS)
    db.session.commit()
    pages = _pages(team, rep, coach, hr)

    with_five = count_pages(app, pages, PASSWORD)
    _add_reps(team, coach, 45, start=5)
    with_fifty = count_pages(app, pages, PASSWORD)

    assert with_fifty == with_five
    assert {name: n for name, n in with_fifty.items() if n > MAX_QUERIES} == {}
