"""Exports say what the page says: the same rows, columns and values, for whoever may read it."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from html import unescape

import openpyxl
import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.coaching import service as coaching
from app.coaching.followthrough import Outcome
from app.exports.models import TableExport
from app.extensions import db
from app.metrics import service as metrics
from app.plans import service as plans
from app.plans.models import MilestoneStatus
from tests.escalations.helpers import overdue_commitment
from tests.exports.helpers import finished_file
from tests.querycount import counting_queries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS = ("reps", "certifications", "commitments", "activity", "ramp-outcomes", "plan-drivers")


@pytest.fixture
def crew(make_user, make_rep, make_team):
    north = make_team("North")
    coach = make_user(Role.COACH, name="Maya Patel")
    reps = [
        make_rep(day_of_ramp=2, coach=coach, name="Ava Chen"),
        make_rep(day_of_ramp=40, coach=coach, name='=HYPERLINK("http://evil")'),
        make_rep(day_of_ramp=30, coach=coach, name="Dee Ekwueme"),
        make_user(Role.REP, coach=coach, name="Eli Fox"),  # no plan
    ]
    for milestone in plans.active_plan(reps[2]).milestones:
        milestone.status = MilestoneStatus.DONE
    reps[0].team = north
    db.session.commit()
    return {"coach": coach, "north": north, "reps": reps}


def _csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text[1:])))


def _xlsx(response) -> list[list[object]]:
    assert response.status_code == 200
    assert response.mimetype == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _page_rows(html: str) -> list[tuple[str, str]]:
    """(name, status) of each row of the All reps page."""
    names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)
    statuses = re.findall(r'<td><span class="badge text-bg-[a-z-]+">([^<]+)</span></td>', html)
    return [(unescape(n), s) for n, s in zip(names, statuses, strict=True)]


def test_the_reps_export_has_the_pages_rows_in_its_order_with_its_filters(crew, login) -> None:
    client = login(crew["coach"])
    query = "?sort=-day"
    page = client.get(f"/team{query}").text
    rows = _csv(finished_file(client, "/exports/reps.csv", sort="-day"))
    on_page = _page_rows(page)
    assert [(r["Rep"].removeprefix("'"), r["Status"]) for r in rows] == on_page
    assert len(rows) == 4

    north = _csv(finished_file(client, "/exports/reps.csv", team=str(crew["north"].id)))
    assert [r["Rep"] for r in north] == ["Ava Chen"]
    assert north[0]["Day"] == "2"
    dee = next(r for r in rows if r["Rep"] == "Dee Ekwueme")
    assert dee["Days 1\u201330 %"] == "100"


def test_a_cell_that_looks_like_a_formula_stays_text(crew, login) -> None:
    client = login(crew["coach"])
    rows = _csv(finished_file(client, "/exports/reps.csv"))
    assert '\'=HYPERLINK("http://evil")' in [r["Rep"] for r in rows]
    sheet = _xlsx(finished_file(client, "/exports/reps.xlsx"))
    assert '=HYPERLINK("http://evil")' in [row[0] for row in sheet]  # a string, not a formula


def test_the_excel_export_types_its_cells(crew, login) -> None:
    client = login(crew["coach"])
    header, *rows = _xlsx(finished_file(client, "/exports/reps.xlsx", sort="name"))
    assert header[:5] == ["Rep", "Status", "Day", "Overdue", "To verify"]
    ava = next(row for row in rows if row[0] == "Ava Chen")
    assert isinstance(ava[2], int | float) and ava[2] == 2
    eli = next(row for row in rows if row[0] == "Eli Fox")
    assert eli[1] == "No plan" and eli[2] is None


def test_commitments_and_activity_exports(crew, login) -> None:
    coach, rep = crew["coach"], crew["reps"][0]
    commitment = overdue_commitment(rep, days_late=2, today=date.today())
    coaching.review_commitment(coach, commitment, Outcome.MISSED, "No time.")
    monday = metrics.monday_of(date.today())
    metrics.log_day(rep, monday, {"dials": 12, "call_minutes": 95}, date.today())
    db.session.commit()
    client = login(coach)

    [line] = _csv(finished_file(client, "/exports/commitments.csv"))
    assert line["Rep"] == "Ava Chen"
    assert line["Outcome"] == "Missed"
    assert line["Due"] == commitment.due_on.isoformat()

    [week] = _csv(finished_file(client, "/exports/activity.csv"))
    assert week["Week starting"] == monday.isoformat()
    assert week["From"] == "Logged by the rep"
    assert week["Dials"] == "12"
    assert week["Time on calls (minutes)"] == "95"
    _header, row = _xlsx(finished_file(client, "/exports/activity.xlsx"))
    assert row[1].date() == monday  # a date cell


def test_a_background_export_keeps_the_pages_filters_and_is_the_askers_alone(
    crew, login, app
) -> None:
    rep = crew["reps"][0]
    monday = metrics.monday_of(date.today())
    metrics.log_day(rep, monday, {"dials": 7}, date.today())
    metrics.log_day(crew["reps"][2], monday, {"dials": 3}, date.today())
    db.session.commit()
    client = login(crew["coach"])
    north = _csv(finished_file(client, "/exports/activity.csv", team=str(crew["north"].id)))
    assert [line["Rep"] for line in north] == ["Ava Chen"]
    started = client.post("/exports/activity.csv/start")
    progress = started.headers["Location"]
    other = app.test_client()
    assert other.get(progress).status_code in (302, 401, 404)


def test_another_coachs_export_has_their_reps_only(crew, login, make_user, make_rep) -> None:
    other = make_user(Role.COACH, name="Omar Diaz")
    make_rep(day_of_ramp=12, coach=other, name="Zoe Quinn")
    client = login(other)
    assert [r["Rep"] for r in _csv(finished_file(client, "/exports/reps.csv"))] == ["Zoe Quinn"]
    rows = _csv(finished_file(client, "/exports/certifications.csv"))
    assert [r["Rep"] for r in rows] == ["Zoe Quinn"]


def test_a_link_to_a_file_leads_to_its_page_with_the_same_filters(crew, login) -> None:
    """No web request builds a file: a bookmarked link shows the page and its buttons."""
    client = login(crew["coach"])
    team = crew["north"].id
    answer = client.get(f"/exports/commitments.xlsx?team={team}&sort=-day&_external=1")
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/team?team={team}&sort=-day"
    page = client.get(answer.headers["Location"]).text
    assert "Files are prepared in the background" in page
    for name in ("reps", "commitments", "activity"):
        for fmt in ("csv", "xlsx"):
            assert f'action="/exports/{name}.{fmt}/start"' in page
    assert 'href="/exports/' not in page
    assert f'name="team" value="{team}"' in page  # the buttons send the page's filters
    outcomes = client.get("/exports/ramp-outcomes.csv?role=SDR")
    assert outcomes.headers["Location"] == "/outcomes/?role=SDR"


def test_the_certification_matrix_export_has_every_rep_and_stage(crew, login) -> None:
    client = login(crew["coach"])
    rows = _csv(finished_file(client, "/exports/certifications.csv"))
    assert {r["Rep"].removeprefix("'") for r in rows} == {r.full_name for r in crew["reps"]}
    stage_columns = [key for key in rows[0] if key.endswith(": status")]
    assert stage_columns
    assert {rows[0][key] for key in stage_columns} <= {"Not started", "Passed", "Not passed"}


def test_reps_cannot_export_and_unknown_exports_are_404(crew, login) -> None:
    client = login(crew["reps"][0])
    assert client.get("/exports/reps.csv").status_code == 403
    assert client.post("/exports/reps.csv/start").status_code == 403
    assert db.session.scalar(select(func.count(TableExport.id))) == 0
    assert client.get("/exports/nothing.csv").status_code == 404
    assert client.get("/exports/reps.pdf").status_code == 404
    assert client.post("/exports/reps.pdf/start").status_code == 404


def test_an_export_asks_as_many_queries_for_many_reps_as_for_few(crew, login, make_rep) -> None:
    """Queued, written by the job (run as it is queued here), followed and downloaded."""
    client = login(crew["coach"])
    urls = [f"/exports/{name}.{fmt}" for name in EXPORTS for fmt in ("csv", "xlsx")]

    def count(url: str) -> int:
        with counting_queries() as statements:
            finished_file(client, url)
        return len(statements)

    for url in urls:
        count(url)  # what a process warms once
    few = [count(url) for url in urls]
    for number in range(12):
        make_rep(day_of_ramp=number + 1, coach=crew["coach"], name=f"Rep {number:02}")
    for url in urls:
        # New reps' outcomes are judged on their first read (a fixed number of statements,
        # tests/outcomes/test_query_counts.py); then read from their stored judgements.
        count(url)
    assert [count(url) for url in urls] == few
