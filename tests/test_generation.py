"""The data's generation and the figures kept while it holds (app/generation.py): a page that
keeps its figures shows every committed write at once, and works nothing out twice between."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from app.accounts.models import Role, Team
from app.extensions import db
from app.generation import current_generation, kept
from app.security.models import SecurityEvent
from tests.conftest import PASSWORD
from tests.pagetext import without_csrf_tokens
from tests.querycount import counting_queries


def _counter() -> Callable[[], int]:
    """A computation that returns how many times it has run."""
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return compute


def test_each_committed_write_raises_the_generation_once(app, make_user):
    before = current_generation().writes
    make_user(Role.COACH)  # commits
    after = current_generation().writes
    db.session.commit()  # nothing written since

    assert after == before + 1
    assert current_generation().writes == after


def test_a_rolled_back_write_raises_nothing(app):
    before = current_generation().writes
    db.session.add(Team(name="Never"))
    db.session.flush()
    db.session.rollback()
    db.session.commit()

    assert current_generation().writes == before


def test_a_core_statement_counts_as_a_write_and_bookkeeping_does_not(app):
    before = current_generation().writes
    db.session.execute(insert(SecurityEvent).values(kind="sign_in", at=datetime.now(UTC)))
    db.session.commit()
    assert current_generation().writes == before  # the security log is bookkeeping

    db.session.execute(insert(Team).values(name="Core"))
    db.session.commit()
    assert current_generation().writes == before + 1


def test_viewing_the_dashboard_raises_nothing(app, client, make_user, make_rep):
    """Its first view stores the reps' judgements of the day: bookkeeping, not a write."""
    hr = make_user(Role.HR)
    make_rep(day_of_ramp=40)
    signed_in = client.post("/login", data={"email": hr.email, "password": PASSWORD})
    before = current_generation().writes

    pages = [client.get("/dashboard").status_code for _ in range(2)]

    assert signed_in.status_code == 302 and pages == [200, 200]
    assert current_generation().writes == before


def test_kept_figures_hold_within_a_quarter_hour_and_per_key(app):
    compute = _counter()
    nine = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    assert kept("test", 1, compute, now=nine) == 1
    assert kept("test", 1, compute, now=nine + timedelta(minutes=14, seconds=59)) == 1
    assert kept("test", 2, compute, now=nine) == 2  # another key
    assert kept("other", 1, compute, now=nine) == 3  # another name
    assert kept("test", 1, compute, now=nine + timedelta(minutes=15)) == 4  # the next quarter


def test_a_transaction_that_wrote_is_not_served_kept_figures(app):
    compute = _counter()
    assert kept("test", 1, compute) == 1
    assert kept("test", 1, compute) == 1

    db.session.add(Team(name="Uncommitted"))  # not even flushed yet
    assert kept("test", 1, compute) == 2  # it would not see its own team
    db.session.commit()
    assert kept("test", 1, compute) == 3  # the generation moved on
    assert kept("test", 1, compute) == 3


def test_the_dashboard_shows_each_write_at_once_and_keeps_its_figures_between(
    app, client, login, make_user, make_rep
):
    login(make_user(Role.HR))
    make_rep(day_of_ramp=40, name="Ada First")

    first = client.get("/dashboard")
    with counting_queries() as again:
        second = client.get("/dashboard")
    make_rep(day_of_ramp=10, name="Bo Second")  # committed
    with counting_queries() as after_write:
        third = client.get("/dashboard")

    assert "1 rep." in first.text and without_csrf_tokens(second.text) == without_csrf_tokens(
        first.text
    )
    assert "2 reps." in third.text and "Bo Second" in third.text
    assert len(again) < len(after_write) / 2  # kept, not worked out again


def test_each_person_keeps_their_own_figures(app, login, make_user, make_rep):
    coach = make_user(Role.COACH)
    make_rep(day_of_ramp=40, coach=coach, name="Coached Rep")
    make_rep(day_of_ramp=40, name="Other Rep")
    hr = make_user(Role.HR)

    everyone = login(hr).get("/dashboard")
    coach_client = app.test_client()
    coach_client.post("/login", data={"email": coach.email, "password": PASSWORD})
    own = coach_client.get("/dashboard")

    assert "2 reps." in everyone.text
    assert "1 rep." in own.text and "Other Rep" not in own.text


@pytest.mark.real_commits
def test_writers_committing_at_once_each_raise_the_generation(app):
    """The writers queue on the generation's row as they commit (PostgreSQL) or on the one
    write lock (SQLite), in whatever order; none is lost and none deadlocks."""
    before = current_generation().writes
    db.session.commit()
    db.session.remove()
    ready = threading.Barrier(8)
    failures: list[BaseException] = []

    def write(number: int) -> None:
        with app.app_context():
            try:
                ready.wait(timeout=30)
                db.session.add(Team(name=f"Team {number}"))
                db.session.commit()
            except BaseException as error:
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert current_generation().writes == before + 8
