"""CSRF protection on every form: a post without the page's token is refused and changes nothing.

These tests override the ``app`` fixture so the factories and the client use an app with CSRF
switched on, as in production.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import Role, User
from app.extensions import db
from app.plans import service
from app.plans.models import MeasureKind, Milestone, MilestoneStatus
from tests.conftest import PASSWORD


@pytest.fixture
def app(app: Flask) -> Flask:
    """The test app with CSRF protection on, as in production (restored after the test)."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def token_from(client: FlaskClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text) or re.search(
        r'type="hidden" name="csrf_token" value="([^"]+)"', page.text
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: FlaskClient, user: User) -> None:
    token = token_from(client, "/login")
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def first_checkbox(rep: User) -> Milestone:
    plan = service.active_plan(rep)
    return next(m for m in plan.milestones if m.measure_kind == MeasureKind.CHECKBOX)


def status_of(milestone: Milestone) -> MilestoneStatus:
    db.session.expire_all()
    return db.session.get(Milestone, milestone.id).status


def test_login_without_the_token_is_refused(client, make_user):
    user = make_user(Role.REP)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "The form expired" in response.text
    assert client.get("/ramp").status_code == 302
    db.session.expire_all()
    assert user.last_login_at is None


def test_login_with_the_token_works(client, make_user):
    sign_in(client, make_user(Role.REP))
    assert client.get("/ramp").status_code == 200


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_marking_a_milestone_done_needs_the_pages_token(client, make_rep, token):
    rep = make_rep()
    milestone = first_checkbox(rep)
    sign_in(client, rep)
    data = {} if token is None else {"csrf_token": token}

    response = client.post(f"/milestones/{milestone.id}/progress", data=data)

    assert response.status_code == 400
    assert status_of(milestone) == MilestoneStatus.OPEN


def test_marking_a_milestone_done_with_the_token_from_the_ramp_page(client, make_rep):
    rep = make_rep()
    milestone = first_checkbox(rep)
    sign_in(client, rep)
    token = token_from(client, "/ramp")

    response = client.post(f"/milestones/{milestone.id}/progress", data={"csrf_token": token})

    assert response.status_code == 302
    assert status_of(milestone) == MilestoneStatus.DONE


def test_a_token_from_another_session_does_not_work(app, make_rep):
    rep = make_rep()
    milestone = first_checkbox(rep)
    attacker, victim = app.test_client(), app.test_client()
    # The fixture keeps one app context (and so one ``g``, where Flask-WTF caches the token)
    # open across requests; the attacker's visit gets its own, as it would on a real server.
    with app.app_context():
        stolen = token_from(attacker, "/login")
    sign_in(victim, rep)
    response = victim.post(f"/milestones/{milestone.id}/progress", data={"csrf_token": stolen})
    assert response.status_code == 400
    assert status_of(milestone) == MilestoneStatus.OPEN


def test_admin_forms_need_the_token(client, make_user):
    admin = make_user(Role.ADMIN)
    person = make_user(Role.REP)
    sign_in(client, admin)

    assert client.post(f"/admin/people/{person.id}/deactivate").status_code == 400
    new_person = {
        "full_name": "Nina Rossi",
        "email": "nina@example.com",
        "timezone": "UTC",
        "roles": ["rep"],
        "coach_id": "None",
        "team_id": "None",
        "password": "a long enough password",
    }
    assert client.post("/admin/people/new", data=new_person).status_code == 400
    db.session.expire_all()
    assert db.session.get(User, person.id).active
    assert db.session.scalar(select(User).where(User.email == "nina@example.com")) is None

    token = token_from(client, f"/admin/people/{person.id}")
    response = client.post(f"/admin/people/{person.id}/deactivate", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, person.id).active


def test_logout_needs_a_post_with_the_token(client, make_user):
    sign_in(client, make_user(Role.REP))

    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/ramp").status_code == 200

    token = token_from(client, "/ramp")
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/ramp").status_code == 302
