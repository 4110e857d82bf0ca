"""Error pages after database failures: a 500 that renders, a 503 when writes are refused."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app.accounts.models import Role, User
from app.accounts.service import authenticate
from app.errorpages import cannot_write
from app.extensions import db
from tests.conftest import PASSWORD

DATA_STATEMENTS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


@pytest.fixture
def errors_as_pages(app: Flask) -> None:
    """As in production: an exception becomes the error page instead of failing the test."""
    app.config["PROPAGATE_EXCEPTIONS"] = False


@contextmanager
def failing_statements(
    error: Callable[[], Exception], after: int = 0, kinds: tuple[str, ...] = DATA_STATEMENTS
) -> Iterator[None]:
    """Every statement of ``kinds`` after the first ``after`` raises ``error()``, as from the
    driver."""
    seen = 0

    def fail(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal seen
        if statement.lstrip().upper().startswith(kinds):
            seen += 1
            if seen > after:
                raise error()

    engine = db.engine
    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)


def _driver_error(message: str) -> Callable[[], Exception]:
    dbapi = db.session.get_bind().dialect.loaded_dbapi
    return lambda: dbapi.OperationalError(message)


@pytest.mark.parametrize("after", [1, 2, 3])
@pytest.mark.usefixtures("errors_as_pages")
def test_the_500_page_renders_when_the_database_breaks_mid_request(
    after: int, login: Callable[[User], FlaskClient], make_rep: Callable[..., User]
) -> None:
    rep = make_rep()
    client = login(rep)
    # The database breaks while the user loads (two statements), or once they are loaded: the
    # page fails, and so would the menu's badges the error page used to ask for.
    with failing_statements(_driver_error("disk I/O error"), after=after):
        response = client.get("/ramp")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert 'aria-label="Main"' in response.text and "Sign out" not in response.text
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/ramp").status_code == 200  # and the next request works again


@contextmanager
def read_only_database() -> Iterator[None]:
    """Every new connection refuses writes, as SQLite and PostgreSQL themselves do."""
    engine = db.engine

    def refuse_writes(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
            dbapi_connection.commit()  # a SET in a transaction rolled back would be undone
        cursor.close()

    db.session.remove()
    engine.dispose()
    event.listen(engine, "connect", refuse_writes)
    try:
        yield
    finally:
        event.remove(engine, "connect", refuse_writes)
        db.session.remove()
        engine.dispose()


@pytest.mark.real_commits
@pytest.mark.usefixtures("errors_as_pages")
def test_a_read_only_database_gives_a_503_page_and_saves_nothing(
    login: Callable[[User], FlaskClient], make_user: Callable[..., User]
) -> None:
    user = make_user(Role.COACH)
    email = user.email
    client = login(user)
    change = {"current_password": PASSWORD, "new_password": "a much newer pass 7", "confirm": ""}
    change["confirm"] = change["new_password"]
    with read_only_database():
        response = client.post("/account/password", data=change)
    assert response.status_code == 503
    assert "SalesRamp cannot save changes right now" in response.text
    assert response.headers["Retry-After"] == "120"
    assert authenticate(email, PASSWORD) is not None  # the password did not change


@pytest.mark.usefixtures("errors_as_pages")
def test_a_full_disk_gives_a_503_page_and_saves_nothing(
    login: Callable[[User], FlaskClient], make_user: Callable[..., User]
) -> None:
    user = make_user(Role.COACH)
    email = user.email
    client = login(user)
    change = {"current_password": PASSWORD, "new_password": "a much newer pass 7", "confirm": ""}
    change["confirm"] = change["new_password"]
    is_sqlite = db.engine.dialect.name == "sqlite"
    if is_sqlite:
        full: Callable[[], Exception] = lambda: sqlite3.OperationalError("database or disk is full")  # noqa: E731
    else:
        from psycopg import errors

        full = lambda: errors.DiskFull("could not extend file")  # noqa: E731
    with failing_statements(full, kinds=("UPDATE",)):  # the password's UPDATE fails
        response = client.post("/account/password", data=change)
    assert response.status_code == 503, response.text
    db.session.remove()
    assert authenticate(email, PASSWORD) is not None


def test_only_a_database_refusing_writes_is_a_503() -> None:
    assert cannot_write(sqlite3.OperationalError("database or disk is full"))
    assert cannot_write(sqlite3.OperationalError("attempt to write a readonly database"))
    assert not cannot_write(sqlite3.OperationalError("no such table: users"))
    assert not cannot_write(ValueError("database or disk is full"))
    assert not cannot_write(None)
