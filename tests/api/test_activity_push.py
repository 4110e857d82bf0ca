"""POST /api/v1/activity: a CRM pushes figures, all or nothing, idempotent per rep, period
and source, through the same import service as a CSV file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from app.accounts.models import Role, User
from app.extensions import db
from app.metrics import service as metrics
from app.metrics.catalogue import Period, RepMatch
from app.metrics.models import ActivityFigure, ActivityWeek
from app.metrics.parsing import RawRow
from tests.api.conftest import bearer, make_token_for
from tests.conftest import create_user

TODAY = datetime.now(UTC).date()


@pytest.fixture
def reps(app: Flask) -> tuple[User, User]:
    return create_user(Role.REP, name="Avery Quinlan"), create_user(Role.REP, name="Blake Other")


@pytest.fixture
def hr_token(app: Flask) -> dict[str, str]:
    return bearer(make_token_for(create_user(Role.HR, name="Harper People")))


def _push(
    client: FlaskClient, headers: dict[str, str], rows: list[dict[str, Any]], **extra: Any
) -> TestResponse:
    body = {"source": "HubSpot", "period": "day", "rows": rows, **extra}
    return client.post("/api/v1/activity", json=body, headers=headers)


def _figures() -> list[tuple[int, str, int | None, int | None]]:
    rows = db.session.execute(
        select(
            ActivityFigure.rep_id,
            ActivityFigure.period_start,
            ActivityFigure.dials,
            ActivityFigure.revenue_cents,
        ).order_by(ActivityFigure.rep_id, ActivityFigure.period_start)
    )
    return [(r[0], r[1].isoformat(), r[2], r[3]) for r in rows]


def test_a_push_imports_then_changes_nothing_then_replaces_what_changed(
    client: FlaskClient, reps: tuple[User, User], hr_token: dict[str, str]
) -> None:
    avery, blake = reps
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    rows = [
        {"rep_email": avery.email, "date": yesterday, "dials": 40, "revenue": 1250.5},
        {"rep_email": blake.email.upper(), "date": yesterday, "dials": 12},
    ]
    first = _push(client, hr_token, rows)
    assert first.status_code == 200, first.json
    assert first.json == {
        "source": "HubSpot",
        "period": "day",
        "rows": 2,
        "added": 2,
        "replaced": 0,
        "removed": 0,
        "unchanged": 0,
    }
    assert _figures() == [(avery.id, yesterday, 40, 125050), (blake.id, yesterday, 12, None)]
    again = _push(client, hr_token, rows)
    assert (again.json["added"], again.json["unchanged"]) == (0, 2)
    corrected = _push(client, hr_token, [{**rows[0], "dials": 41}])
    assert (corrected.json["replaced"], corrected.json["removed"]) == (1, 1)  # Blake's day: gone
    assert _figures() == [(avery.id, yesterday, 41, 125050)]
    week = client.get(f"/api/v1/people/{avery.id}/activity?weeks=2", headers=hr_token).json
    assert any(w["imported"] and w["imported"]["dials"] == 41 for w in week["weeks"])
    # The weekly summary followed every push: Avery's corrected day, Blake's removed one.
    summed = db.session.execute(select(ActivityWeek.rep_id, ActivityWeek.dials)).all()
    assert [tuple(row) for row in summed] == [(avery.id, 41)]


def test_bad_rows_are_named_and_nothing_is_imported(
    client: FlaskClient, reps: tuple[User, User], hr_token: dict[str, str]
) -> None:
    avery, _ = reps
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    rows = [
        {"rep_email": avery.email, "date": TODAY.isoformat(), "dials": 5},
        {"rep_email": "nobody@example.com", "date": TODAY.isoformat(), "dials": 5},
        {"rep_email": avery.email, "date": tomorrow, "dials": 5},
        {"rep_email": avery.email, "date": TODAY.isoformat(), "dials": 6},
    ]
    response = _push(client, hr_token, rows)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.json["error_count"] == 3
    errors = response.json["errors"]
    assert errors[0].startswith("Row 2: unknown rep 'nobody@example.com'")
    assert errors[1].startswith("Row 3: ") and "in the future" in errors[1]
    assert errors[2].startswith("Row 4: a second row") and "also row 1" in errors[2]
    assert _figures() == []


@pytest.mark.parametrize(
    "body",
    [
        {"source": "HubSpot", "period": "day", "rows": []},
        {
            "source": "HubSpot",
            "period": "month",
            "rows": [{"rep_email": "a@b.c", "date": "2026-01-01"}],
        },
        {
            "source": "HubSpot",
            "period": "day",
            "rows": [{"rep_email": "a@b.c", "date": "01/01/2026"}],
        },
        {
            "source": "HubSpot",
            "period": "day",
            "rows": [{"rep_email": "a@b.c", "date": "2026-01-01", "dials": -1}],
        },
        {
            "source": "HubSpot",
            "period": "day",
            "rows": [{"rep_email": "a@b.c", "date": "2026-01-01", "calls": 3}],
        },
    ],
    ids=["no rows", "unknown period", "not an ISO date", "negative", "unknown metric"],
)
def test_malformed_input_is_a_422_problem(
    client: FlaskClient, reps: tuple[User, User], hr_token: dict[str, str], body: dict[str, Any]
) -> None:
    response = client.post("/api/v1/activity", json=body, headers=hr_token)
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json"


def test_a_body_that_is_not_json_is_refused(
    client: FlaskClient, reps: tuple[User, User], hr_token: dict[str, str]
) -> None:
    for data, content_type in [
        ("source=HubSpot", "application/x-www-form-urlencoded"),
        ("{", "application/json"),
    ]:
        response = client.post(
            "/api/v1/activity", data=data, content_type=content_type, headers=hr_token
        )
        assert response.status_code == 422
        assert response.content_type == "application/problem+json"


def test_only_hr_and_admins_push(client: FlaskClient, reps: tuple[User, User]) -> None:
    avery, _ = reps
    coach = create_user(Role.COACH)
    rows = [{"rep_email": avery.email, "date": TODAY.isoformat(), "dials": 5}]
    for user in (avery, coach):
        response = _push(client, bearer(make_token_for(user)), rows)
        assert response.status_code == 403
        assert response.json["detail"] == "Only HR and admins import activity."
    assert _figures() == []


def test_a_source_mapped_otherwise_is_a_conflict(
    client: FlaskClient, reps: tuple[User, User], hr_token: dict[str, str]
) -> None:
    avery, _ = reps
    salesforce = metrics.ensure_source(None, "Salesforce")
    choice = metrics.MappingChoice(
        RepMatch.EMAIL,
        "Email",
        "Week",
        Period.WEEK,
        "%Y-%m-%d",
        {"dials": "Calls"},
    )
    metrics.save_mapping(None, salesforce, choice)
    db.session.commit()
    rows = [{"rep_email": avery.email, "date": TODAY.isoformat(), "dials": 5}]
    response = _push(client, hr_token, rows, source="salesforce")
    assert response.status_code == 409
    assert "one row a week" in response.json["detail"]
    weekly = _push(client, hr_token, rows, source="salesforce", period="week")
    assert weekly.status_code == 200 and weekly.json["added"] == 1


def test_the_api_takes_no_csrf_token(
    client: FlaskClient,
    reps: tuple[User, User],
    hr_token: dict[str, str],
    app: Flask,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    avery, _ = reps
    rows = [{"rep_email": avery.email, "date": TODAY.isoformat(), "dials": 5}]
    assert _push(client, hr_token, rows).status_code == 200


def test_an_oversize_body_is_a_413_problem(
    client: FlaskClient, hr_token: dict[str, str], app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    response = client.post(
        "/api/v1/activity", data="x" * 2000, content_type="application/json", headers=hr_token
    )
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


def test_a_nul_character_anywhere_in_the_body_is_refused_as_a_problem(
    client: FlaskClient, reps: tuple[User, User], hr_token: dict[str, str]
) -> None:
    """PostgreSQL cannot compare text with NUL: found by schemathesis as a server error there."""
    avery, _ = reps
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    rows = [{"rep_email": avery.email + "\x00", "date": yesterday, "dials": 4}]
    answer = _push(client, hr_token, rows)
    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    assert "NUL" in answer.json["detail"]
    assert _figures() == []


def test_an_imported_rep_named_with_a_nul_character_is_an_unknown_rep(
    app: Flask, reps: tuple[User, User]
) -> None:
    """A CSV's rep column reaches the same check without the web layer: a row error, no crash."""
    avery, _ = reps
    yesterday = TODAY - timedelta(days=1)
    checked = metrics.check_rows(
        [RawRow(2, avery.email + "\x00", yesterday.isoformat(), {"dials": "4"})],
        rep_match=RepMatch.EMAIL,
        period=Period.DAY,
        date_format="%Y-%m-%d",
        today=TODAY,
    )
    assert checked.rows == [] and checked.error_count == 1
    assert "unknown rep" in checked.errors[0]
