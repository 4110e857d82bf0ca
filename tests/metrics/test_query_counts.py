"""Query counts: the activity and outcomes pages ask as many queries with 50 reps (and more
history) as with 5, and never more than 30."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import Flask

from app.accounts.models import Role, User
from app.extensions import db
from app.metrics import service
from app.metrics.models import ActivitySource
from app.metrics.parsing import raw_rows, read_csv
from app.metrics.service.sources import column_map
from tests.conftest import PASSWORD, create_rep, create_user
from tests.database import Snapshot, TestDatabase
from tests.metrics.conftest import csv_of, make_source
from tests.querycount import count_pages

MAX_QUERIES = 30
WEEKS = 12


@dataclass(frozen=True)
class WorldIds:
    rep: int
    coach: int
    hr: int
    source: int


def _activity(source: ActivitySource, reps: list[User], weeks: int = WEEKS) -> None:
    """Every weekday of the last ``weeks`` weeks for each rep, imported; a week of own log."""
    today = date.today()
    days = [
        today - timedelta(days=n)
        for n in range(1, 7 * weeks)
        if (today - timedelta(days=n)).weekday() < 5
    ]
    rows = [(rep.email, day, 8 + day.day % 7, day.day % 3) for rep in reps for day in days]
    parsed = raw_rows(read_csv(csv_of(*rows)), column_map(source))
    service.import_rows(None, source, parsed, today)
    for rep in reps:
        for back in range(5):
            service.log_day(
                rep, today - timedelta(days=back), {"dials": 5, "call_minutes": 40}, today
            )
    db.session.commit()


def _add_reps(coach: User, source: ActivitySource, count: int, start: int) -> None:
    reps = [
        create_rep(day_of_ramp=10 + n % 80, coach=coach if n % 2 else None, name=f"Rep {n:03d}")
        for n in range(start, start + count)
    ]
    _activity(source, reps)


def _build_world() -> WorldIds:
    coach = create_user(Role.COACH, name="Casey Coach")
    rep = create_rep(day_of_ramp=52, coach=coach, name="Riley Measured")
    source = make_source()
    _activity(source, [rep])
    _add_reps(coach, source, 4, start=1)
    hr = create_user(Role.HR, name="Harper People")
    return WorldIds(rep=rep.id, coach=coach.id, hr=hr.id, source=source.id)


@pytest.fixture(scope="module")
def five_reps_snapshot(test_database: TestDatabase) -> Snapshot:
    return test_database.snapshot("activity-query-counts", _build_world)


def _uploads(ids: WorldIds) -> tuple[int, int]:
    """A preview of a file naming every rep, and a finished import: ids."""
    hr = db.session.get(User, ids.hr)
    reps = list(db.session.scalars(db.select(User).where(User.full_name.like("R%"))))
    today = date.today()
    data = csv_of(*((rep.email, today, 3, 1) for rep in reps))
    preview = service.upload(hr, "TestCRM", "today.csv", data)
    done = service.upload(hr, "TestCRM", "again.csv", data)
    service.start_import(hr, done, today)
    db.session.commit()
    return preview.id, done.id


def _count_pages(app: Flask, ids: WorldIds) -> dict[str, int]:
    preview, done = _uploads(ids)
    pages = {
        "my activity": (ids.rep, "/activity/"),
        "a rep's activity": (ids.coach, f"/activity/reps/{ids.rep}"),
        "log my day": (ids.rep, "/activity/log"),
        "import activity": (ids.hr, "/activity/imports"),
        "an import's preview": (ids.hr, f"/activity/imports/{preview}"),
        "a finished import": (ids.hr, f"/activity/imports/{done}"),
        "the mapping": (ids.hr, f"/activity/imports/{preview}/mapping"),
        "ramp outcomes as HR": (ids.hr, "/outcomes/"),
        "ramp outcomes as coach, by first meeting": (ids.coach, "/outcomes/?sort=first_meeting"),
        "my numbers": (ids.rep, "/outcomes/mine"),
        "a rep's numbers": (ids.coach, f"/outcomes/reps/{ids.rep}"),
    }
    return count_pages(app, pages, PASSWORD)


def test_activity_pages_ask_as_many_queries_for_50_reps_as_for_5(
    five_reps_snapshot: Snapshot, app: Flask
) -> None:
    ids: WorldIds = five_reps_snapshot.value
    with_five = _count_pages(app, ids)
    source = db.session.get(ActivitySource, ids.source)
    _add_reps(db.session.get(User, ids.coach), source, 45, start=5)
    with_fifty = _count_pages(app, ids)
    assert with_fifty == with_five
    assert {name: n for name, n in with_fifty.items() if n > MAX_QUERIES} == {}
