"""All reps / My team as a list that grows: counts from SQL, sorting, paging, search, filters."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.pagination import PageRequest
from app.plans import service
from app.plans.models import MilestoneStatus, Plan
from app.plans.status import RepStatus
from tests.querycount import counting_queries, kept_view


def plan_of(rep) -> Plan:
    plan = service.active_plan(rep)
    assert plan is not None
    return plan


@pytest.fixture
def crew(make_user, make_rep, make_team):
    """A coach's reps in every status, in two teams and three time zones."""
    north, south = make_team("North"), make_team("South")
    coach = make_user(Role.COACH, name="Maya Patel")
    reps = {
        "ava": make_rep(day_of_ramp=2, coach=coach, name="Ava Chen"),  # on track
        "ben": make_rep(day_of_ramp=40, coach=coach, name="Ben Okafor"),  # at risk
        "cy": make_rep(day_of_ramp=12, coach=coach, name="Cy Dube"),  # behind or at risk
        "dee": make_rep(day_of_ramp=30, coach=coach, name="Dee Ekwueme"),  # complete
        "eli": make_user(Role.REP, coach=coach, name="Eli Fox"),  # no plan
    }
    for milestone in plan_of(reps["dee"]).milestones:
        milestone.status = MilestoneStatus.DONE
    ben = plan_of(reps["ben"]).milestones
    ben[0].status = MilestoneStatus.SUBMITTED
    ben[1].status = MilestoneStatus.DONE
    reps["cy"].timezone = "Pacific/Kiritimati"
    reps["ava"].timezone = "Pacific/Honolulu"
    for key, team in (("ava", north), ("ben", south), ("cy", north), ("dee", south)):
        reps[key].team = team
    db.session.commit()
    return {"coach": coach, "north": north, "south": south, **reps}


@pytest.mark.parametrize("hours", [0, 11, 23])
def test_rows_from_counts_match_the_full_summaries(crew, hours):
    """Status, day, overdue, waiting and phase figures as the milestone-by-milestone rules say."""
    now = datetime.now(UTC).replace(hour=0, minute=0) + timedelta(hours=hours)
    summaries = {s.rep.id: s for s in service.team_overview(crew["coach"], now=now)}
    rows = service.team_rows(crew["coach"], service.TeamFilters(), now=now)
    assert [row.rep_id for row in rows] == list(summaries)
    for row in rows:
        full = summaries[row.rep_id]
        assert row.status == full.status
        assert row.has_plan == (full.plan is not None)
        assert row.day == full.day
        assert row.overdue == len(full.overdue)
        assert row.to_verify == len(full.awaiting_verification)
        assert [(p.done, p.total, p.percent) for p in row.phases] == [
            (p.done, p.total, p.percent) for p in full.phases
        ]
    assert {row.status for row in rows} >= {
        RepStatus.ON_TRACK,
        RepStatus.AT_RISK,
        RepStatus.COMPLETE,
        RepStatus.NO_PLAN,
    }


def order(crew, sort: str) -> list[str]:
    result = service.team_page(
        crew["coach"],
        service.TeamFilters(),
        PageRequest.from_args({"sort": sort}, service.TEAM_SORTS),
    )
    return [row.full_name.split()[0] for row in result.page.items]


def test_sorting_by_each_column(crew):
    assert order(crew, "name") == ["Ava", "Ben", "Cy", "Dee", "Eli"]
    assert order(crew, "-name") == ["Eli", "Dee", "Cy", "Ben", "Ava"]
    status = order(crew, "status")
    assert status[0] == "Ben" and status[-2:] == ["Dee", "Eli"]  # at risk first, no plan last
    assert order(crew, "day") == ["Eli", "Ava", "Cy", "Dee", "Ben"]
    assert order(crew, "-day") == ["Ben", "Dee", "Cy", "Ava", "Eli"]
    assert order(crew, "overdue")[-1] == "Ben"
    assert order(crew, "-to_verify")[0] == "Ben"
    assert order(crew, "-phase1")[0] == "Dee"
    assert order(crew, "phase3")[0] == "Eli"
    assert order(crew, "nonsense") == order(crew, "name")


def test_counts_cover_the_filtered_list_not_just_the_page(crew):
    request = PageRequest.from_args({"per_page": "2", "page": "2"}, service.TEAM_SORTS, "name")
    result = service.team_page(crew["coach"], service.TeamFilters(), request)
    assert [row.full_name for row in result.page.items] == ["Cy Dube", "Dee Ekwueme"]
    assert (result.page.total, result.page.pages) == (5, 3)
    assert sum(result.counts.values()) == 5
    assert result.counts[RepStatus.COMPLETE] == 1
    assert result.counts[RepStatus.NO_PLAN] == 1
    assert all(row.rep is not None and row.rep.team is not None for row in result.page.items)


def reps_on(text: str) -> list[str]:
    return re.findall(r'data-rep="([^"]+)"', text)


def test_the_page_pages_sorts_and_keeps_the_filters_in_links(crew, login):
    client = login(crew["coach"])
    first = client.get("/team", query_string={"per_page": 2, "sort": "-name"}).text
    assert reps_on(first) == [crew["eli"].email, crew["dee"].email]
    assert "Showing 1\N{EN DASH}2 of 5 reps" in first
    assert 'aria-sort="descending"' in first
    assert 'rel="next" href="/team?per_page=2&amp;sort=-name&amp;page=2"' in first
    last = client.get("/team", query_string={"per_page": 2, "sort": "-name", "page": 9}).text
    assert reps_on(last) == [crew["ava"].email]
    assert "Showing 5\N{EN DASH}5 of 5 reps" in last

    filtered = client.get(
        "/team", query_string={"team": crew["north"].id, "q": "c", "sort": "day"}
    ).text
    assert reps_on(filtered) == [crew["ava"].email, crew["cy"].email]
    assert "Showing 1\N{EN DASH}2 of 2 reps" in filtered
    # The sort header keeps the filters; the filter form keeps the sort.
    assert f"team={crew['north'].id}" in re.search(r'href="([^"]*sort=-day[^"]*)"', filtered)[1]
    assert '<input type="hidden" name="sort" value="day">' in filtered
    assert "<caption" in filtered and 'scope="col"' in filtered


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "complete"}, ["dee"]),
        ({"status": "no plan", "q": "eli"}, ["eli"]),
        ({"status": "no plan", "q": "ava"}, []),
        ({"team": "south", "status": "at risk"}, ["ben"]),
        ({"team": "south", "q": "ok"}, ["ben"]),
        ({"q": "%"}, []),
    ],
)
def test_search_and_filters_combine(crew, login, query, expected):
    client = login(crew["coach"])
    if "team" in query:
        query = {**query, "team": crew[query["team"]].id}
    text = client.get("/team", query_string=query).text
    assert reps_on(text) == [crew[key].email for key in expected]
    if not expected:
        assert "No reps match." in text


def test_the_team_page_never_loads_milestones(crew, login):
    """Counts come from SQL: no statement reads milestone rows (titles, notes, ...)."""
    client = login(crew["coach"])
    client.get("/team")
    with counting_queries() as statements:
        assert client.get("/team", query_string={"sort": "-overdue"}).status_code == 200
    reading_milestones = [s for s in statements if "milestones.title" in s]
    assert reading_milestones == []
    assert any("GROUP BY milestones.plan_id" in s for s in statements)


@pytest.mark.parametrize(
    ("days_late", "expected"), [(14, RepStatus.BEHIND), (15, RepStatus.AT_RISK)]
)
def test_one_milestone_more_than_14_days_late_puts_a_rep_at_risk_on_the_page(
    make_rep, days_late, expected
):
    rep = make_rep(day_of_ramp=60)
    today = datetime.now(UTC).date()
    milestones = plan_of(rep).milestones
    for milestone in milestones:
        milestone.status = MilestoneStatus.DONE
    milestones[0].status = MilestoneStatus.OPEN
    milestones[0].due_date = today - timedelta(days=days_late)
    db.session.commit()
    request = PageRequest.from_args({"sort": "name"}, service.TEAM_SORTS)
    result = service.team_page(rep.coach, service.TeamFilters(), request)
    (row,) = result.page.items
    assert row.status == expected
    assert result.counts[expected] == 1


@pytest.mark.parametrize("hours", [0, 11, 23])
@pytest.mark.parametrize("sort", ["name", "-status", "day", "-overdue", "to_verify", "phase2"])
def test_the_page_read_from_the_plan_summaries_equals_the_exact_rows(crew, make_rep, hours, sort):
    """The page's rows, counts and order as the milestones counted one by one say, whatever
    the hour (each rep's own today) and the sort; more than three overdue shown exactly."""
    late = make_rep(day_of_ramp=80, coach=crew["coach"], name="Fay Gold")  # many overdue
    db.session.commit()
    now = datetime.now(UTC).replace(hour=0, minute=0) + timedelta(hours=hours)
    request = PageRequest.from_args({"sort": sort, "per_page": "4"}, service.TEAM_SORTS)
    exact = service.sorted_team_rows(crew["coach"], service.TeamFilters(), request, now=now)
    figures = {
        row.rep_id: (row.status, row.day, row.overdue, row.to_verify, row.phase_counts)
        for row in exact
    }
    assert figures[late.id][2] > 3
    for number in (1, 2):
        request = PageRequest.from_args(
            {"sort": sort, "per_page": "4", "page": str(number)}, service.TEAM_SORTS
        )
        result = service.team_page(crew["coach"], service.TeamFilters(), request, now=now)
        shown = [row.rep_id for row in result.page.items]
        assert shown == [row.rep_id for row in exact][4 * (number - 1) : 4 * number]
        for row in result.page.items:
            assert (row.status, row.day, row.overdue, row.to_verify, row.phase_counts) == (
                figures[row.rep_id]
            )
        assert result.counts == service.status_counts(exact)


@pytest.mark.parametrize("hours", [0, 23])
@pytest.mark.parametrize("sort", ["name", "-name", "status", "-to_verify"])
def test_each_status_filter_pages_and_counts_as_the_exact_rows_say(crew, hours, sort):
    """Filtered by a status, the page (sorted and counted in SQL) holds that status's reps
    only, in the exact rows' order, and the counts speak of them only; a paused plan too."""
    now = datetime.now(UTC).replace(hour=0, minute=0) + timedelta(hours=hours)
    paused = plan_of(crew["ava"])
    paused.paused_from = now.date() - timedelta(days=3)
    paused.paused_until = now.date() + timedelta(days=3)
    db.session.commit()
    request = PageRequest.from_args({"sort": sort, "per_page": "2"}, service.TEAM_SORTS)
    exact = service.sorted_team_rows(crew["coach"], service.TeamFilters(), request, now=now)
    assert RepStatus.PAUSED in {row.status for row in exact}
    for status in RepStatus:
        kept = [row for row in exact if row.status == status]
        result = service.team_page(crew["coach"], service.TeamFilters(status=status), request, now)
        assert [row.rep_id for row in result.page.items] == [row.rep_id for row in kept][:2]
        assert all(row.status == status for row in result.page.items)
        assert result.counts == service.status_counts(kept)
        assert result.page.total == len(kept)


def test_the_list_is_kept_while_the_data_holds_and_shows_a_tick_at_once(crew, login, client):
    login(crew["coach"])
    view = kept_view(client, "/team")
    assert len(view.kept) < len(view.afresh)
    assert f">1 {RepStatus.COMPLETE}<" in view.response.text

    for milestone in plan_of(crew["ava"]).milestones:  # Ava finishes her plan
        milestone.status = MilestoneStatus.DONE
    db.session.commit()

    assert f">2 {RepStatus.COMPLETE}<" in client.get("/team").text
