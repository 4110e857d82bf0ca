"""Small defects found in real use: filters that offer only what applies, counts that agree
with the lists they link to, badges that never say 0, stages named as the curriculum does."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from app.accounts.models import Role, User
from app.extensions import db

Login = Callable[[User], FlaskClient]


def team_options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="team".*?</select>', html, re.S)
    assert select, "no team filter"
    return re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', select.group(0))


@pytest.mark.parametrize("page", ["/team", "/certifications/team"])
def test_a_coachs_team_filter_offers_only_their_reps_teams(
    page: str, make_rep, make_user, make_team, login: Login, client: FlaskClient
) -> None:
    mine, other = make_team("Mine"), make_team("Other")
    make_team("Empty")  # nobody's: offered to HR only
    coach = make_user(Role.COACH)
    rep = make_rep(coach=coach)
    rep.team = mine
    stranger = make_rep()
    stranger.team = other
    db.session.commit()
    assert team_options(login(coach).get(page).text) == ["Mine"]
    client.post("/logout")
    offered_to_hr = team_options(login(make_user(Role.HR)).get(page).text)
    assert {"Empty", "Mine", "Other"} <= set(offered_to_hr)


def test_teams_count_the_people_of_the_list_they_link_to(
    make_rep, make_user, make_team, login: Login, client: FlaskClient
) -> None:
    team = make_team("Counted")
    rep = make_rep()
    coach = rep.coach
    assert coach is not None
    left = make_user(Role.REP, active=False)
    for person in (rep, coach, left):
        person.team = team
    db.session.commit()
    login(make_user(Role.ADMIN))
    teams = client.get("/admin/teams").text
    link = re.search(r'<span>Counted</span>\s*<a href="([^"]+)">(\d+) (?:person|people)</a>', teams)
    assert link, teams
    listed = client.get(link.group(1).replace("&amp;", "&")).text
    rows = re.findall(r'<th scope="row">', listed)
    assert int(link.group(2)) == len(rows) == 3


def test_no_message_tells_hr_to_ask_hr(make_user) -> None:
    from app.agreements.service.signing import name_mismatch_advice

    for role in (Role.HR, Role.ADMIN):
        assert "ask HR" not in name_mismatch_advice(make_user(role))
    assert "ask an admin" in name_mismatch_advice(make_user(Role.HR))
    assert "ask HR" in name_mismatch_advice(make_user(Role.REP, Role.COACH))


def test_an_empty_attention_list_shows_no_count(make_rep, login: Login) -> None:
    """My ramp's attention list (what waits for the coach) shows no "0" badge when empty."""
    page = login(make_rep(day_of_ramp=1)).get("/ramp").text
    heading = re.search(r'<h2 id="awaiting-heading".*?</h2>', page, re.S)
    assert heading and "Waiting for verification" in heading.group(0)
    assert "badge" not in heading.group(0)


def test_milestones_name_stages_as_the_curriculum_does(curriculum) -> None:
    """A stage is written with its name ("Discovery"), never its key in lower case."""
    names = {stage.key: stage.name for stage in curriculum.stages}
    for plan in curriculum.plans:
        for phase in plan.phases:
            for milestone in phase.milestones:
                for text in (milestone.title, milestone.action):
                    for name in names.values():
                        for found in re.findall(rf"\b{name}\b", text, re.I):
                            if re.search(rf"\b{found} (certification|rubric)\b", text):
                                assert found == name, (plan.id, milestone.key, text)
                measure = milestone.measure
                if getattr(measure, "kind", "") == "certification":
                    assert names[measure.stage] in milestone.title, milestone.title


def test_a_nul_character_in_a_search_or_a_form_is_refused_with_a_page_not_a_crash(
    client: FlaskClient, login: Callable[[User], FlaskClient], make_user: Callable[..., User]
) -> None:
    """PostgreSQL cannot compare text with NUL (0x00): a search holding one was a server error."""
    login(make_user(Role.ADMIN))
    for path in ("/admin/people?q=a%00b", "/team?q=%00", "/escalations?q=x%00"):
        page = client.get(path)
        assert page.status_code == 422, path
        assert "That input cannot be used" in page.text and "NUL character" in page.text
    assert client.get("/admin/people?q=ab").status_code == 200
    posted = client.post("/account/password", data={"current_password": "a\x00b"})
    assert posted.status_code == 422
