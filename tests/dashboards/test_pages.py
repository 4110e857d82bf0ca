"""The dashboard pages through the test client: who sees them, what they show, the URL filters."""

from __future__ import annotations

from datetime import date, timedelta

from app.accounts.models import Role
from app.accounts.service import organisation
from app.extensions import db


def _world(make_rep, make_user, make_team):
    coach = make_user(Role.COACH, name="Casey Coach")
    north, south = make_team("North"), make_team("South")
    reps = [
        make_rep(day_of_ramp=day, coach=coach, name=name)
        for day, name in ((3, "Nia North"), (45, "Sam South"))
    ]
    reps[0].team, reps[1].team = north, south
    db.session.commit()
    return coach, north, reps


def test_a_coach_sees_their_reps_funnel_heatmap_and_who_needs_attention(
    make_rep, make_user, make_team, login, client
):
    coach, _north, _reps = _world(make_rep, make_user, make_team)
    make_rep(day_of_ramp=45, name="Olly Otherteam")  # another coach's rep
    login(coach)

    page = client.get("/dashboard")

    assert page.status_code == 200
    assert 'id="funnel-table"' in page.text and 'id="heatmap-table"' in page.text
    assert "Sam South" in page.text and "Olly Otherteam" not in page.text
    assert "overdue milestones (at risk)" in page.text
    assert f'href="/dashboard/coaches/{coach.id}"' in page.text  # their own figures
    assert '<svg class="chart"' in page.text and '<title id="funnel-chart-title">' in page.text


def test_filters_stay_in_the_url_and_narrow_the_reps(make_rep, make_user, make_team, login, client):
    _coach, north, _reps = _world(make_rep, make_user, make_team)
    login(make_user(Role.HR))
    month = f"{date.today():%Y-%m}"

    page = client.get(f"/dashboard?team={north.id}&role=SDR&cohort=2020-01")
    everyone = client.get("/dashboard")

    assert "Sam South" not in page.text and "0 reps who started in January 2020" in page.text
    assert f'<option selected value="{north.id}">' in page.text
    assert "Sam South" in everyone.text and "2 reps." in everyone.text
    assert f'value="{month}"' in everyone.text or month not in everyone.text


def test_bad_filters_show_everyone_rather_than_fail(make_rep, make_user, make_team, login, client):
    _world(make_rep, make_user, make_team)
    login(make_user(Role.ADMIN))
    for query in ("team=abc", "team=99999999999999999", "cohort=2026-13", "cohort=x", "role=<b>"):
        page = client.get(f"/dashboard?{query}")
        assert page.status_code == 200
        assert "2 reps." in page.text


def test_a_chosen_cohort_is_compared_with_earlier_ones(
    make_rep, make_user, make_team, login, client
):
    _world(make_rep, make_user, make_team)
    login(make_user(Role.HR))
    # Nia North's start month (day 3 of her ramp today): on the 1st or 2nd of a month, the
    # month before.
    month = (date.today() - timedelta(days=2)).replace(day=1)
    page = client.get(f"/dashboard?cohort={month:%Y-%m}")
    assert 'id="compare-table"' in page.text
    assert f"{month:%B %Y} against earlier cohorts" in page.text


def test_reps_have_no_dashboard_and_coaches_only_their_own_figures(
    make_rep, make_user, make_team, login, client
):
    coach, _north, reps = _world(make_rep, make_user, make_team)
    login(reps[0])
    assert client.get("/dashboard").status_code == 403
    login_other = make_user(Role.COACH)
    client.post("/logout")
    login(login_other)
    assert client.get(f"/dashboard/coaches/{coach.id}").status_code == 403
    assert client.get("/dashboard/coaches").status_code == 403
    assert client.get(f"/dashboard/coaches/{login_other.id}").status_code == 200


def test_hr_sees_every_coach_and_each_coachs_page(make_rep, make_user, make_team, login, client):
    coach, _north, _reps = _world(make_rep, make_user, make_team)
    login(make_user(Role.HR))

    overview = client.get("/dashboard/coaches?sort=-cadence")
    own = client.get(f"/dashboard/coaches/{coach.id}")

    assert overview.status_code == 200 and "Casey Coach" in overview.text
    assert own.status_code == 200 and 'id="cadence-table"' in own.text
    assert "below 2" in own.text  # no debrief against the default target of 2
    assert client.get("/dashboard/coaches/999999").status_code == 404


def test_the_admin_sets_the_cadence_target(make_user, login, client):
    login(make_user(Role.ADMIN))
    data = {"name": "Northwind", "turnaround_days": "2"}
    refused = client.post("/admin/organisation", data={**data, "debriefs_per_rep_month": "0"})
    saved = client.post("/admin/organisation", data={**data, "debriefs_per_rep_month": "4"})
    assert refused.status_code == 200 and "Between 1 and 20 debriefs." in refused.text
    assert saved.status_code == 302
    db.session.expire_all()
    assert organisation().debriefs_per_rep_month == 4
