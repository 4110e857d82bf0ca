"""The activity pages: uploading, mapping, previewing and importing a CRM export; the rep's
own day; who sees whose figures."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta

from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.extensions import db
from app.metrics.catalogue import PRESETS
from app.metrics.demo import SAMPLE_FILES
from app.metrics.models import ActivityFigure, ActivityImport, ActivitySource, ImportStatus
from tests.metrics.conftest import last_monday

Login = Callable[[User], FlaskClient]


def _upload(client: FlaskClient, source: str, data: bytes, name: str = "activity.csv") -> str:
    response = client.post(
        "/activity/imports",
        data={"source": source, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.text
    return response.location


def _figure_count() -> int:
    return db.session.scalar(select(func.count(ActivityFigure.id))) or 0


def test_upload_map_preview_and_import_a_hubspot_export(
    login: Login, make_user: Callable[..., User], sample_reps: dict[str, User]
) -> None:
    client = login(make_user(Role.HR))
    mapping_url = _upload(client, "HubSpot", SAMPLE_FILES["HubSpot"].read_bytes())
    assert mapping_url.endswith("/mapping")  # a new source is mapped first
    page = client.get(mapping_url).text
    assert '<option selected value="Activity assigned to (email)">' in page  # proposed
    hubspot = PRESETS[0]
    proposal = {
        "rep_column": hubspot.rep_column,
        "rep_match": "email",
        "date_column": hubspot.date_column,
        "period": "day",
        "date_format": "%Y-%m-%d",
        **{f"col_{metric}": header for metric, header in hubspot.columns.items()},
    }
    for name, value in proposal.items():  # every field proposed as HubSpot names it
        assert f'value="{value}"' in page, name
    preview_url = client.post(mapping_url, data=proposal).location
    preview = client.get(preview_url).text
    assert "Every row can be imported: 105 new, 0 replaced, 0 removed, 0 unchanged" in preview
    assert "rep5@demo.salesramp" in preview  # the first rows, as read
    assert _figure_count() == 0  # a preview writes nothing
    record_id = int(preview_url.rsplit("/", 1)[1])
    done = client.post(f"/activity/imports/{record_id}/start")
    assert done.status_code == 303
    result = client.get(done.location).text  # the job ran when the request committed
    assert "Imported: 105 new, 0 replaced, 0 removed, 0 unchanged." in result
    assert _figure_count() == 105
    # The same file again: the source's mapping is remembered, and nothing changes.
    again = _upload(client, "hubspot", SAMPLE_FILES["HubSpot"].read_bytes())
    assert not again.endswith("/mapping")
    text = client.get(again).text
    assert "importing it again changes nothing" in text
    assert "0 new, 0 replaced, 0 removed, 105 unchanged" in text


def test_bad_rows_are_listed_and_nothing_can_be_imported(
    login: Login, make_user: Callable[..., User]
) -> None:
    rep = make_user(Role.REP)
    client = login(make_user(Role.ADMIN))
    data = f"Email,Date,Dials\n{rep.email},{last_monday()},x\nghost@example.com,{last_monday()},3\n"
    mapping_url = _upload(client, "Sheet", data.encode())
    form = {
        "rep_column": "Email",
        "rep_match": "email",
        "date_column": "Date",
        "period": "day",
        "date_format": "%Y-%m-%d",
        "col_dials": "Dials",
    }
    preview = client.get(client.post(mapping_url, data=form).location).text
    assert "2 rows cannot be imported, so nothing will be" in preview
    assert "Row 2: Dials is not a number (&#39;x&#39;)." in preview
    assert "Row 3: unknown rep &#39;ghost@example.com&#39; (no rep has this email)." in preview
    assert "/start" not in preview  # no import button
    record = db.session.scalar(select(ActivityImport))
    refused = client.post(f"/activity/imports/{record.id}/start")  # sent anyway
    client.get(refused.location)
    db.session.expire_all()
    assert record.status is ImportStatus.FAILED and _figure_count() == 0
    assert record.error_count == 2


def test_a_mapping_without_the_rep_column_is_refused_next_to_the_field(
    login: Login, make_user: Callable[..., User]
) -> None:
    client = login(make_user(Role.HR))
    mapping_url = _upload(client, "Sheet", b"Who,When,Calls\na@b.c,2026-11-02,3\n")
    page = client.post(
        mapping_url,
        data={
            "rep_column": "",
            "date_column": "When",
            "rep_match": "email",
            "period": "day",
            "date_format": "%Y-%m-%d",
        },
    )
    assert page.status_code == 200
    assert "Choose the column that names the rep." in page.text
    assert db.session.scalar(select(ActivitySource.rep_column)) == ""


def test_an_upload_that_is_not_csv_is_refused(login: Login, make_user: Callable[..., User]) -> None:
    client = login(make_user(Role.HR))
    response = client.post(
        "/activity/imports",
        data={"source": "HubSpot", "file": (io.BytesIO(b"\n\n"), "empty.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "The file is empty." in response.text
    assert db.session.scalar(select(func.count(ActivityImport.id))) == 0


def test_a_rep_logs_their_day_in_one_short_form(
    login: Login, make_rep: Callable[..., User]
) -> None:
    rep = make_rep(day_of_ramp=20)
    client = login(rep)
    page = client.get("/activity/log").text
    today = date.today()
    assert f'value="{today.isoformat()}"' in page  # today by default
    form = {
        "day": today.isoformat(),
        "dials": "31",
        "conversations": "6",
        "call_minutes": "1:45",
        "selling_minutes": "150",
    }
    saved = client.post("/activity/log", data=form)
    assert saved.status_code == 303
    again = client.post("/activity/log", data=form)  # the same form sent twice: one row
    assert again.status_code == 303
    assert _figure_count() == 1
    row = db.session.scalar(select(ActivityFigure))
    assert (row.dials, row.call_minutes, row.selling_minutes) == (31, 105, 150)
    mine = client.get("/activity/").text
    assert "Logged by the rep" in mine and "1:45" in mine
    # A recent day is editable, shown as it was logged.
    yesterday = today - timedelta(days=1)
    client.post("/activity/log", data={"day": yesterday.isoformat(), "dials": "12"})
    edit = client.get(f"/activity/log?day={yesterday.isoformat()}").text
    assert 'value="12"' in edit


def test_the_log_form_says_what_is_wrong_next_to_the_field(
    login: Login, make_rep: Callable[..., User]
) -> None:
    client = login(make_rep(day_of_ramp=20))
    tomorrow = date.today() + timedelta(days=1)
    bad = client.post("/activity/log", data={"day": tomorrow.isoformat(), "dials": "4"})
    assert bad.status_code == 200
    assert "You cannot log a day that has not happened yet." in bad.text
    typo = client.post(
        "/activity/log", data={"day": date.today().isoformat(), "call_minutes": "lots"}
    )
    assert "Enter minutes (90) or hours and minutes (1:30)" in typo.text
    assert _figure_count() == 0


def test_a_rep_sees_only_their_own_figures(login: Login, make_rep: Callable[..., User]) -> None:
    rep, other = make_rep(day_of_ramp=20), make_rep(day_of_ramp=20)
    client = login(rep)
    assert client.get(f"/activity/reps/{other.id}").status_code == 403
    assert client.get(f"/activity/reps/{rep.id}").status_code == 200
    assert client.get("/activity/imports").status_code == 403


def test_the_coach_sees_their_reps_targets_against_actuals(
    login: Login, make_rep: Callable[..., User], make_user: Callable[..., User]
) -> None:
    rep = make_rep(day_of_ramp=52)
    client = login(rep.coach)
    page = client.get(f"/activity/reps/{rep.id}").text
    assert "Make 50 dials a week" in page
    assert "Week 6" in page and "Week 7" in page
    ramp = client.get(f"/reps/{rep.id}").text
    assert f"/activity/reps/{rep.id}" in ramp  # linked from the rep's page
