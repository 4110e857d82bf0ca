"""The quests pages over HTTP, and the leaderboard's privacy in the HTML itself."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.quests import service
from app.quests.leaderboard import Privacy
from app.security.models import EventKind, SecurityEvent
from tests.quests.conftest import finish_milestones

ENGAGEMENT = "Points measure engagement, not ability"


def _switch_on(quest_team, privacy: Privacy) -> None:
    service.set_leaderboard(quest_team.coach, quest_team.team, enabled=True, privacy=privacy)
    db.session.commit()


def test_my_quests_page_shows_quests_points_and_says_what_points_measure(quest_team, login):
    finish_milestones(quest_team.first, 1)
    page = login(quest_team.first).get("/quests/mine")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Book 10 meetings this month" in html
    assert "Every SDR certified on prospecting" in html
    assert "engagement" in html and "not ability" in html
    assert "Petra Secondrep" not in html  # the team's progress names nobody
    assert "leaderboard" not in html.lower().split("</main>")[0].split("<main")[1]  # off


def test_the_leaderboard_is_off_by_default(quest_team, login):
    page = login(quest_team.first).get(f"/quests/teams/{quest_team.team.id}/leaderboard")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "The leaderboard is off for this team" in html
    assert ENGAGEMENT in html
    assert "Petra Secondrep" not in html
    assert 'name="privacy"' not in html  # a rep cannot switch it on


def test_the_coach_switches_it_on_and_the_change_is_logged(quest_team, login):
    client = login(quest_team.coach)
    url = f"/quests/teams/{quest_team.team.id}/leaderboard"
    response = client.post(url + "/settings", data={"enabled": "y", "privacy": "neighbours"})
    assert response.status_code == 302
    setting = service.leaderboard_of(quest_team.team.id)
    assert setting.enabled and setting.privacy is Privacy.NEIGHBOURS
    assert setting.changed_by_id == quest_team.coach.id
    logged = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.kind == EventKind.LEADERBOARD_CHANGED)
    ).all()
    assert len(logged) == 1
    again = client.post(
        url + "/settings", data={"enabled": "y", "privacy": "neighbours"}, follow_redirects=True
    )
    assert "Nothing changed." in again.get_data(as_text=True)
    assert len(db.session.scalars(select(SecurityEvent.id)).all()) >= 1


def test_a_bad_choice_is_shown_next_to_the_field(quest_team, login):
    url = f"/quests/teams/{quest_team.team.id}/leaderboard"
    response = login(quest_team.coach).post(
        url + "/settings", data={"enabled": "y", "privacy": "everyone"}
    )
    assert response.status_code == 400
    assert 'id="privacy-error"' in response.get_data(as_text=True)
    assert service.leaderboard_of(quest_team.team.id) is None


@pytest.mark.parametrize("privacy", [Privacy.HIDDEN, Privacy.NEIGHBOURS])
def test_a_peer_never_sees_a_hidden_name_in_the_page_or_its_html(quest_team, login, privacy):
    finish_milestones(quest_team.second, 1)
    _switch_on(quest_team, privacy)
    page = login(quest_team.first).get(f"/quests/teams/{quest_team.team.id}/leaderboard")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Quinn Firstrep (you)" in html
    assert "Petra" not in html and "Secondrep" not in html
    assert f"/reps/{quest_team.second.id}" not in html
    assert "Rep " in html


def test_names_shown_shows_every_name_to_the_team(quest_team, login):
    _switch_on(quest_team, Privacy.NAMES)
    html = login(quest_team.first).get(f"/quests/teams/{quest_team.team.id}/leaderboard").text
    assert "Petra Secondrep" in html and "Quinn Firstrep (you)" in html


def test_the_coach_sees_the_names_of_their_reps_under_any_choice(quest_team, login):
    _switch_on(quest_team, Privacy.HIDDEN)
    html = login(quest_team.coach).get(f"/quests/teams/{quest_team.team.id}/leaderboard").text
    assert "Petra Secondrep" in html and "Quinn Firstrep" in html
    assert 'name="privacy"' in html


def test_another_teams_rep_may_not_see_the_leaderboard_nor_switch_it(quest_team, login):
    _switch_on(quest_team, Privacy.NAMES)
    client = login(quest_team.outsider)
    url = f"/quests/teams/{quest_team.team.id}/leaderboard"
    assert client.get(url).status_code == 403
    assert client.post(url + "/settings", data={"privacy": "names"}).status_code == 403
    assert client.get(f"/quests/teams/{quest_team.team.id}").status_code == 403


def test_a_rep_may_not_switch_their_own_teams_leaderboard(quest_team, login):
    url = f"/quests/teams/{quest_team.team.id}/leaderboard"
    response = login(quest_team.first).post(
        url + "/settings", data={"enabled": "y", "privacy": "names"}
    )
    assert response.status_code == 403
    assert service.leaderboard_of(quest_team.team.id) is None


def test_the_team_quests_page_for_the_coach(quest_team, login):
    finish_milestones(quest_team.first, 1)
    page = login(quest_team.coach).get(f"/quests/teams/{quest_team.team.id}")
    assert page.status_code == 200
    html = page.text
    assert "Quinn Firstrep" in html and "Petra Secondrep" in html
    assert "Olive Outsider" not in html
    assert "Five milestones done this week" in html


def test_an_unknown_team_is_not_found(quest_team, login):
    assert login(quest_team.coach).get("/quests/teams/999999").status_code == 404


def test_the_leaderboard_and_the_team_table_are_paginated(quest_team, login):
    _switch_on(quest_team, Privacy.NAMES)
    client = login(quest_team.coach)
    team = quest_team.team.id
    board = client.get(f"/quests/teams/{team}/leaderboard?per_page=1&page=2").text
    assert "Showing 2\N{EN DASH}2 of 2 reps" in board
    table = client.get(f"/quests/teams/{team}?per_page=1&sort=-name").text
    assert "Quinn Firstrep" in table and "Petra Secondrep" not in table
