"""The pure maths: ramp months, the ramped rule, cohort shares with censoring, and the
readiness score's terms adding up to the score."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.outcomes.cohorts import CURVE_DAYS, RepRamp, cohort_curves, cohort_of, share_ramped_by
from app.outcomes.ramp import RampedRule, month_of, months_ended, ramped_month
from app.outcomes.readiness import Part, readiness

TODAY = date(2026, 11, 30)
RULE = RampedRule(share=80, months_running=2)


def test_ramp_months_are_thirty_days_from_the_start() -> None:
    start = date(2026, 1, 1)
    assert [month_of(start, start + timedelta(days=d)) for d in (-1, 0, 29, 30, 59, 60)] == [
        0,
        1,
        1,
        2,
        2,
        3,
    ]
    assert months_ended(start, start + timedelta(days=28)) == 0
    assert months_ended(start, start + timedelta(days=29)) == 1  # day 30 is over at its end


def test_the_run_must_be_unbroken_and_months_under_way_do_not_count() -> None:
    target = {1: 10.0, 2: 10.0, 3: 10.0, 4: 10.0}.__getitem__
    assert ramped_month({1: 8, 2: 7, 3: 9, 4: 10}, target, RULE, ended=4) == 4
    assert ramped_month({1: 8, 2: 8}, target, RULE, ended=2) == 2
    assert ramped_month({1: 8, 2: 8}, target, RULE, ended=1) is None
    assert ramped_month({}, target, RULE, ended=4) is None


def test_a_cohort_is_labelled_by_start_month_or_quarter() -> None:
    assert cohort_of(date(2026, 8, 31), "month") == "2026-08"
    assert cohort_of(date(2026, 8, 31), "quarter") == "2026-Q3"


def test_a_rep_who_started_40_days_ago_is_not_counted_as_not_ramped_by_day_60() -> None:
    old = RepRamp(1, TODAY - timedelta(days=200), ramped_day=None)
    new = RepRamp(2, TODAY - timedelta(days=39), ramped_day=None)
    assert share_ramped_by([old, new], 30, TODAY) == 0
    assert share_ramped_by([old, new], 60, TODAY) is None
    assert share_ramped_by([old], 60, TODAY) == 0


reps = st.lists(
    st.builds(
        RepRamp,
        rep_id=st.integers(1, 30),
        start=st.dates(TODAY - timedelta(days=400), TODAY),
        ramped_day=st.one_of(st.none(), st.integers(1, 400)),
    ),
    max_size=40,
)


def _consistent(found: list[RepRamp]) -> list[RepRamp]:
    """A rep ramps on a day they have reached (the service never says otherwise)."""
    return [
        r
        if r.ramped_day is None or r.ramped_day <= (TODAY - r.start).days + 1
        else RepRamp(r.rep_id, r.start, None)
        for r in found
    ]


@given(reps)
def test_cohort_shares_are_between_0_and_1_and_never_fall(found: list[RepRamp]) -> None:
    for curve in cohort_curves(_consistent(found), TODAY):
        figures = [share for share in curve.shares if share is not None]
        assert all(0 <= share <= 1 for share in figures)
        assert figures == sorted(figures)
        # Once a day has no figure (someone has not had that long), no later day has one.
        known = [share is not None for share in curve.shares]
        assert known == sorted(known, reverse=True)


@given(reps)
def test_each_rep_is_counted_once_in_one_cohort(found: list[RepRamp]) -> None:
    found = _consistent(found)
    curves = cohort_curves(found, TODAY)
    assert sum(curve.size for curve in curves) == len(found)
    unique = {r.rep_id: r for r in found}
    shares = [share_ramped_by(list(unique.values()), day, TODAY) for day in CURVE_DAYS]
    doubled = [share_ramped_by([*unique.values(), *unique.values()], d, TODAY) for d in CURVE_DAYS]
    assert shares == doubled


parts = st.builds(
    Part,
    key=st.just("part"),
    label=st.just("Part"),
    done=st.integers(0, 50),
    out_of=st.integers(0, 50),
    weight=st.integers(0, 100),
    wording=st.just("{done} of {out_of}"),
).filter(lambda part: part.done <= part.out_of)


@given(st.lists(parts, min_size=4, max_size=4))
def test_the_terms_add_up_to_the_score(found: list[Part]) -> None:
    score = readiness(tuple(found), version=3)
    assert score.tenths == sum(term.tenths for term in score.terms)
    assert score.points == sum(term.tenths for term in score.terms) / 10
    for term in score.terms:
        assert 0 <= term.tenths <= term.part.weight * 10
        assert f"= {term.points:g} points" in term.explanation
    assert score.version == 3


def test_the_score_shows_its_working() -> None:
    score = readiness(
        (
            Part("certifications", "Certifications", 3, 5, 30, "{done} of {out_of} passed"),
            Part("commitments_kept", "Commitments kept", 0, 0, 20, "{done} of {out_of} kept"),
        ),
        version=1,
    )
    assert [term.explanation for term in score.terms] == [
        "Certifications: 3 of 5 passed \u00d7 30% = 18 points",
        "Commitments kept: nothing to count yet, full marks \u00d7 20% = 20 points",
    ]
    assert score.points == 38
