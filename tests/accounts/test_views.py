"""Signing in and out, changing one's password, and the admin's people pages, over HTTP."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.accounts.models import Role, User
from app.accounts.passwords import MIN_PASSWORD_LENGTH
from app.extensions import db
from app.plans.models import Plan
from tests.conftest import PASSWORD
from tests.invitations.links import latest_link

NEW_PASSWORD = "a much longer passphrase"


def field_error(html: str, field_id: str) -> str:
    """The error text shown under a form field (empty when there is none)."""
    match = re.search(rf'<div id="{field_id}-error"[^>]*>(.*?)</div>', html, re.S)
    return match.group(1).strip() if match else ""


def sign_in(client, email: str, password: str = PASSWORD, query: str = ""):
    return client.post(f"/login{query}", data={"email": email, "password": password})


# --- signing in and out ---------------------------------------------------------------------


def test_login_page_renders(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert 'name="email"' in page.text
    assert 'name="password"' in page.text


def test_pages_need_a_signed_in_user(client):
    response = client.get("/ramp")
    assert response.status_code == 302
    assert response.location.startswith("/login")


@pytest.mark.parametrize(
    ("role", "home"), [(Role.REP, "/ramp"), (Role.COACH, "/work"), (Role.HR, "/team")]
)
def test_sign_in_then_out(client, make_user, role, home):
    user = make_user(role)
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert response.location == "/"
    assert client.get("/").location == home
    assert client.get(home).status_code == 200

    response = client.post("/logout")
    assert response.status_code == 302
    assert response.location == "/login"
    assert "You are signed out." in client.get("/login").text
    assert client.get(home).status_code == 302


def test_a_signed_in_user_visiting_login_goes_home(login, make_user):
    client = login(make_user(Role.REP))
    assert client.get("/login").location == "/"


def test_logout_is_not_a_get(login, make_user):
    client = login(make_user(Role.REP))
    assert client.get("/logout").status_code == 405
    assert client.get("/ramp").status_code == 200


@pytest.mark.parametrize("password", ["wrong password", ""])
def test_a_bad_login_says_so_and_keeps_the_email(client, make_user, password):
    user = make_user(Role.REP)
    response = sign_in(client, user.email, password)
    assert response.status_code == 200
    if password:
        assert "Email or password is not right" in response.text
    else:
        assert field_error(response.text, "password")
    assert f'value="{user.email}"' in response.text
    assert client.get("/ramp").status_code == 302


def test_an_unknown_email_gets_the_same_message(client):
    response = sign_in(client, "nobody@example.com")
    assert response.status_code == 200
    assert "Email or password is not right" in response.text


def test_next_leads_back_to_the_page_asked_for(client, make_rep):
    rep = make_rep()
    assert sign_in(client, rep.email, query="?next=/account/password").location == (
        "/account/password"
    )


@pytest.mark.parametrize("target", ["//evil.com", "https://evil.com", "http://evil.com/ramp"])
def test_next_to_another_site_goes_home_instead(client, make_user, target):
    user = make_user(Role.REP)
    response = client.post(
        "/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize(
    "target",
    ["/\\evil.com", "\\\\evil.com", "/\t/evil.com", "/%2F/evil.com", "javascript:alert(1)"],
)
def test_next_never_leads_off_the_site(client, make_user, target):
    """Browsers read a backslash as a slash and drop tabs: none of that may reach another host."""
    user = make_user(Role.REP)
    response = client.post(
        "/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    location = response.location
    assert location.startswith("/")
    assert not location.startswith("//")
    assert not any(char in location for char in "\\\t\n")
    assert urlsplit(location).netloc == ""
    assert not any(char in response.text for char in "\\\t")  # nor in the page's link


# --- own password ---------------------------------------------------------------------------


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "confirm": new if confirm is None else confirm,
        },
    )


def test_change_password_over_http(client, login, make_user):
    user = make_user(Role.REP)
    login(user)
    response = change_password(client)
    assert response.status_code == 302
    client.post("/logout")
    assert sign_in(client, user.email, PASSWORD).status_code == 200
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 302


def test_a_wrong_current_password_is_shown_next_to_that_field(client, login, make_user):
    login(make_user(Role.REP))
    response = change_password(client, current="not my password")
    assert response.status_code == 200
    assert field_error(response.text, "current_password") == "That is not your current password."
    assert field_error(response.text, "new_password") == ""


def test_a_short_or_mismatched_new_password_is_shown_next_to_its_field(client, login, make_user):
    login(make_user(Role.REP))
    response = change_password(client, new="short")
    assert str(MIN_PASSWORD_LENGTH) in field_error(response.text, "new_password")
    response = change_password(client, confirm="something else entirely")
    assert field_error(response.text, "confirm") == "The passwords differ."


# --- the admin's people pages ---------------------------------------------------------------


def person_form(**changes) -> dict[str, object]:
    return {
        "full_name": "Nina Rossi",
        "email": "nina.rossi@example.com",
        "job_title": "Account Executive",
        "start_date": "2025-03-03",
        "timezone": "Europe/Rome",
        "roles": ["rep"],
        "coach_id": "None",
        "team_id": "None",
        **changes,
    }


def test_admin_adds_a_person_who_is_invited_to_choose_a_password(
    client, login, make_user, make_team
):
    coach = make_user(Role.COACH)
    team = make_team()
    login(make_user(Role.ADMIN))
    assert client.get("/admin/people/new").status_code == 200

    response = client.post(
        "/admin/people/new", data=person_form(coach_id=str(coach.id), team_id=str(team.id))
    )
    assert response.status_code == 302
    nina = db.session.scalar(select(User).where(User.email == "nina.rossi@example.com"))
    assert nina is not None
    assert response.location == f"/reps/{nina.id}/assign"  # a rep is given a plan next
    people = client.get("/admin/people").text
    assert "Nina Rossi is invited" in people and "Invited</span>" in people

    assert (nina.coach_id, nina.team_id, nina.timezone) == (coach.id, team.id, "Europe/Rome")
    assert nina.roles == {Role.REP}
    form = client.get("/admin/people/new").text
    assert 'type="password"' not in form  # no first password: she chooses her own
    client.post("/logout")
    link = latest_link("nina.rossi@example.com")
    accepted = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert accepted.status_code == 302
    client.post("/logout")
    assert sign_in(client, "nina.rossi@example.com", NEW_PASSWORD).status_code == 302


def test_a_person_without_a_role_is_refused_on_the_role_group(client, login, make_user):
    """The requirement is the group's: no box carries ``required``, each is marked invalid."""
    login(make_user(Role.ADMIN))
    form = client.get("/admin/people/new").text
    boxes = re.findall(r'<input[^>]*name="roles"[^>]*>', form)
    assert len(boxes) == len(Role) and not any("required" in box for box in boxes)

    response = client.post("/admin/people/new", data=person_form(roles=[]))
    assert response.status_code == 200
    boxes = re.findall(r'<input[^>]*name="roles"[^>]*>', response.text)
    assert all('aria-invalid="true"' in box and "required" not in box for box in boxes)
    assert 'href="#roles-rep">Roles: Give the person at least one role.</a>' in response.text


def test_a_duplicate_email_is_shown_next_to_the_email_field(client, login, make_user):
    taken = make_user(Role.REP)
    login(make_user(Role.ADMIN))
    response = client.post("/admin/people/new", data=person_form(email=taken.email.upper()))
    assert response.status_code == 200
    assert field_error(response.text, "email") == "Someone already has this email address."
    assert 'value="Nina Rossi"' in response.text  # what was typed is kept
    assert db.session.scalar(select(User).where(User.full_name == "Nina Rossi")) is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"roles": []}, "roles"),
        ({"email": "not-an-email"}, "email"),
        ({"full_name": ""}, "full_name"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
    ],
)
def test_person_form_errors_are_shown_next_to_their_field(client, login, make_user, changes, field):
    login(make_user(Role.ADMIN))
    response = client.post("/admin/people/new", data=person_form(**changes))
    assert response.status_code == 200
    assert field_error(response.text, field)
    assert db.session.scalar(select(User).where(User.full_name == "Nina Rossi")) is None


def test_a_coach_who_is_not_a_coach_is_refused(client, login, make_user):
    hr = make_user(Role.HR)
    login(make_user(Role.ADMIN))
    response = client.post("/admin/people/new", data=person_form(coach_id=str(hr.id)))
    assert response.status_code == 200
    assert field_error(response.text, "coach_id")


def test_admin_edits_a_person(client, login, make_user):
    person = make_user(Role.REP)
    coach = make_user(Role.COACH)
    login(make_user(Role.ADMIN))
    page = client.get(f"/admin/people/{person.id}")
    assert page.status_code == 200
    assert f'value="{person.email}"' in page.text

    data = person_form(email=person.email, full_name="Edited Name", coach_id=str(coach.id))
    response = client.post(f"/admin/people/{person.id}", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert person.full_name == "Edited Name"
    assert person.coach_id == coach.id


def test_editing_to_someone_elses_email_is_shown_next_to_the_field(client, login, make_user):
    person, other = make_user(Role.REP), make_user(Role.REP)
    login(make_user(Role.ADMIN))
    data = person_form(email=other.email)
    response = client.post(f"/admin/people/{person.id}", data=data)
    assert response.status_code == 200
    assert field_error(response.text, "email") == "Someone already has this email address."
    db.session.expire_all()
    assert person.full_name != "Nina Rossi"


def test_editing_an_unknown_person_is_not_found(client, login, make_user):
    login(make_user(Role.ADMIN))
    assert client.get("/admin/people/9999").status_code == 404


@pytest.mark.parametrize("role", [Role.REP, Role.COACH, Role.HR])
def test_only_admins_add_or_edit_people(client, login, make_user, role):
    person = make_user(Role.REP)
    login(make_user(role))
    assert client.get("/admin/people/new").status_code == 403
    assert client.post("/admin/people/new", data=person_form()).status_code == 403
    assert client.post(f"/admin/people/{person.id}/deactivate").status_code == 403
    db.session.expire_all()
    assert person.active
    assert db.session.scalar(select(User).where(User.full_name == "Nina Rossi")) is None


def test_deactivated_person_cannot_sign_in_and_their_plan_stays(client, login, make_rep, make_user):
    rep = make_rep(day_of_ramp=12)
    plan_id = db.session.scalar(select(Plan.id).where(Plan.rep_id == rep.id))
    admin = make_user(Role.ADMIN)
    login(admin)

    response = client.post(f"/admin/people/{rep.id}/deactivate")
    assert response.status_code == 302
    assert "deactivated; their records stay" in client.get("/admin/people").text
    client.post("/logout")

    response = sign_in(client, rep.email)
    assert response.status_code == 200
    assert "deactivated" in response.text
    assert client.get("/ramp").status_code == 302

    db.session.expire_all()
    plan = db.session.get(Plan, plan_id)
    assert plan is not None
    assert plan.archived_at is None
    assert len(plan.milestones) > 0

    # HR still sees the deactivated rep's ramp.
    login(make_user(Role.HR))
    assert "Day 12" in client.get(f"/reps/{rep.id}").text


def test_a_signed_in_user_who_is_deactivated_is_signed_out(client, login, make_user):
    rep = make_user(Role.REP)
    login(rep)
    assert client.get("/ramp").status_code == 200
    rep.active = False
    db.session.commit()
    assert client.get("/ramp").status_code == 302


def test_admin_cannot_deactivate_themselves_over_http(client, login, make_user):
    admin = make_user(Role.ADMIN)
    login(admin)
    response = client.post(f"/admin/people/{admin.id}/deactivate")
    assert response.status_code == 400
    assert "You cannot deactivate your own account." in response.text
    db.session.expire_all()
    assert admin.active


def test_deactivating_twice_keeps_a_leaver_deactivated(client, login, make_user):
    """A double click on Deactivate used to toggle the leaver back on; each action is explicit."""
    admin, leaver = make_user(Role.ADMIN), make_user(Role.REP)
    login(admin)
    for _ in range(2):
        assert client.post(f"/admin/people/{leaver.id}/deactivate").status_code == 302
        db.session.expire_all()
        assert not db.session.get(User, leaver.id).active
    for _ in range(2):
        assert client.post(f"/admin/people/{leaver.id}/activate").status_code == 302
        db.session.expire_all()
        assert db.session.get(User, leaver.id).active
    page = client.get(f"/admin/people/{leaver.id}").text
    assert f'action="/admin/people/{leaver.id}/deactivate"' in page
    assert "/active" not in page.replace("/activate", "")


def test_two_admins_editing_a_person_the_second_sees_the_first_ones_change(
    client, login, make_user
):
    """Optimistic locking: the stale save is refused and the form shows the saved version."""
    person = make_user(Role.REP, name="Nina Rossi")
    login(make_user(Role.ADMIN))
    page = client.get(f"/admin/people/{person.id}").text
    assert 'name="row_version" type="hidden" value="1"' in page
    first = person_form(job_title="Team Lead", row_version="1", email=person.email)
    assert client.post(f"/admin/people/{person.id}", data=first).status_code == 302

    second = person_form(job_title="Intern", row_version="1", email=person.email)
    stale = client.post(f"/admin/people/{person.id}", data=second)

    assert stale.status_code == 409
    assert "Someone else changed Nina Rossi after you opened this page" in stale.text
    assert 'value="Team Lead"' in stale.text and 'value="Intern"' not in stale.text
    assert 'name="row_version" type="hidden" value="2"' in stale.text
    db.session.expire_all()
    assert db.session.get(User, person.id).job_title == "Team Lead"
    again = person_form(job_title="Intern", row_version="2", email=person.email)
    assert client.post(f"/admin/people/{person.id}", data=again).status_code == 302


@pytest.mark.parametrize(
    ("job_title", "plan"), [("Account Executive", "ae-ramp"), ("Sales Development Rep", "sdr-ramp")]
)
def test_after_adding_a_rep_the_plan_of_their_role_is_chosen(
    client, login, make_user, curriculum, job_title, plan
):
    login(make_user(Role.ADMIN))
    response = client.post("/admin/people/new", data=person_form(job_title=job_title))
    page = client.get(response.location).text
    options = re.findall(r"<option[^>]*>", page)
    chosen = [re.search(r'value="([^"]+)"', o).group(1) for o in options if "selected" in o]
    assert chosen == [plan]


def test_adding_someone_who_is_not_a_rep_goes_back_to_people(client, login, make_user):
    login(make_user(Role.ADMIN))
    response = client.post("/admin/people/new", data=person_form(roles=["coach"]))
    assert response.location == "/admin/people"
