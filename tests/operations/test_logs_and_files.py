"""Request logs with a request id, slow statements logged, and owner-only instance files."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from flask_login import AnonymousUserMixin
from sqlalchemy import text

from app.accounts.models import Role, User
from app.config import owner_only_sqlite_file, read_settings
from app.extensions import db
from app.requestlog import _signed_in_id
from tests.querycount import counting_queries


def _lines(caplog: pytest.LogCaptureFixture, logger: str) -> list[dict[str, object]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == logger]


def test_each_request_logs_one_line_with_its_id_and_returns_the_id(
    caplog: pytest.LogCaptureFixture,
    login: Callable[[User], FlaskClient],
    make_user: Callable[..., User],
) -> None:
    user = make_user(Role.COACH)
    client = login(user)
    caplog.set_level(logging.INFO, logger="salesramp.request")
    response = client.get("/team", headers={"X-Request-Id": "lb-1234"})
    assert response.headers["X-Request-Id"] == "lb-1234"
    forged = client.get("/nowhere", headers={"X-Request-Id": "<script> " + "x" * 300})
    assert forged.status_code == 404 and len(forged.headers["X-Request-Id"]) == 32
    first, second = _lines(caplog, "salesramp.request")
    assert first["request_id"] == "lb-1234" and first["method"] == "GET"
    assert (first["path"], first["status"], first["user_id"]) == ("/team", 200, user.id)
    with client.session_transaction() as session:
        sign_in_token = str(session["_user_id"]).split(":")[-1]  # a secret: never logged
    assert all(sign_in_token not in record.getMessage() for record in caplog.records)
    assert isinstance(first["duration_ms"], float)
    assert second["status"] == 404 and second["request_id"] == forged.headers["X-Request-Id"]


def test_the_log_line_names_the_signed_in_person_without_loading_them_again(
    app: Flask, make_user: Callable[..., User]
) -> None:
    """The request's commit expires the user; the log reads the id, not the row (a query)."""
    user = make_user(Role.COACH)
    user_id = user.id
    with app.test_request_context("/team"):
        g._login_user = user
        db.session.commit()
        with counting_queries() as statements:
            assert _signed_in_id() == user_id
        assert list(statements) == []
        g._login_user = AnonymousUserMixin()
        assert _signed_in_id() is None


def test_statements_slower_than_the_threshold_are_logged(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="salesramp.sql")
    # The threshold is read when the app is made; this app's is the default (500 ms).
    assert app.config["SLOW_QUERY_MS"] == 500
    slow = "SELECT pg_sleep(0.6)"
    if db.engine.dialect.name == "sqlite":  # SQLite has no sleep: this connection is given one
        # (a statement that merely works a while took under 500 ms on a fast machine)
        driver = db.session.connection().connection.dbapi_connection
        driver.create_function("sleep_seconds", 1, time.sleep)
        slow = "SELECT sleep_seconds(0.6)"
    db.session.execute(text(slow))
    db.session.execute(text("SELECT 1"))
    [line] = _lines(caplog, "salesramp.sql")
    assert float(line["slow_query_ms"]) >= 500  # type: ignore[arg-type]
    assert str(line["statement"]).startswith(slow[:20])


def test_instance_and_sqlite_files_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    read_settings(instance, {})
    database = instance / "salesramp.sqlite3"
    owner_only_sqlite_file(f"sqlite:///{database}")
    assert instance.stat().st_mode & 0o777 == 0o700
    assert database.stat().st_mode & 0o777 == 0o600
    assert (instance / "secret_key").stat().st_mode & 0o777 == 0o600
    os.chmod(instance, 0o755)
    os.chmod(database, 0o644)  # made before this rule: narrowed on the next start
    read_settings(instance, {})
    owner_only_sqlite_file(f"sqlite:///{database}")
    assert instance.stat().st_mode & 0o777 == 0o700
    assert database.stat().st_mode & 0o777 == 0o600
