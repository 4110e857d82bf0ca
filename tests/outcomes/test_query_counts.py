"""Query counts with a year of activity: the outcomes pages and the dashboards ask as many
queries with 50 reps, each with up to a year of daily figures imported and a fortnight of their
own log, as with 5, and never more than 30 (they read the summaries, not a year of days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.accounts.models import Role, User
from app.extensions import db
from app.metrics import service
from app.metrics.models import ActivitySource
from app.metrics.parsing import raw_rows, read_csv
from app.metrics.service.sources import column_map
from app.outcomes import service as outcomes
from app.outcomes.service.stamps import bump_stamps
from app.plans.models import Plan
from tests.conftest import PASSWORD, create_rep, create_user
from tests.database import Snapshot, TestDatabase
from tests.metrics.conftest import csv_of, make_source
from tests.querycount import count_pages, counting_queries

MAX_QUERIES = 30
YEAR = 365


@dataclass(frozen=True)
class WorldIds:
    rep: int
    coach: int
    hr: int
    admin: int
    source: int


def _a_year_of_activity(source: ActivitySource, reps: list[User]) -> None:
    """Every weekday since each rep started (at most a year), imported; a week of own log."""
    today = date.today()
    starts = dict(
        db.session.execute(
            select(Plan.rep_id, Plan.start_date).where(Plan.rep_id.in_([r.id for r in reps]))
        ).all()
    )
    rows = [
        (rep.email, day, 8 + day.day % 7, day.day % 3)
        for rep in reps
        for back in range(1, YEAR)
        if (day := today - timedelta(days=back)).weekday() < 5 and day >= starts[rep.id]
    ]
    service.import_rows(None, source, raw_rows(read_csv(csv_of(*rows)), column_map(source)), today)
    for rep in reps:
        for back in range(5):
            values = {"dials": 5, "meetings_held": back % 2, "call_minutes": 40}
            service.log_day(rep, today - timedelta(days=back), values, today)
    db.session.commit()


def _add_reps(coach: User, source: ActivitySource, count: int, start: int) -> None:
    reps = [
        create_rep(day_of_ramp=20 + (n * 37) % 340, coach=coach if n % 2 else None, name=f"R {n}")
        for n in range(start, start + count)
    ]
    _a_year_of_activity(source, reps)


def _build_world() -> WorldIds:
    coach = create_user(Role.COACH, name="Casey Coach")
    rep = create_rep(day_of_ramp=200, coach=coach, name="Riley Measured")
    source = make_source()
    _a_year_of_activity(source, [rep])
    _add_reps(coach, source, 4, start=1)
    hr = create_user(Role.HR, name="Harper People")
    admin = create_user(Role.ADMIN, name="Ada Admin")
    return WorldIds(rep.id, coach.id, hr.id, admin.id, source.id)


@pytest.fixture(scope="module")
def year_of_activity_snapshot(test_database: TestDatabase) -> Snapshot:
    return test_database.snapshot("outcomes-year-query-counts", _build_world)


def _count_pages(app: Flask, ids: WorldIds) -> dict[str, int]:
    pages = {
        "ramp outcomes as HR": (ids.hr, "/outcomes/"),
        "ramp outcomes as coach, by first deal": (ids.coach, "/outcomes/?sort=first_deal"),
        "my numbers": (ids.rep, "/outcomes/mine"),
        "a rep's numbers": (ids.coach, f"/outcomes/reps/{ids.rep}?metric=dials"),
        "a rep's numbers as HR": (ids.hr, f"/outcomes/reps/{ids.rep}"),
        "plan drivers as HR": (ids.hr, "/outcomes/drivers"),
        "plan drivers as coach": (ids.coach, "/outcomes/drivers"),
        "ramp outcomes as coach": (ids.coach, "/outcomes/"),
        "a rep's activity as HR": (ids.hr, f"/activity/reps/{ids.rep}"),
        "my activity": (ids.rep, "/activity/"),
        "a rep's activity": (ids.coach, f"/activity/reps/{ids.rep}"),
        "dashboard as HR": (ids.hr, "/dashboard"),
        "dashboard as coach": (ids.coach, "/dashboard"),
        "coaches": (ids.admin, "/dashboard/coaches"),
        "a coach's accountability": (ids.hr, f"/dashboard/coaches/{ids.coach}"),
    }
    return count_pages(app, pages, PASSWORD)


def test_outcomes_and_dashboards_ask_as_many_queries_for_50_reps_with_a_year_as_for_5(
    year_of_activity_snapshot: Snapshot, app: Flask
) -> None:
    ids: WorldIds = year_of_activity_snapshot.value
    with_five = _count_pages(app, ids)
    source = db.session.get(ActivitySource, ids.source)
    _add_reps(db.session.get(User, ids.coach), source, 45, start=5)
    with_fifty = _count_pages(app, ids)
    assert with_fifty == with_five
    assert {name: n for name, n in with_fifty.items() if n > MAX_QUERIES} == {}


def _count_judging_everyone(ids: WorldIds) -> int:
    """Statements to read the outcomes when every rep's stored judgement is stale (after a
    write to each, or the first read of a day): each is judged afresh, in a fixed number."""
    hr = db.session.get(User, ids.hr)
    rep_ids = list(db.session.scalars(select(Plan.rep_id)))
    bump_stamps(db.session(), rep_ids)
    db.session.commit()
    with counting_queries() as statements:
        outcomes.outcome_rows(hr, outcomes.RepFilters(), date.today())
    return len(statements)


def test_judging_every_rep_afresh_asks_as_many_queries_for_50_reps_as_for_5(
    year_of_activity_snapshot: Snapshot, app: Flask
) -> None:
    ids: WorldIds = year_of_activity_snapshot.value
    with_five = _count_judging_everyone(ids)
    source = db.session.get(ActivitySource, ids.source)
    _add_reps(db.session.get(User, ids.coach), source, 45, start=5)
    assert _count_judging_everyone(ids) == with_five <= MAX_QUERIES
