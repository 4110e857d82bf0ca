"""How long the teams' kept shares hold (app/teamshares.py), how PostgreSQL plans their
statements, and the organisation's dashboard worked out before a web process serves
(app/serving.py, app/dashboards/service/warming.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from app import serving
from app.accounts.models import Role
from app.extensions import db
from app.generation import NO_TEAM, forget_kept_figures, kept_store
from app.teamshares import GENERIC_PLAN_TEAMS, kept_by_team
from tests.pagetext import without_csrf_tokens
from tests.querycount import counting_queries


def _counting_compute():
    asked: list[list[int]] = []

    def compute(teams: list[int]) -> dict[int, int]:
        asked.append(teams)
        return {team: len(asked) for team in teams}

    return compute, asked


def test_shares_hold_across_quarter_hours_until_a_day_turns_in_a_zone_people_are_in(app, make_user):
    make_user(timezone="Asia/Tokyo")  # UTC+9: their day turns at 15:00 UTC
    make_user(timezone="UTC")
    compute, asked = _counting_compute()
    nine = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    def share(moment: datetime) -> int:
        return kept_by_team("test", 1, [NO_TEAM], compute, now=moment)[NO_TEAM]

    assert share(nine) == 1
    assert share(nine + timedelta(minutes=15)) == 1  # a quarter hour on, no day turned
    assert share(nine + timedelta(hours=5, minutes=59)) == 1  # 14:59: still Tokyo's 30th
    assert share(nine + timedelta(hours=6)) == 2  # 15:00: Tokyo's 1 December
    assert share(nine + timedelta(hours=14, minutes=59)) == 2
    assert share(nine + timedelta(hours=15)) == 3  # midnight in UTC
    assert len(asked) == 3


def test_a_zone_someone_moves_to_counts_from_the_next_quarter_hour(app, make_user):
    person = make_user(timezone="UTC")
    compute, _asked = _counting_compute()
    nine = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    def share(moment: datetime) -> int:
        return kept_by_team("test", 1, [NO_TEAM], compute, now=moment)[NO_TEAM]

    assert share(nine) == 1
    person.timezone = "Asia/Tokyo"
    db.session.commit()  # a write of a person with no team: their share is worked out again
    assert share(nine + timedelta(minutes=5)) == 2
    assert share(nine + timedelta(minutes=15)) == 2  # Tokyo, read now, is on the 30th too
    assert share(nine + timedelta(hours=6)) == 3  # and its day turning counts


def test_on_postgresql_a_few_teams_are_planned_once_and_many_for_their_values(app, make_team):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    teams = [make_team(f"Team {n}").id for n in range(GENERIC_PLAN_TEAMS + 1)]

    def plan_mode(asked: list[int]) -> dict[int, str]:
        mode = db.session.connection().exec_driver_sql("SHOW plan_cache_mode").scalar_one()
        return dict.fromkeys(asked, mode)

    few = kept_by_team("few", 1, teams[:1], plan_mode)
    many = kept_by_team("many", 1, teams, plan_mode)
    few_again = kept_by_team("few", 2, teams[:GENERIC_PLAN_TEAMS], plan_mode)

    assert set(few.values()) == {"force_generic_plan"}
    assert set(many.values()) == {"force_custom_plan"}  # put back within the transaction
    assert set(few_again.values()) == {"force_generic_plan"}


def test_a_worker_works_the_organisation_dashboard_out_before_it_serves(
    app: Flask, client, login, make_team, make_user, make_rep
):
    north = make_team("North")
    rep = make_rep(day_of_ramp=40)
    rep.team = north
    make_rep(day_of_ramp=20)  # no team
    login(make_user(Role.HR))
    page = client.get("/dashboard")

    forget_kept_figures()
    with counting_queries() as first_view:
        cold = client.get("/dashboard")
    forget_kept_figures()
    assert serving.warm_kept_figures(app) is True
    with counting_queries() as after_warming:
        warmed = client.get("/dashboard")
    kept_store().figures.clear()  # the page's own figures, not the teams' shares
    with counting_queries() as shares_kept:
        client.get("/dashboard")

    assert page.status_code == cold.status_code == warmed.status_code == 200
    assert without_csrf_tokens(warmed.text) == without_csrf_tokens(cold.text)
    assert len(after_warming) == len(shares_kept) < len(first_view)


def test_warming_needs_someone_who_oversees_the_organisation(app: Flask, make_user, make_rep):
    make_rep()
    make_user(Role.HR, active=False)
    assert serving.warm_kept_figures(app) is False
    make_user(Role.ADMIN)
    assert serving.warm_kept_figures(app) is True


def test_a_warming_that_fails_is_logged_and_the_worker_serves(
    app: Flask, make_user, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    make_user(Role.HR)

    def unreadable() -> bool:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(serving, "warm_organisation_shares", unreadable)
    assert serving.warm_kept_figures(app) is False
    assert "could not be worked out in advance" in caplog.text
