"""Pause arithmetic and the status during a pause: property tests against brute force."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.plans.pause import (
    Pause,
    days_counted,
    early_return_days,
    is_paused,
    merged,
    paused_days,
    shifted_due_date,
)
from app.plans.status import (
    MilestoneFacts,
    MilestoneState,
    RepStatus,
    milestone_state,
    rep_status,
    rep_status_from_counts,
)

START = date(2026, 1, 1)
days = st.integers(min_value=0, max_value=120).map(lambda n: START + timedelta(days=n))


@st.composite
def pauses(draw: st.DrawFn, min_days: int = 0) -> Pause:
    first = draw(days)
    length = draw(st.integers(min_value=min_days, max_value=40))
    return Pause(first, first + timedelta(days=length))


pause_lists = st.lists(pauses(), max_size=5)


def covered(spans: list[Pause]) -> set[date]:
    """Every paused day, counted the slow and obvious way."""
    return {span.first_day + timedelta(days=n) for span in spans for n in range(span.days)}


# --- shifting due dates ---------------------------------------------------------------------


@given(days, days, pause_lists)
def test_shifting_is_monotone(first: date, second: date, spans: list[Pause]) -> None:
    """A milestone due earlier is never due later than one due after it, once shifted."""
    early, late = sorted((first, second))
    assert shifted_due_date(early, spans) <= shifted_due_date(late, spans)


@given(days, pause_lists)
def test_a_due_date_moves_by_the_paused_days_never_back(due: date, spans: list[Pause]) -> None:
    shifted = shifted_due_date(due, spans)
    assert shifted >= due
    assert (shifted - due).days == len(covered(spans))


@given(pause_lists)
def test_overlapping_and_touching_pauses_count_each_day_once(spans: list[Pause]) -> None:
    joined = merged(spans)
    assert paused_days(spans) == len(covered(spans)) == sum(span.days for span in joined)
    assert covered(joined) == covered(spans)
    # Disjoint, sorted, not touching: touching ones were joined.
    for before, after in itertools.pairwise(joined):
        assert before.back_on < after.first_day


def test_two_adjacent_pauses_are_one_leave() -> None:
    first = Pause.inclusive(date(2026, 3, 2), date(2026, 3, 6))
    second = Pause.inclusive(date(2026, 3, 7), date(2026, 3, 8))
    assert merged([second, first]) == [Pause(date(2026, 3, 2), date(2026, 3, 9))]
    assert not first.overlaps(second)
    assert paused_days([first, second]) == 7


def test_overlapping_pauses_share_their_common_days() -> None:
    first = Pause.inclusive(date(2026, 3, 2), date(2026, 3, 10))
    second = Pause.inclusive(date(2026, 3, 8), date(2026, 3, 12))
    assert first.overlaps(second)
    assert paused_days([first, second]) == 11


@given(pauses(min_days=1), st.integers(min_value=0, max_value=39))
def test_a_pause_covering_a_due_date_gives_back_the_days_away(pause: Pause, into: int) -> None:
    """Due on the n-th day of leave: due the n-th day after coming back, not during the leave."""
    due = pause.first_day + timedelta(days=into % pause.days)
    assert pause.covers(due)
    shifted = shifted_due_date(due, [pause])
    assert not pause.covers(shifted)
    assert shifted - pause.back_on == due - pause.first_day


@given(days, days)
def test_a_zero_length_pause_changes_nothing(first: date, due: date) -> None:
    nothing = Pause(first, first)
    assert nothing.days == 0
    assert shifted_due_date(due, [nothing]) == due
    assert not is_paused([nothing], first)
    assert merged([nothing]) == []
    assert days_counted(START, due, [nothing]) == max(0, (due - START).days)


def test_a_pause_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        Pause(date(2026, 3, 2), date(2026, 3, 1))


# --- resuming early --------------------------------------------------------------------------


@given(pauses(), days)
def test_resuming_early_gives_back_exactly_the_unused_days(pause: Pause, back: date) -> None:
    actual = pause.resumed_on(back)
    unused = early_return_days(pause, back)
    assert 0 <= actual.days <= pause.days
    assert actual.days + unused == pause.days
    assert actual.first_day == pause.first_day
    assert covered([actual]) <= covered([pause])
    due = START + timedelta(days=50)
    # What the service does: move by the planned length, then back by the unused days.
    assert shifted_due_date(due, [pause]) - timedelta(days=unused) == shifted_due_date(
        due, [actual]
    )


def test_resuming_before_the_pause_starts_cancels_it() -> None:
    pause = Pause.inclusive(date(2026, 5, 4), date(2026, 5, 15))
    assert pause.resumed_on(date(2026, 5, 1)).days == 0
    assert early_return_days(pause, date(2026, 5, 1)) == pause.days


def test_resuming_after_the_planned_end_uses_the_whole_pause() -> None:
    pause = Pause.inclusive(date(2026, 5, 4), date(2026, 5, 15))
    assert pause.resumed_on(date(2026, 6, 1)) == pause
    assert early_return_days(pause, date(2026, 6, 1)) == 0


# --- the days that count ---------------------------------------------------------------------


@given(days, days, pause_lists)
def test_days_counted_skip_every_paused_day(since: date, today: date, spans: list[Pause]) -> None:
    expected = sum(
        1
        for n in range(max(0, (today - since).days))
        if since + timedelta(days=n) not in covered(spans)
    )
    assert days_counted(since, today, spans) == expected


@given(days, pause_lists)
def test_paused_on_a_day_exactly_when_a_pause_covers_it(day: date, spans: list[Pause]) -> None:
    assert is_paused(spans, day) == (day in covered(spans))


# --- status during a pause -------------------------------------------------------------------

facts = st.builds(
    MilestoneFacts,
    due_date=days,
    done=st.booleans(),
    submitted=st.booleans(),
)


@given(st.lists(facts, max_size=8), days)
def test_a_paused_rep_is_never_behind_or_at_risk(
    milestones: list[MilestoneFacts], today: date
) -> None:
    status = rep_status(milestones, today, paused=True)
    all_done = bool(milestones) and all(m.done for m in milestones)
    assert status == (RepStatus.COMPLETE if all_done else RepStatus.PAUSED)
    for milestone in milestones:
        assert milestone_state(milestone, today, paused=True) not in (
            MilestoneState.OVERDUE,
            MilestoneState.DUE_SOON,
        )


def test_the_counts_say_paused_whatever_is_overdue() -> None:
    today = date(2026, 5, 4)
    status = rep_status_from_counts(False, 5, today - timedelta(days=30), today, paused=True)
    assert status == RepStatus.PAUSED
    assert rep_status_from_counts(True, 0, None, today, paused=True) == RepStatus.COMPLETE


def test_an_open_milestone_is_on_hold_while_paused_and_done_stays_done() -> None:
    today = date(2026, 5, 4)
    late = MilestoneFacts(today - timedelta(days=20), done=False, submitted=False)
    done = MilestoneFacts(today - timedelta(days=20), done=True, submitted=False)
    assert milestone_state(late, today, paused=True) == MilestoneState.ON_HOLD
    assert milestone_state(late, today) == MilestoneState.OVERDUE
    assert milestone_state(done, today, paused=True) == MilestoneState.DONE
