"""Day arithmetic in SQL: the same whole days as Python's, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Date, DateTime, literal, select

from app.dashboards.service.sqldates import days_between
from app.extensions import db

MOMENTS = [
    datetime(2026, 11, 30, 0, 0),
    datetime(2026, 11, 30, 0, 0, 0, 1000),
    datetime(2026, 11, 30, 11, 59, 59),
    datetime(2026, 11, 30, 12, 0),
    datetime(2026, 11, 30, 23, 59, 59, 999000),
    datetime(2026, 12, 1, 0, 0),
    datetime(2026, 12, 31, 23, 59),
    datetime(2027, 1, 1, 0, 0, 0, 1000),
    datetime(2024, 2, 29, 18, 30),
    datetime(2024, 3, 1, 6, 0),
]


@pytest.mark.parametrize("later", MOMENTS)
def test_whole_days_between_moments_ignore_the_time_of_day(app, later):
    for earlier in MOMENTS:
        expected = (later.date() - earlier.date()).days
        query = select(days_between(literal(later, DateTime), literal(earlier, DateTime)))
        assert db.session.scalar(query) == expected, (later, earlier)


@pytest.mark.parametrize("later", MOMENTS)
def test_whole_days_from_a_date_to_a_moment(app, later):
    for day in (date(2026, 11, 29), date(2026, 11, 30), date(2026, 12, 1), date(2024, 2, 29)):
        expected = (later.date() - day).days
        query = select(days_between(literal(later, DateTime), literal(day, Date)))
        assert db.session.scalar(query) == expected, (later, day)
