"""Each person's notification settings page, and the organisation's turnaround target."""

from __future__ import annotations

from app.accounts.models import Role
from app.accounts.service import organisation
from app.extensions import db
from app.notifications.models import DigestFrequency
from app.notifications.service import preferences_of


def test_the_defaults_are_email_at_once_and_weekly_for_reps_daily_for_coaches(make_user):
    rep, coach = make_user(Role.REP), make_user(Role.COACH)

    assert (preferences_of(rep).email_at_once, preferences_of(rep).digest) == (
        True,
        DigestFrequency.WEEKLY,
    )
    assert preferences_of(coach).digest == DigestFrequency.DAILY
    assert not preferences_of(coach).saved


def test_a_person_changes_how_they_hear(make_user, login, client):
    rep = make_user(Role.REP)
    login(rep)

    page = client.get("/account/notifications")
    saved = client.post("/account/notifications", data={"digest": "daily"})

    assert page.status_code == 200
    assert '<input checked class="form-check-input" id="digest-weekly"' in page.text
    assert saved.status_code == 303
    chosen = preferences_of(rep)
    assert (chosen.email_at_once, chosen.digest, chosen.saved) == (
        False,
        DigestFrequency.DAILY,
        True,
    )
    assert "Your notification settings are saved." in client.get("/account/notifications").text


def test_a_choice_that_is_not_offered_is_refused_next_to_the_field(make_user, login, client):
    rep = make_user(Role.REP)
    login(rep)

    response = client.post(
        "/account/notifications", data={"email_at_once": "y", "digest": "hourly"}
    )

    assert response.status_code == 200
    assert "There is a problem" in response.text and 'id="digest-error"' in response.text
    assert not preferences_of(rep).saved


def test_the_settings_page_is_in_the_account_area(make_user, login, client):
    login(make_user(Role.REP))
    assert 'href="/account/notifications"' in client.get("/ramp").text


def test_an_admin_sets_the_turnaround_target(make_user, login, client):
    login(make_user(Role.ADMIN))

    refused = client.post(
        "/admin/organisation",
        data={"name": "Northwind", "turnaround_days": "0", "debriefs_per_rep_month": "2"},
    )
    saved = client.post(
        "/admin/organisation",
        data={"name": "Northwind", "turnaround_days": "3", "debriefs_per_rep_month": "2"},
    )

    assert refused.status_code == 200 and "Between 1 and 30 days." in refused.text
    assert saved.status_code == 302
    db.session.expire_all()
    assert organisation().turnaround_days == 3
