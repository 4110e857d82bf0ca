"""The check-in cadence, missed check-ins and lapses: pure rules, tested exhaustively."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.buddies.cadence import (
    DEFAULT_CADENCE,
    Cadence,
    Period,
    due_dates,
    due_days,
    lapse_start,
    missed,
    next_due,
    parse_cadence,
    usable_grace,
    window_of,
)
from app.buddies.suggestions import Candidate, is_suggested, months_before

DEFAULT = parse_cadence(DEFAULT_CADENCE)
START = date(2026, 1, 5)


def test_weekly_then_every_two_weeks_then_monthly():
    assert due_days(DEFAULT) == [7, 14, 21, 28, 44, 58, 90]
    assert DEFAULT.describe().startswith("weekly from day 1 to day 30")


@pytest.mark.parametrize("text", ["", "30", "30:0", "30:7,20:7", "a:b", "30:7,,"])
def test_a_malformed_cadence_is_refused_with_a_reason(text):
    with pytest.raises(ValueError):
        parse_cadence(text)


cadences = st.lists(st.tuples(st.integers(1, 60), st.integers(1, 40)), min_size=1, max_size=5).map(
    lambda parts: Cadence(
        tuple(
            Period(sum(length for length, _ in parts[: n + 1]), interval)
            for n, (_, interval) in enumerate(parts)
        )
    )
)
days = st.dates(date(2025, 1, 1), date(2028, 12, 31))


@given(cadences)
def test_due_days_rise_stay_in_the_ramp_and_follow_each_periods_interval(cadence):
    found = due_days(cadence)
    assert found == sorted(set(found))
    assert all(0 < day <= cadence.last_day for day in found)
    first = 0
    for period in cadence.periods:
        inside = [d for d in found if first < d <= period.last_day]
        assert len(inside) == (period.last_day - first) // period.interval
        assert all((d - first) % period.interval == 0 for d in inside)
        first = period.last_day


@given(cadences, days, st.integers(0, 200))
def test_a_pairing_is_held_only_to_dates_after_it_began(cadence, start, later):
    paired_on = start + timedelta(days=later)
    assert all(d > paired_on for d in due_dates(cadence, start, paired_on))
    assert set(due_dates(cadence, start, paired_on)) <= set(due_dates(cadence, start))


@given(cadences, days, st.integers(0, 10), st.lists(st.integers(-5, 400), max_size=12))
def test_every_check_in_counts_for_at_most_one_due_date_and_misses_are_the_rest(
    cadence, start, grace, offsets
):
    due = due_dates(cadence, start)
    held = [start + timedelta(days=n) for n in offsets]
    today = start + timedelta(days=cadence.last_day + grace + 1)  # every window closed
    kept = {window_of(due, day, grace) for day in held} - {None}
    assert set(missed(due, held, today, grace)) == set(due) - kept


@given(cadences, days, st.integers(0, 10), st.integers(0, 400))
def test_no_check_ins_lapse_from_the_first_date_once_two_windows_closed(
    cadence, start, grace, elapsed
):
    due = due_dates(cadence, start)
    today = start + timedelta(days=elapsed)
    closed = [d for d in due if today > d + timedelta(days=grace)]
    expected = due[0] if len(closed) >= 2 else None
    assert lapse_start(due, [], today, grace) == expected


@given(cadences, days, st.integers(0, 10), st.integers(0, 400))
def test_a_check_in_on_every_due_date_keeps_them_all(cadence, start, grace, elapsed):
    grace = usable_grace(cadence, grace)
    due = due_dates(cadence, start)
    assert all(window_of(due, day, grace) == day for day in due)
    today = start + timedelta(days=elapsed)
    assert lapse_start(due, due, today, grace) is None
    assert missed(due, due, today, grace) == []


def test_a_lapse_keeps_its_first_date_while_it_goes_on_and_ends_with_a_check_in():
    due = due_dates(DEFAULT, START)  # days 7, 14, 21, 28, ...
    held = [START + timedelta(days=7)]
    assert lapse_start(due, held, START + timedelta(days=18), 3) is None  # one miss
    assert lapse_start(due, held, START + timedelta(days=25), 3) == due[1]  # two in a row
    assert lapse_start(due, held, START + timedelta(days=32), 3) == due[1]  # the same lapse
    held.append(START + timedelta(days=33))  # late for day 28's window: counts for day 44
    assert window_of(due, held[-1], 3) == due[4]
    assert lapse_start(due, held, START + timedelta(days=34), 3) == due[1]  # 28 still missed
    assert lapse_start(due, held, START + timedelta(days=48), 3) is None  # day 44 kept
    assert next_due(due, held, START + timedelta(days=48), 3) == due[5]


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 3) == date(2025, 10, 15)


@given(days, st.integers(0, 24))
def test_months_before_is_never_later_and_about_right(day, months):
    earlier = months_before(day, months)
    assert earlier <= day
    assert 28 * months - 3 <= (day - earlier).days <= 31 * months


def test_suggested_peers_share_the_role_started_three_months_earlier_and_have_room():
    start = date(2026, 6, 1)
    fit = Candidate("SDR", date(2026, 3, 1), active=True, buddies=1)
    assert is_suggested("sdr", start, fit, capacity=2)
    assert not is_suggested("AE", start, fit, capacity=2)
    assert not is_suggested("SDR", start, Candidate("SDR", date(2026, 3, 2), True, 0), 2)
    assert not is_suggested("SDR", start, Candidate("SDR", date(2026, 1, 1), False, 0), 2)
    assert not is_suggested("SDR", start, Candidate("SDR", date(2026, 1, 1), True, 2), 2)
    assert not is_suggested("SDR", None, fit, 2)
