"""The demo shows quests, points and Team North's leaderboard switched on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.accounts.models import Team, User
from app.extensions import db
from app.quests import service
from app.quests.leaderboard import Privacy


@pytest.fixture
def seeded(demo_snapshot, app):
    return demo_snapshot.value


def _person(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def test_team_norths_leaderboard_is_on_with_names_hidden_and_south_is_off(seeded):
    north = db.session.scalar(select(Team).where(Team.name == "Team North"))
    south = db.session.scalar(select(Team).where(Team.name == "Team South"))
    board = service.leaderboard_of(north.id)
    assert board is not None and board.enabled and board.privacy is Privacy.HIDDEN
    assert service.leaderboard_of(south.id) is None


def test_a_demo_rep_sees_quests_points_and_a_leaderboard_without_peers_names(seeded, client):
    rep = _person("rep1@demo.salesramp")
    mine = service.my_quests(rep, datetime.now(UTC).date())
    assert mine.personal and mine.points is not None and mine.points.total > 0
    assert mine.leaderboard_on
    client.post("/login", data={"email": rep.email, "password": "demo"})
    html = client.get(f"/quests/teams/{rep.team_id}/leaderboard").text
    assert f"{rep.full_name} (you)" in html
    peers = db.session.scalars(
        select(User.full_name).where(User.team_id == rep.team_id, User.id != rep.id)
    ).all()
    assert peers and not any(name in html for name in peers)
