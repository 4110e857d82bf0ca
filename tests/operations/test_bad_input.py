"""Bad input: oversize bodies get a 413 unread, and ids too large for the database a 404."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from app.accounts.models import Role, User
from app.config import read_settings
from app.extensions import db
from app.lookup import MAX_ID, parse_id

HUGE_IDS = ("99999999999999999999999", str(2**63), str(MAX_ID + 1))
ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


class UnreadableBody(io.BytesIO):
    """A request body of a given size that fails the test if anything reads it."""

    def read(self, *_args: object) -> bytes:
        raise AssertionError("the oversize body was read")

    read1 = readline = read


def test_an_oversize_post_to_login_is_refused_before_its_body_is_read(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user(Role.REP)
    users_before = db.session.scalar(select(func.count()).select_from(User))
    response = client.post(
        "/login",
        input_stream=UnreadableBody(b"x" * (app.config["MAX_FORM_LENGTH"] + 1)),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "That was too large to send" in response.text and '<main id="main"' in response.text
    assert "session" not in response.headers.get("Set-Cookie", "")
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before


def test_a_form_page_takes_a_form_and_the_upload_page_a_file_past_the_form_limit(
    app: Flask, login: Callable[[User], FlaskClient], make_user: Callable[..., User]
) -> None:
    client = login(make_user(Role.HR))
    # Small enough that the test client keeps the multipart body in memory (no temporary file).
    app.config["MAX_FORM_LENGTH"] = 100_000
    bigger_than_a_form = b"x" * (app.config["MAX_FORM_LENGTH"] + 10)
    upload = {"pdf": (io.BytesIO(bigger_than_a_form), "big.pdf")}
    response = client.post("/agreements/verify", data=upload, content_type="multipart/form-data")
    assert response.status_code == 200 and "This is not a PDF file." in response.text
    response = client.post(
        "/account/password", data={"current_password": bigger_than_a_form.decode()}
    )
    assert response.status_code == 413


def test_the_upload_limit_is_a_setting(tmp_path: Path) -> None:
    settings = read_settings(
        tmp_path,
        {"SALESRAMP_MAX_CONTENT_LENGTH": "1000", "SALESRAMP_MAX_FORM_LENGTH": "500"},
    )
    config = settings.as_flask_config()
    assert (config["MAX_CONTENT_LENGTH"], config["MAX_FORM_LENGTH"]) == (1000, 500)


def _routes_with_an_id(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, path with a placeholder for the id) of every route taking an int."""
    cases = []
    for rule in app.url_map.iter_rules():
        ints = [n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)]
        if not ints:
            continue

        def fill(match: re.Match[str], ints: list[str] = ints) -> str:
            return "{id}" if match.group(2) in ints else "x"

        path = ARGUMENT.sub(fill, rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            cases.append((rule.endpoint, method, path))
    return cases


def test_every_route_with_an_id_answers_404_to_an_id_too_large_for_the_database(
    app: Flask, login: Callable[[User], FlaskClient], make_user: Callable[..., User]
) -> None:
    cases = _routes_with_an_id(app)
    assert len(cases) > 30  # reps, milestones, attempts, debriefs, agreements, people ...
    client = login(make_user(Role.ADMIN, Role.HR, Role.COACH))
    for endpoint, method, path in cases:
        for huge in HUGE_IDS:
            response = client.open(path.format(id=huge), method=method)
            assert response.status_code == 404, (endpoint, method, huge, response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        "/team?team={id}&coach={id}&page={id}&per_page={id}",
        "/admin/people?team={id}&page={id}",
        "/certifications/team?team={id}&page={id}",
        "/agreements?team={id}&rep={id}&page={id}&per_page={id}",
        "/agreements/new?rep_id={id}&template=performance-improvement",
        "/team?page=%C2%B2&per_page=%C2%B2",
    ],
)
def test_list_filters_and_pages_ignore_ids_too_large_for_the_database(
    url: str,
    login: Callable[[User], FlaskClient],
    make_user: Callable[..., User],
    curriculum: object,
) -> None:
    client = login(make_user(Role.ADMIN, Role.HR))
    for huge in HUGE_IDS:
        response = client.get(url.format(id=huge))
        assert response.status_code in (200, 404), (url, huge, response.status_code)


def test_an_id_is_ascii_digits_within_the_column() -> None:
    assert parse_id("42") == 42 and parse_id(str(MAX_ID)) == MAX_ID
    for bad in (None, "", "0", "-1", "²", "٣", "4 2", str(MAX_ID + 1), "9" * 40):
        assert parse_id(bad) is None, bad
