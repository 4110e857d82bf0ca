"""When an item is late enough for each level: calendar and business days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.escalations.models import Level
from app.escalations.rules import Thresholds, days_late, levels_reached

FRIDAY = date(2026, 11, 20)


def test_an_item_is_late_from_the_day_after_its_due_date() -> None:
    assert days_late(FRIDAY, FRIDAY) == 0
    assert days_late(FRIDAY, FRIDAY - timedelta(days=3)) == 0
    assert days_late(FRIDAY, FRIDAY + timedelta(days=1)) == 1
    assert days_late(FRIDAY, FRIDAY + timedelta(days=4)) == 4


def test_in_business_days_a_weekend_does_not_count() -> None:
    monday, tuesday = FRIDAY + timedelta(days=3), FRIDAY + timedelta(days=4)
    assert days_late(FRIDAY, FRIDAY + timedelta(days=2), business_days=True) == 0  # Sunday
    assert days_late(FRIDAY, monday, business_days=True) == 1
    assert days_late(FRIDAY, tuesday, business_days=True) == 2
    assert days_late(FRIDAY, tuesday) == 4


def test_levels_by_default_coach_at_3_days_manager_at_10() -> None:
    limits = Thresholds()
    assert levels_reached(2, limits) == ()
    assert levels_reached(3, limits) == (Level.COACH,)
    assert levels_reached(9, limits) == (Level.COACH,)
    assert levels_reached(10, limits) == (Level.COACH, Level.MANAGER)


def test_thresholds_must_put_the_coach_first() -> None:
    with pytest.raises(ValueError):
        Thresholds(coach_days=5, manager_days=5)
    with pytest.raises(ValueError):
        Thresholds(coach_days=0, manager_days=5)


@settings(deadline=None)  # pure arithmetic; a loaded machine must not fail it
@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 400))
def test_business_days_late_never_exceed_calendar_days(due: date, offset: int) -> None:
    today = due + timedelta(days=offset)
    assert 0 <= days_late(due, today, business_days=True) <= days_late(due, today)
