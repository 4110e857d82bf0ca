"""Kept-rate math and where an open commitment stands against its due date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.coaching.followthrough import (
    Due,
    Outcome,
    closes,
    due_state,
    kept_rate,
    kept_rate_by_month,
)

K, P, M = Outcome.KEPT, Outcome.PARTLY, Outcome.MISSED


@pytest.mark.parametrize(
    ("outcomes", "rate"),
    [
        ([], None),
        ([K], 1.0),
        ([M], 0.0),
        ([P], 0.5),
        ([K, M], 0.5),
        ([K, K, P, M], 0.625),
        ([K, K, K, M], 0.75),
    ],
)
def test_kept_rate(outcomes, rate) -> None:
    assert kept_rate(outcomes) == rate


@given(st.lists(st.sampled_from(list(Outcome)), min_size=1))
def test_kept_rate_is_between_the_share_kept_and_the_share_not_missed(outcomes) -> None:
    rate = kept_rate(outcomes)
    assert rate is not None
    tolerance = 1e-9
    assert outcomes.count(K) / len(outcomes) - tolerance <= rate
    assert rate <= 1 - outcomes.count(M) / len(outcomes) + tolerance


def test_kept_rate_by_month_of_the_due_date() -> None:
    points = kept_rate_by_month(
        [
            (date(2026, 4, 2), K),
            (date(2026, 3, 30), M),
            (date(2026, 3, 1), K),
            (date(2026, 4, 20), P),
        ]
    )
    assert [(p.month, p.rate, p.reviewed) for p in points] == [
        (date(2026, 3, 1), 0.5, 2),
        (date(2026, 4, 1), 0.75, 2),
    ]
    assert kept_rate_by_month([]) == []


def test_only_a_missed_commitment_stays_open() -> None:
    assert closes(K) and closes(P) and not closes(M)


def test_due_state() -> None:
    today = date(2026, 3, 10)
    assert due_state(today - timedelta(days=1), today) is Due.OVERDUE
    assert due_state(today, today) is Due.DUE_SOON
    assert due_state(today + timedelta(days=14), today) is Due.DUE_SOON
    assert due_state(today + timedelta(days=15), today) is Due.LATER
