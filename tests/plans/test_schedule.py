"""Due-date arithmetic: calendar days by default, business days as an organisation setting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.plans.schedule import business_days_between, day_of_ramp, due_date

# 2025-03-03 is a Monday; the week around it names every weekday explicitly.
MONDAY = date(2025, 3, 3)
FRIDAY = MONDAY + timedelta(days=4)
SATURDAY = MONDAY + timedelta(days=5)
SUNDAY = MONDAY + timedelta(days=6)
NEXT_MONDAY = MONDAY + timedelta(days=7)

starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
ramp_days = st.integers(min_value=1, max_value=400)


def test_weekday_constants_are_what_the_tests_assume():
    assert [d.weekday() for d in (MONDAY, FRIDAY, SATURDAY, SUNDAY)] == [0, 4, 5, 6]


# --- calendar days --------------------------------------------------------------------------


def test_day_one_is_the_start_date():
    assert due_date(MONDAY, 1) == MONDAY
    assert due_date(SATURDAY, 1) == SATURDAY


def test_calendar_day_thirty_is_twenty_nine_days_after_the_start():
    assert due_date(MONDAY, 30) == date(2025, 4, 1)


def test_calendar_days_include_weekends():
    assert due_date(MONDAY, 6) == SATURDAY
    assert due_date(MONDAY, 7) == SUNDAY


def test_calendar_days_cross_a_leap_day():
    assert due_date(date(2024, 2, 28), 2) == date(2024, 2, 29)
    assert due_date(date(2024, 2, 28), 3) == date(2024, 3, 1)


@pytest.mark.parametrize("day", [0, -1, -90])
def test_ramp_days_start_at_one(day):
    with pytest.raises(ValueError):
        due_date(MONDAY, day)
    with pytest.raises(ValueError):
        due_date(MONDAY, day, business_days=True)


# --- business days --------------------------------------------------------------------------


def test_business_days_skip_the_weekend():
    assert due_date(MONDAY, 5, business_days=True) == FRIDAY
    assert due_date(MONDAY, 6, business_days=True) == NEXT_MONDAY
    assert due_date(MONDAY, 10, business_days=True) == NEXT_MONDAY + timedelta(days=4)
    assert due_date(MONDAY, 11, business_days=True) == NEXT_MONDAY + timedelta(days=7)


@pytest.mark.parametrize("start", [SATURDAY, SUNDAY])
def test_a_weekend_start_makes_the_next_monday_day_one(start):
    assert due_date(start, 1, business_days=True) == NEXT_MONDAY
    assert due_date(start, 2, business_days=True) == NEXT_MONDAY + timedelta(days=1)


def test_a_friday_start_makes_monday_day_two():
    assert due_date(FRIDAY, 1, business_days=True) == FRIDAY
    assert due_date(FRIDAY, 2, business_days=True) == NEXT_MONDAY


def test_ninety_business_days_are_eighteen_weeks_less_the_last_weekend():
    # 90 business days = 18 full weeks; day 90 is the Friday of the 18th week.
    assert due_date(MONDAY, 90, business_days=True) == MONDAY + timedelta(weeks=17, days=4)


# --- day of ramp ----------------------------------------------------------------------------


def test_day_of_ramp_is_zero_before_the_start():
    assert day_of_ramp(MONDAY, MONDAY - timedelta(days=1)) == 0
    assert day_of_ramp(MONDAY, MONDAY - timedelta(days=30), business_days=True) == 0


def test_day_of_ramp_counts_calendar_days_from_one():
    assert day_of_ramp(MONDAY, MONDAY) == 1
    assert day_of_ramp(MONDAY, SUNDAY) == 7
    assert day_of_ramp(MONDAY, MONDAY + timedelta(days=89)) == 90


def test_a_weekend_keeps_fridays_business_day():
    assert day_of_ramp(MONDAY, FRIDAY, business_days=True) == 5
    assert day_of_ramp(MONDAY, SATURDAY, business_days=True) == 5
    assert day_of_ramp(MONDAY, SUNDAY, business_days=True) == 5
    assert day_of_ramp(MONDAY, NEXT_MONDAY, business_days=True) == 6


def test_the_weekend_before_a_weekend_start_is_not_yet_day_one():
    assert day_of_ramp(SATURDAY, SATURDAY, business_days=True) == 0
    assert day_of_ramp(SATURDAY, NEXT_MONDAY, business_days=True) == 1


def test_business_days_between_counts_both_ends():
    assert business_days_between(MONDAY, MONDAY) == 1
    assert business_days_between(MONDAY, SUNDAY) == 5
    assert business_days_between(SATURDAY, SUNDAY) == 0
    assert business_days_between(FRIDAY, NEXT_MONDAY) == 2
    assert business_days_between(NEXT_MONDAY, MONDAY) == 0


# --- properties -----------------------------------------------------------------------------


@given(start=starts, day=ramp_days)
def test_business_due_dates_never_fall_on_a_weekend(start, day):
    assert due_date(start, day, business_days=True).weekday() < 5


@given(start=starts, day=ramp_days, business=st.booleans())
def test_due_dates_strictly_increase_with_the_day(start, day, business):
    assert due_date(start, day, business) < due_date(start, day + 1, business)


@given(start=starts, day=ramp_days, business=st.booleans())
def test_day_of_ramp_inverts_due_date(start, day, business):
    assert day_of_ramp(start, due_date(start, day, business), business) == day


@given(start=starts, day=ramp_days)
def test_business_days_never_come_before_calendar_days(start, day):
    assert due_date(start, day, business_days=True) >= due_date(start, day)


@given(start=starts, day=ramp_days)
def test_business_day_n_is_the_nth_weekday_counted_one_by_one(start, day):
    # A deliberately naive oracle: walk the calendar and count weekdays.
    current, counted = start, 0
    while True:
        if current.weekday() < 5:
            counted += 1
            if counted == day:
                break
        current += timedelta(days=1)
    assert due_date(start, day, business_days=True) == current


@given(start=starts, offset=st.integers(min_value=0, max_value=400), business=st.booleans())
def test_day_of_ramp_never_goes_backwards(start, offset, business):
    today = start + timedelta(days=offset)
    tomorrow = today + timedelta(days=1)
    assert day_of_ramp(start, today, business) <= day_of_ramp(start, tomorrow, business)
    assert day_of_ramp(start, tomorrow, business) - day_of_ramp(start, today, business) <= 1


@given(first=starts, length=st.integers(min_value=-10, max_value=400))
def test_business_days_between_matches_a_day_by_day_count(first, length):
    last = first + timedelta(days=length)
    expected = sum(
        1 for i in range(max(length + 1, 0)) if (first + timedelta(days=i)).weekday() < 5
    )
    assert business_days_between(first, last) == expected
