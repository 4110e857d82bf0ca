"""Every error under /api/v1 is a problem in JSON, never an HTML page or a redirect."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import Role
from app.api.views import v1
from tests.api.conftest import bearer, make_token_for
from tests.conftest import create_user


@pytest.fixture
def headers(app: Flask) -> dict[str, str]:
    return bearer(make_token_for(create_user(Role.HR)))


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/v1/nothing-here", 404),
        ("get", "/api/v1/people/99999999999999", 404),  # past the INTEGER range: no route
        ("delete", "/api/v1/me", 405),
        ("put", "/api/v1/activity", 405),
        ("get", "/api/v1/people?per_page=201", 422),
        ("get", "/api/v1/people/1/activity?weeks=zero", 422),
    ],
)
def test_errors_are_problems(
    client: FlaskClient, headers: dict[str, str], method: str, url: str, status: int
) -> None:
    response = getattr(client, method)(url, headers=headers)
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    assert response.json["status"] == status and response.json["detail"]
    if status == 405:
        assert "GET" in response.headers["Allow"] or "POST" in response.headers["Allow"]


def test_a_crash_is_a_500_problem_and_rolls_back(
    client: FlaskClient,
    headers: dict[str, str],
    app: Flask,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr(v1.api, "people_page", broken)
    response = client.get("/api/v1/people", headers=headers)
    assert response.status_code == 500
    assert response.content_type == "application/problem+json"
    assert "a bug" not in response.get_data(as_text=True)


def test_a_query_argument_the_document_does_not_name_is_refused(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    response = client.get("/api/v1/people?perpage=2", headers=headers)
    assert response.status_code == 422
    assert "perpage: Extra inputs are not permitted" in response.json["detail"]


def test_options_says_what_is_allowed_without_a_body(client: FlaskClient) -> None:
    response = client.options("/api/v1/activity")
    assert response.status_code == 204 and response.data == b""
    assert "POST" in response.headers["Allow"] and "Content-Type" not in response.headers
