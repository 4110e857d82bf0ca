"""A read that judges reps afresh stores their judgements, but storing is a cache's work: when
another writer holds the database (SQLite's "database is locked" after the busy timeout, a lock
wait given up on PostgreSQL), the page still shows exactly what a recomputation gives, stores
nothing, and the next read stores it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, func, select, text

from app.accounts.models import Role, User
from app.extensions import db
from app.metrics.models import ActivitySource
from app.outcomes import service
from app.outcomes.models import OutcomeDriverCount, OutcomeJudgement
from app.outcomes.service.drivers import plan_drivers
from tests.concurrency import together
from tests.outcomes.conftest import import_reps_days
from tests.outcomes.test_judgements import EVERYONE, recomputed

pytestmark = pytest.mark.real_commits
FAST = [(10, {"meetings_booked": 3}), (40, {"meetings_booked": 6})]
SLOW = [(70, {"meetings_booked": 8}), (95, {"meetings_booked": 9})]


def _judgements() -> int:
    return db.session.scalar(select(func.count()).select_from(OutcomeJudgement)) or 0


@contextmanager
def _short_lock_waits() -> Iterator[None]:
    """The app's connections give up on a held lock after a tenth of a second, not five."""
    engine = db.engine
    postgresql = engine.dialect.name == "postgresql"

    def impatient(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("SET lock_timeout = '100ms'" if postgresql else "PRAGMA busy_timeout=100")
        cursor.close()
        if postgresql:
            connection.commit()

    db.session.remove()
    engine.dispose()
    event.listen(engine, "connect", impatient)
    try:
        yield
    finally:
        db.session.remove()
        event.remove(engine, "connect", impatient)
        engine.dispose()


@contextmanager
def _another_writer() -> Iterator[None]:
    """Another process in the middle of a write: SQLite's write lock, PostgreSQL's lock on the
    judgements (reads go on, writes wait)."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        other = sqlite3.connect(str(url.database), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as other:
            other.execute(text("LOCK TABLE outcome_judgements IN EXCLUSIVE MODE"))
            yield
            other.rollback()
    finally:
        engine.dispose()


@pytest.fixture
def measured_reps(
    make_rep: Callable[..., User], make_user: Callable[..., User], source: ActivitySource
) -> User:
    """HR, and twelve reps with figures (half ramped on day 60, half on day 120); none judged."""
    hr = make_user(Role.HR)
    reps = [make_rep(day_of_ramp=130, name=f"Stored Rep {n:02d}") for n in range(12)]
    import_reps_days(source, [(rep, FAST if n % 2 else SLOW) for n, rep in enumerate(reps)])
    db.session.query(OutcomeJudgement).delete()
    db.session.commit()
    return hr


def test_a_read_while_another_writer_holds_the_database_shows_the_outcomes_unstored(
    app: Flask, measured_reps: User
) -> None:
    hr_id = measured_reps.id
    today = date.today()
    expected = recomputed(measured_reps, today)
    db.session.commit()
    with _short_lock_waits(), _another_writer():
        hr = db.session.get(User, hr_id)
        rows = service.outcome_rows(hr, EVERYONE, today)
        drivers = plan_drivers(hr, EVERYONE, today)
        db.session.commit()  # the request's end: nothing of the judging is left to write
        assert [replace(row, score=None) for row in rows] == expected
        assert drivers.reps == len(expected) == 12
        assert _judgements() == 0
        # Nor is the drivers' count kept: it was of facts the unstored judgements lack.
        assert db.session.scalar(select(func.count()).select_from(OutcomeDriverCount)) == 0
    hr = db.session.get(User, hr_id)
    assert [replace(row, score=None) for row in service.outcome_rows(hr, EVERYONE, today)] == (
        expected
    )
    db.session.commit()
    assert _judgements() == 12  # the next read stored them


def test_the_pages_show_while_another_writer_holds_the_database(
    app: Flask, measured_reps: User, login: Callable[[User], FlaskClient]
) -> None:
    client = login(measured_reps)
    db.session.commit()
    with _short_lock_waits(), _another_writer():
        for url in ("/outcomes/", "/outcomes/drivers", "/dashboard"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Stored Rep 00" in response.text or url != "/outcomes/"
    assert _judgements() == 0


def test_two_first_reads_at_once_both_show_the_outcomes(app: Flask, measured_reps: User) -> None:
    hr_id = measured_reps.id
    today = date.today()
    expected = recomputed(measured_reps, today)

    def read() -> list[Any]:
        rows = service.outcome_rows(db.session.get(User, hr_id), EVERYONE, today)
        db.session.commit()
        return [replace(row, score=None) for row in rows]

    assert together(app, read) == [expected, expected]
    assert _judgements() == 12
