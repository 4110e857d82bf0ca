"""Certification status and calibration rules: pure functions."""

from __future__ import annotations

from datetime import date, timedelta

from app.certification.calibration import Lean, leans, spreads
from app.certification.status import (
    AttemptFacts,
    CertificationStatus,
    certification_status,
    cooldown_ends,
)

TODAY = date(2026, 11, 23)


def passed(days_ago: int, valid: int = 365) -> AttemptFacts:
    on = TODAY - timedelta(days=days_ago)
    return AttemptFacts(decided=True, passed=True, assessed_on=on, expires_on=on + timedelta(valid))


def failed(days_ago: int, cooldown: int = 7) -> AttemptFacts:
    on = TODAY - timedelta(days=days_ago)
    return AttemptFacts(
        decided=True, passed=False, assessed_on=on, next_attempt_from=on + timedelta(cooldown)
    )


def status(*attempts: AttemptFacts) -> CertificationStatus:
    return certification_status(attempts, TODAY).status


def test_no_attempts_is_not_started() -> None:
    assert status() == CertificationStatus.NOT_STARTED


def test_open_attempts() -> None:
    assert status(AttemptFacts(decided=False, passed=False, self_assessed=True)) == "self-assessed"
    assert status(AttemptFacts(decided=False, passed=False, self_assessed=True,
                               assessor_started=True)) == "being assessed"  # fmt: skip
    # an open attempt with nothing in it yet says nothing
    assert status(failed(3), AttemptFacts(decided=False, passed=False)) == "not passed"


def test_passed_until_the_expiry_day_inclusive() -> None:
    reading = certification_status([passed(10, valid=10)], TODAY)
    assert (reading.status, reading.expires_on) == (CertificationStatus.PASSED, TODAY)
    assert status(passed(11, valid=10)) == CertificationStatus.EXPIRED


def test_not_passed_gives_the_next_attempt_date() -> None:
    reading = certification_status([failed(2, cooldown=7)], TODAY)
    assert reading.status == CertificationStatus.NOT_PASSED
    assert reading.next_attempt_from == TODAY + timedelta(days=5)
    assert cooldown_ends([failed(2, cooldown=7)]) == TODAY + timedelta(days=5)
    assert cooldown_ends([failed(9), passed(2)]) is None


def test_a_valid_pass_outranks_a_later_failed_recertification() -> None:
    assert status(passed(100), failed(1)) == CertificationStatus.PASSED


def test_a_failure_after_an_expired_pass_is_not_passed() -> None:
    assert status(passed(400), failed(1)) == CertificationStatus.NOT_PASSED
    assert status(failed(500), passed(400)) == CertificationStatus.EXPIRED


def test_self_assessment_after_a_pass_keeps_the_pass() -> None:
    assert (
        status(passed(5), AttemptFacts(decided=False, passed=False, self_assessed=True)) == "passed"
    )


def test_spread_per_criterion() -> None:
    attempts = [{1: {"a": 3, "b": 2}, 2: {"a": 4, "b": 2}}, {1: {"a": 1}, 2: {"a": 3}, 3: {"a": 2}}]
    result = {s.key: s for s in spreads(attempts, ["a", "b", "c"])}
    assert (result["a"].attempts, result["a"].mean, result["a"].largest) == (2, 1.5, 2)
    assert (result["b"].attempts, result["b"].mean) == (1, 0)
    assert result["c"].attempts == 0


def test_assessor_leaning_higher_and_lower() -> None:
    attempts = [{1: {"a": 4, "b": 4}, 2: {"a": 3, "b": 3}}, {1: {"a": 3}, 2: {"a": 2}}]
    by_id = {lean.assessor_id: lean for lean in leans(attempts)}
    assert by_id[1].label == "scores higher than peers"
    assert by_id[2].label == "scores lower than peers"
    assert (by_id[1].attempts, by_id[1].scores, by_id[1].mean_difference) == (2, 3, 1)


def test_one_shared_attempt_is_too_few_to_call() -> None:
    assert Lean(1, 1, 5, 2.0).label == "too few shared attempts to say"
    assert Lean(1, 3, 5, 0.2).label == "in line with peers"
    assert leans([{1: {"a": 3}}]) == []  # a single assessor has no peers
