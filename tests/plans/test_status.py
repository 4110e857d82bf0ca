"""The status rules: what counts as overdue, and when a rep is behind or at risk."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.plans.status import (
    AT_RISK_DAYS_LATE,
    MilestoneFacts,
    MilestoneState,
    RepStatus,
    milestone_state,
    rep_status,
)

TODAY = date(2025, 6, 18)


def open_due(days_from_today: int) -> MilestoneFacts:
    return MilestoneFacts(TODAY + timedelta(days=days_from_today), done=False, submitted=False)


def late(days: int) -> MilestoneFacts:
    return open_due(-days)


def done(days_from_today: int = -3) -> MilestoneFacts:
    return MilestoneFacts(TODAY + timedelta(days=days_from_today), done=True, submitted=False)


def submitted(days_from_today: int = -3) -> MilestoneFacts:
    return MilestoneFacts(TODAY + timedelta(days=days_from_today), done=False, submitted=True)


# --- one milestone --------------------------------------------------------------------------


def test_an_open_milestone_due_yesterday_is_overdue():
    assert milestone_state(late(1), TODAY) == MilestoneState.OVERDUE


def test_a_milestone_due_today_is_not_overdue_yet():
    assert milestone_state(open_due(0), TODAY) == MilestoneState.DUE_SOON


@pytest.mark.parametrize(
    ("days_from_today", "state"),
    [
        (6, MilestoneState.DUE_SOON),
        (7, MilestoneState.UPCOMING),
        (30, MilestoneState.UPCOMING),
    ],
)
def test_due_this_week_means_within_the_next_seven_days(days_from_today, state):
    assert milestone_state(open_due(days_from_today), TODAY) == state


@pytest.mark.parametrize("days_from_today", [-60, -1, 0, 5, 40])
def test_a_done_milestone_is_done_whenever_it_was_due(days_from_today):
    assert milestone_state(done(days_from_today), TODAY) == MilestoneState.DONE


@pytest.mark.parametrize("days_from_today", [-60, -15, -1, 0, 5])
def test_a_submitted_milestone_waits_for_the_coach_and_is_never_overdue(days_from_today):
    assert milestone_state(submitted(days_from_today), TODAY) == (
        MilestoneState.AWAITING_VERIFICATION
    )


def test_done_wins_over_submitted():
    facts = MilestoneFacts(TODAY - timedelta(days=20), done=True, submitted=True)
    assert milestone_state(facts, TODAY) == MilestoneState.DONE


# --- the rep --------------------------------------------------------------------------------


def test_a_rep_without_a_plan_has_no_status():
    assert rep_status([], TODAY, has_plan=False) == RepStatus.NO_PLAN
    assert rep_status([late(30)], TODAY, has_plan=False) == RepStatus.NO_PLAN


def test_nothing_overdue_is_on_track():
    assert rep_status([done(), open_due(0), open_due(10), submitted(-40)], TODAY) == (
        RepStatus.ON_TRACK
    )


def test_a_plan_without_milestones_is_on_track_not_complete():
    assert rep_status([], TODAY) == RepStatus.ON_TRACK


def test_every_milestone_done_is_complete():
    assert rep_status([done(-50), done(-1), done(20)], TODAY) == RepStatus.COMPLETE


def test_one_submitted_milestone_keeps_a_plan_from_being_complete():
    assert rep_status([done(-50), submitted(-1)], TODAY) == RepStatus.ON_TRACK


@pytest.mark.parametrize("count", [1, 2])
def test_one_or_two_overdue_is_behind(count):
    assert rep_status([done(), *[late(3)] * count], TODAY) == RepStatus.BEHIND


@pytest.mark.parametrize("count", [3, 4, 10])
def test_three_or_more_overdue_is_at_risk(count):
    assert rep_status([done(), *[late(1)] * count], TODAY) == RepStatus.AT_RISK


def test_exactly_fourteen_days_late_is_still_only_behind():
    assert rep_status([late(14)], TODAY) == RepStatus.BEHIND
    assert rep_status([late(14), late(14)], TODAY) == RepStatus.BEHIND


def test_fifteen_days_late_is_at_risk_even_alone():
    assert rep_status([late(15)], TODAY) == RepStatus.AT_RISK
    assert rep_status([done(), late(15), open_due(3)], TODAY) == RepStatus.AT_RISK


def test_submitted_long_ago_does_not_make_a_rep_at_risk():
    assert rep_status([submitted(-40), submitted(-30), submitted(-20)], TODAY) == (
        RepStatus.ON_TRACK
    )
    assert rep_status([submitted(-40), late(2)], TODAY) == RepStatus.BEHIND


def test_a_milestone_done_late_does_not_count_against_the_rep():
    assert rep_status([done(-40), done(-30), done(-20), open_due(2)], TODAY) == (RepStatus.ON_TRACK)


facts_strategy = st.builds(
    MilestoneFacts,
    due_date=st.dates(min_value=TODAY - timedelta(days=100), max_value=TODAY + timedelta(days=100)),
    done=st.booleans(),
    submitted=st.booleans(),
)


@given(milestones=st.lists(facts_strategy, max_size=25))
def test_the_status_follows_the_documented_rules(milestones):
    """An independent restatement of the README rules, checked against any mix of milestones."""
    overdue_days = [
        (TODAY - m.due_date).days
        for m in milestones
        if not m.done and not m.submitted and m.due_date < TODAY
    ]
    if milestones and all(m.done for m in milestones):
        expected = RepStatus.COMPLETE
    elif not overdue_days:
        expected = RepStatus.ON_TRACK
    elif len(overdue_days) >= 3 or max(overdue_days) > AT_RISK_DAYS_LATE:
        expected = RepStatus.AT_RISK
    else:
        expected = RepStatus.BEHIND
    assert rep_status(milestones, TODAY) == expected


@given(milestones=st.lists(facts_strategy, max_size=25), extra_days=st.integers(1, 60))
def test_time_passing_never_improves_a_rep_with_open_work(milestones, extra_days):
    severity = {
        RepStatus.COMPLETE: 0,
        RepStatus.ON_TRACK: 0,
        RepStatus.BEHIND: 1,
        RepStatus.AT_RISK: 2,
    }
    now = severity[rep_status(milestones, TODAY)]
    later = severity[rep_status(milestones, TODAY + timedelta(days=extra_days))]
    assert later >= now
