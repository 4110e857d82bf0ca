"""Due-date arithmetic for ramp days: pure functions, no database.

Day 1 of a ramp is its start date. In calendar mode day N is ``start + (N - 1)`` days. In
business-day mode only Monday to Friday count: day 1 is the first weekday on or after the start,
and day N is the N-th weekday from there, so a milestone is never due on a weekend.
"""

from __future__ import annotations

from datetime import date, timedelta

WEEKEND = (5, 6)


def due_date(start: date, day: int, business_days: bool = False) -> date:
    """The date of ramp day ``day`` (1-based) for a ramp starting on ``start``."""
    if day < 1:
        raise ValueError("ramp days start at 1")
    if not business_days:
        return start + timedelta(days=day - 1)
    first = _next_weekday(start)
    weeks, extra = divmod(day - 1, 5)
    result = first + timedelta(weeks=weeks)
    for _ in range(extra):
        result = _next_weekday(result + timedelta(days=1))
    return result


def day_of_ramp(start: date, today: date, business_days: bool = False) -> int:
    """Which ramp day ``today`` is: 0 before the start, then 1, 2, ... (weekends keep the day)."""
    if today < start:
        return 0
    if not business_days:
        return (today - start).days + 1
    return business_days_between(_next_weekday(start), today)


def business_days_between(first: date, last: date) -> int:
    """Weekdays from ``first`` to ``last``, both included."""
    if last < first:
        return 0
    full_weeks, remainder = divmod((last - first).days + 1, 7)
    count = full_weeks * 5
    for offset in range(remainder):
        if (first + timedelta(days=offset)).weekday() not in WEEKEND:
            count += 1
    return count


def _next_weekday(day: date) -> date:
    while day.weekday() in WEEKEND:
        day += timedelta(days=1)
    return day
