"""The repeated-gap rule, exhaustively: runs, mixed sources, closing gaps, and properties."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.coaching.gaps import (
    CommitmentNote,
    ScoredSession,
    format_dates,
    proficient_level,
    repeated_gaps,
)

START = date(2026, 3, 3)
NAMES = {"objections": "Objection handling", "closing-ask": "Asking for the business"}


def session(days: int, source: str = "debrief", stage: str = "negotiation", **levels: float):
    levels = {key.replace("_", "-"): value for key, value in levels.items()}
    return ScoredSession(
        on=START + timedelta(days=days),
        stage=stage,
        source=source,
        levels=levels,
        proficient=3,
        top=4,
        names=NAMES,
    )


def test_two_low_scores_in_a_row_are_a_repeated_gap_with_the_earlier_dates() -> None:
    gaps = repeated_gaps(
        [
            session(0, objections=2),
            session(7, "assessment", objections=2),
            session(14, objections=2, closing_ask=3),
        ]
    )
    (gap,) = gaps
    assert gap.summary == "Same gap as 3 and 10 March: Objection handling, 2/4"
    assert gap.dates[-1] == date(2026, 3, 17)


def test_one_low_score_is_not_a_repeated_gap() -> None:
    assert repeated_gaps([session(0, objections=1), session(7, objections=3)]) == []
    assert repeated_gaps([session(0, objections=2)]) == []


def test_a_gap_that_closes_is_no_longer_flagged_and_a_new_run_starts_over() -> None:
    assert (
        repeated_gaps(
            [session(0, objections=2), session(7, objections=2), session(9, objections=3)]
        )
        == []
    )
    reopened = repeated_gaps(
        [session(0, objections=2), session(7, objections=3), session(9, objections=2)]
    )
    assert reopened == []
    (gap,) = repeated_gaps(
        [
            session(0, objections=2),
            session(7, objections=4),
            session(9, objections=2),
            session(12, objections=1),
        ]
    )
    assert gap.dates == (START + timedelta(days=9), START + timedelta(days=12))
    assert gap.level == 1


def test_sessions_are_taken_in_date_order_whatever_order_they_come_in() -> None:
    (gap,) = repeated_gaps(
        [
            session(14, objections=2),
            session(0, "assessment", objections=3),
            session(7, objections=2),
        ]
    )
    assert gap.summary == "Same gap as 10 March: Objection handling, 2/4"


def test_sessions_that_did_not_score_the_criterion_do_not_break_the_run() -> None:
    (gap,) = repeated_gaps(
        [session(0, objections=2), session(3, closing_ask=4), session(7, objections=1)]
    )
    assert gap.criterion == "objections"


def test_the_same_key_in_another_stage_is_another_criterion() -> None:
    assert (
        repeated_gaps([session(0, objections=2), session(7, stage="closing", objections=2)]) == []
    )


def test_a_mean_of_two_assessors_below_proficient_counts() -> None:
    (gap,) = repeated_gaps([session(0, "assessment", objections=2.5), session(7, objections=2)])
    assert gap.level == 2


def test_commitments_about_the_gap_are_named() -> None:
    notes = [
        CommitmentNote(START - timedelta(days=30), "negotiation", "objections", "Too old"),
        CommitmentNote(START, "negotiation", "objections", "Use the LAER steps", "missed"),
        CommitmentNote(START, "negotiation", "closing-ask", "Other criterion"),
        CommitmentNote(START, "closing", "objections", "Other stage"),
    ]
    (gap,) = repeated_gaps([session(0, objections=2), session(7, objections=2)], notes)
    assert [c.action for c in gap.commitments] == ["Use the LAER steps"]


def test_dates_read_like_a_sales_manager_writes_them() -> None:
    assert format_dates([date(2026, 3, 3)]) == "3 March"
    assert format_dates([date(2026, 2, 28), date(2026, 3, 3), date(2026, 3, 10)]) == (
        "28 February, 3 and 10 March"
    )
    assert format_dates([date(2025, 12, 30), date(2026, 1, 6)]) == (
        "30 December 2025 and 6 January 2026"
    )
    assert format_dates([]) == ""


def test_the_proficient_level_is_the_level_named_so_or_the_fallback() -> None:
    assert proficient_level([(1, "Not yet"), (2, "Developing"), (3, "Proficient")], 2) == 3
    assert proficient_level([(1, "Low"), (2, "High")], 2) == 2


# --- properties ------------------------------------------------------------------------------

levels = st.lists(st.integers(min_value=1, max_value=4), min_size=0, max_size=12)


def _flagged(scores: list[int]) -> bool:
    """The rule restated: the trailing run of scores below 3 is two or longer."""
    run = 0
    for level in scores:
        run = run + 1 if level < 3 else 0
    return run >= 2


@given(levels)
def test_flagged_exactly_when_the_latest_run_below_proficient_is_two_or_more(scores) -> None:
    sessions = [
        session(day, "assessment" if day % 2 else "debrief", objections=level)
        for day, level in enumerate(scores)
    ]
    gaps = repeated_gaps(sessions)
    assert bool(gaps) == _flagged(scores)
    for gap in gaps:
        assert all(level < 3 for level in scores[-len(gap.dates) :])
        assert gap.level == scores[-1]
        assert gap.summary.endswith(f"Objection handling, {scores[-1]}/4")


@given(levels, st.randoms(use_true_random=False))
def test_the_order_sessions_arrive_in_does_not_matter(scores, random) -> None:
    sessions = [session(day, objections=level) for day, level in enumerate(scores)]
    shuffled = list(sessions)
    random.shuffle(shuffled)
    assert repeated_gaps(shuffled) == repeated_gaps(sessions)


@given(levels)
def test_a_proficient_score_at_the_end_always_closes_the_gap(scores) -> None:
    sessions = [session(day, objections=level) for day, level in enumerate([*scores, 3])]
    assert repeated_gaps(sessions) == []
