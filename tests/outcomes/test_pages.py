"""The outcomes page and a rep's numbers, through the test client."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from app.accounts.models import Role, Team, User
from app.extensions import db


def test_the_outcomes_page_lists_the_coachs_reps_with_their_firsts_and_score(
    make_rep: Callable[..., User],
    figures: Callable[..., None],
    login: Callable[[User], FlaskClient],
) -> None:
    rep = make_rep(day_of_ramp=100, name="Robin Outcome")
    other = make_rep(name="Someone Else")
    figures(rep, [(12, {"meetings_held": 1, "meetings_booked": 3})])
    page = login(rep.coach).get("/outcomes/?sort=-first_meeting")
    assert page.status_code == 200
    assert "Robin Outcome" in page.text and other.full_name not in page.text
    assert "Cohort curves" in page.text and "Attainment by ramp month" in page.text
    assert '<td class="text-end">12</td>' in page.text


def test_a_rep_sees_their_numbers_and_every_term_of_their_score(
    make_rep: Callable[..., User],
    make_user: Callable[..., User],
    figures: Callable[..., None],
    login: Callable[[User], FlaskClient],
) -> None:
    team = Team(name="Numbers Team")
    rep = make_rep(day_of_ramp=70, name="Nico Numbers")
    peers = [make_user(Role.REP, name=f"Peer {n}", team=team) for n in range(3)]
    rep.team = team
    db.session.commit()
    figures(rep, [(5, {"conversations": 10, "meetings_booked": 4}), (35, {"meetings_booked": 6})])
    for peer in peers:
        peer.start_date = rep.created_at.date()
    page = login(rep).get("/outcomes/mine")
    assert page.status_code == 200
    assert "Readiness score" in page.text
    assert "Certifications: 0 of 2 passed \u00d7 30% = 0 points" in page.text
    assert "Conversation to meeting" in page.text
    assert all(peer.full_name not in page.text for peer in peers)  # a median, never a name


def test_the_coach_sees_the_reps_numbers_another_rep_does_not(
    make_rep: Callable[..., User], make_user: Callable[..., User], client: FlaskClient, login
) -> None:
    rep = make_rep()
    assert login(rep.coach).get(f"/outcomes/reps/{rep.id}").status_code == 200
    client.post("/logout")
    other = make_user(Role.REP)
    assert login(other).get(f"/outcomes/reps/{rep.id}").status_code in (403, 404)
    assert client.get("/outcomes/").status_code == 403


def test_a_rep_without_a_plan_or_figures_sees_what_is_missing(
    make_user: Callable[..., User], login: Callable[[User], FlaskClient]
) -> None:
    page = login(make_user(Role.REP)).get("/outcomes/mine")
    assert page.status_code == 200
    assert "No score yet" in page.text
    assert "by ramp month, against target" not in page.text  # no role, no targets
