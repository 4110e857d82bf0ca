"""Which parts of the plan go with faster ramps: the pure maths, with property tests."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.outcomes.cohorts import RepRamp
from app.outcomes.drivers import Doing, compare, compare_all
from app.outcomes.summary import ramp_summary

doings = st.lists(
    st.builds(
        Doing,
        rep_id=st.integers(1, 40),
        on_time=st.booleans(),
        ramped_day=st.one_of(st.none(), st.integers(1, 400)),
    ),
    max_size=80,
)
minimums = st.integers(1, 12)


def _doing(rep_id: int, on_time: bool, day: int | None) -> Doing:
    return Doing(rep_id, on_time, day)


def test_medians_of_each_group_and_how_much_sooner_the_on_time_reps_ramped() -> None:
    found = compare(
        "sdr:setup",
        "Set up the CRM",
        "milestone",
        [_doing(n, True, 60 + n) for n in range(5)]
        + [_doing(10 + n, False, 120) for n in range(5)]
        + [_doing(20, False, None)],
        minimum=5,
    )
    assert found.enough
    assert (found.on_time.median_days, found.late.median_days) == (62, 120)
    assert found.days_faster == 58
    assert (found.late.reps, found.late.ramped) == (6, 5)


def test_a_group_with_fewer_ramped_reps_than_the_minimum_shows_no_figure() -> None:
    found = compare(
        "k",
        "K",
        "milestone",
        [_doing(n, True, 60) for n in range(5)]
        + [_doing(10 + n, False, 90) for n in range(4)]
        + [_doing(20 + n, False, None) for n in range(9)],  # many reps, four ramped
        minimum=5,
    )
    assert not found.enough
    assert found.on_time.median_days is None and found.late.median_days is None
    assert found.days_faster is None
    assert (found.late.reps, found.late.ramped) == (13, 4)  # the counts are still given


@given(doings, minimums)
def test_every_rep_is_in_exactly_one_group(items: list[Doing], minimum: int) -> None:
    found = compare("k", "K", "milestone", items, minimum)
    assert found.on_time.reps + found.late.reps == len({d.rep_id for d in items})
    assert found.on_time.ramped <= found.on_time.reps and found.late.ramped <= found.late.reps


@given(doings, minimums)
def test_figures_are_shown_only_when_both_groups_reach_the_minimum(
    items: list[Doing], minimum: int
) -> None:
    found = compare("k", "K", "milestone", items, minimum)
    assert found.enough == (found.on_time.ramped >= minimum and found.late.ramped >= minimum)
    shown = found.on_time.median_days is not None and found.late.median_days is not None
    assert shown == found.enough


@given(doings, minimums, st.integers(0, 5))
def test_a_larger_minimum_never_shows_what_a_smaller_one_hides(
    items: list[Doing], minimum: int, more: int
) -> None:
    if compare("k", "K", "milestone", items, minimum + more).enough:
        assert compare("k", "K", "milestone", items, minimum).enough


@given(doings)
def test_each_median_lies_within_its_groups_ramp_days(items: list[Doing]) -> None:
    found = compare("k", "K", "milestone", items, minimum=1)
    unique = {d.rep_id: d for d in items}.values()
    for on_time, group in ((True, found.on_time), (False, found.late)):
        days = [d.ramped_day for d in unique if d.on_time is on_time and d.ramped_day]
        if group.median_days is not None:
            assert min(days) <= group.median_days <= max(days)


@given(doings, minimums)
def test_swapping_on_time_and_late_swaps_the_groups(items: list[Doing], minimum: int) -> None:
    found = compare("k", "K", "milestone", items, minimum)
    swapped = compare(
        "k",
        "K",
        "milestone",
        [Doing(d.rep_id, not d.on_time, d.ramped_day) for d in items],
        minimum,
    )
    assert (swapped.on_time, swapped.late) == (found.late, found.on_time)
    if found.days_faster is not None:
        assert swapped.days_faster == -found.days_faster


def test_comparable_parts_come_first() -> None:
    enough = [_doing(n, n % 2 == 0, 50) for n in range(4)]
    found = compare_all(
        {("milestone", "a"): enough[:1], ("certification", "b"): enough},
        {("milestone", "a"): "Alpha", ("certification", "b"): "Beta"},
        minimum=2,
    )
    assert [c.key for c in found] == ["b", "a"]


def test_the_dashboard_summary_counts_each_day_over_the_reps_who_have_had_it() -> None:
    today = date(2026, 11, 30)
    old = RepRamp(1, today - timedelta(days=199), ramped_day=60)  # on day 200
    newer = RepRamp(2, today - timedelta(days=69), ramped_day=None)  # on day 70
    found = ramp_summary([old, newer, old], today)
    by_day = {share.day: (share.ramped, share.reached) for share in found.by_day}
    assert by_day == {30: (0, 2), 60: (1, 2), 90: (1, 1), 180: (1, 1)}
    assert (found.reps, found.ramped, found.median_days) == (2, 1, 60)


@given(
    st.lists(
        st.builds(
            RepRamp,
            rep_id=st.integers(1, 30),
            start=st.dates(date(2025, 1, 1), date(2026, 11, 30)),
            ramped_day=st.one_of(st.none(), st.integers(1, 400)),
        ),
        max_size=40,
    )
)
def test_the_share_ramped_by_day_is_a_share_over_distinct_reps(reps: list[RepRamp]) -> None:
    found = ramp_summary(reps, date(2026, 11, 30))
    assert found.reps == len({r.rep_id for r in reps})
    for share in found.by_day:
        assert 0 <= share.ramped <= share.reached <= found.reps
