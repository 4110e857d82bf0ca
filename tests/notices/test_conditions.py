"""The notice conditions as pure functions: streaks, paused days, what counts after signing."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.curriculum.schema import NoticeCondition
from app.notices.conditions import (
    FailedAttempt,
    LateMilestone,
    StatusDay,
    clause_text,
    condition_key,
    condition_label,
    evaluate,
    status_streak,
)

SIGNED = date(2026, 10, 1)
AT_RISK = NoticeCondition(status="at_risk", for_days=14, clause="If the targets are missed")
OVERDUE = NoticeCondition(milestone_overdue_days=21, clause="Targets and dates")
FAILED = NoticeCondition(certification_failed=2, clause="Targets and dates")


def _days(start: date, *statuses: str) -> list[StatusDay]:
    """One recorded day per status from ``start``; "paused" marks a paused day."""
    return [
        StatusDay(start + timedelta(days=n), "at risk" if s == "paused" else s, s == "paused")
        for n, s in enumerate(statuses)
    ]


def test_a_streak_counts_back_to_the_last_day_of_another_status() -> None:
    days = _days(SIGNED, "at risk", "behind", "at risk", "at risk", "at risk")
    streak = status_streak(days, "at risk", SIGNED)
    assert [d.day for d in streak] == [SIGNED + timedelta(days=n) for n in (2, 3, 4)]


def test_paused_days_neither_count_nor_end_a_streak() -> None:
    days = _days(SIGNED, "at risk", "paused", "paused", "at risk")
    assert len(status_streak(days, "at risk", SIGNED)) == 2
    as_status = [StatusDay(SIGNED, "at risk"), StatusDay(SIGNED + timedelta(1), "paused")]
    assert len(status_streak(as_status, "at risk", SIGNED)) == 1


def test_days_before_signing_do_not_count() -> None:
    days = _days(SIGNED - timedelta(days=10), *["at risk"] * 20)
    assert len(status_streak(days, "at risk", SIGNED)) == 10


def test_at_risk_for_14_days_holds_on_the_14th_recorded_day_only() -> None:
    thirteen = _days(SIGNED, *["at risk"] * 13)
    today = SIGNED + timedelta(days=13)
    assert evaluate(AT_RISK, SIGNED, today, thirteen, [], []) is None
    fourteen = _days(SIGNED, *["at risk"] * 14)
    found = evaluate(AT_RISK, SIGNED, today, fourteen, [], [])
    assert found is not None
    assert found.started_on == SIGNED
    assert "14 days from 2026-10-01 to 2026-10-14" in found.evidence[0]


def test_a_day_without_a_record_delays_a_notice_rather_than_bringing_it_forward() -> None:
    days = [d for d in _days(SIGNED, *["at risk"] * 14) if d.day != SIGNED + timedelta(days=5)]
    assert evaluate(AT_RISK, SIGNED, SIGNED + timedelta(days=13), days, [], []) is None


def test_a_milestone_late_before_signing_counts_from_the_signing_day() -> None:
    late = [LateMilestone("Book 5 meetings", SIGNED - timedelta(days=40))]
    assert evaluate(OVERDUE, SIGNED, SIGNED + timedelta(days=21), [], late, []) is None
    found = evaluate(OVERDUE, SIGNED, SIGNED + timedelta(days=22), [], late, [])
    assert found is not None
    assert found.evidence == ("Book 5 meetings: due 2026-08-22, 62 days overdue",)


def test_two_failed_certifications_after_signing() -> None:
    before = FailedAttempt("discovery", SIGNED - timedelta(days=3), 2.0)
    first = FailedAttempt("prospecting", SIGNED + timedelta(days=3), 2.25)
    assert evaluate(FAILED, SIGNED, SIGNED + timedelta(days=9), [], [], [before, first]) is None
    second = FailedAttempt("prospecting", SIGNED + timedelta(days=8), None)
    found = evaluate(FAILED, SIGNED, SIGNED + timedelta(days=9), [], [], [second, first, before])
    assert found is not None
    assert found.started_on == second.decided_on
    assert found.evidence == (
        "Certification on prospecting failed on 2026-10-04 (weighted score 2.25)",
        "Certification on prospecting failed on 2026-10-09",
    )


def test_keys_and_labels_name_the_condition() -> None:
    assert condition_key(AT_RISK) == "status-at_risk-14"
    assert condition_label(AT_RISK) == "At risk for 14 days"
    assert condition_label(OVERDUE) == "A milestone overdue more than 21 days"
    assert condition_label(FAILED) == "2 failed certifications"


def test_the_clause_is_quoted_with_hr_values_filled_in() -> None:
    body = "## Targets\n\nBy {{ period_end }}: {{ targets }}.\n\n## If missed\n\n{{ x }}\n"
    quoted = clause_text(body, "targets", {"period_end": "2027-01-31", "targets": None})
    assert quoted == "By 2027-01-31: (as set out in the agreement)."


@given(
    statuses=st.lists(st.sampled_from(["at risk", "behind", "on track"]), max_size=40),
    pauses=st.sets(st.integers(min_value=0, max_value=60), max_size=20),
)
def test_inserting_paused_days_never_changes_a_streak(
    statuses: list[str], pauses: set[int]
) -> None:
    """Paused days anywhere in the record leave the count of at-risk days as it was."""
    plain = _days(SIGNED, *statuses)
    with_pauses: list[str] = []
    for status in statuses:
        while len(with_pauses) in pauses:
            with_pauses.append("paused")
        with_pauses.append(status)
    paused = _days(SIGNED, *with_pauses)
    assert len(status_streak(paused, "at risk", SIGNED)) == len(
        status_streak(plain, "at risk", SIGNED)
    )


@given(st.lists(st.sampled_from(["at risk", "behind", "paused"]), max_size=40))
def test_a_streak_never_counts_more_days_than_were_recorded_at_risk(statuses: list[str]) -> None:
    days = _days(SIGNED, *statuses)
    streak = status_streak(days, "at risk", SIGNED)
    assert len(streak) <= sum(1 for d in days if d.status == "at risk" and not d.paused)
    assert all(d.status == "at risk" and not d.paused for d in streak)
