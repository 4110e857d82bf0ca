"""The status of a rep's certification on one stage: a pure function of its attempts.

In order of precedence:

* **passed** while a pass is still valid (until its expiry date, inclusive);
* **self-assessed** / **being assessed** while an attempt is open: the rep has scored
  themselves, or at least one assessor has been named or has scored and others are awaited;
* **not passed** when the latest decided attempt failed (the next attempt is allowed from the
  end of the rubric's cooldown);
* **expired** when the latest decided attempt passed but its validity has run out;
* **not started** otherwise.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


class CertificationStatus(enum.StrEnum):
    NOT_STARTED = "not started"
    SELF_ASSESSED = "self-assessed"
    BEING_ASSESSED = "being assessed"
    PASSED = "passed"
    NOT_PASSED = "not passed"
    EXPIRED = "expired"

    @property
    def css(self) -> str:
        return {
            "not started": "secondary",
            "self-assessed": "info",
            "being assessed": "info",
            "passed": "success",
            "not passed": "danger",
            "expired": "warning",
        }[self.value]


@dataclass(frozen=True)
class AttemptFacts:
    """What the status rule needs to know about one attempt."""

    decided: bool
    passed: bool
    assessed_on: date | None = None
    expires_on: date | None = None
    next_attempt_from: date | None = None
    self_assessed: bool = False
    assessor_started: bool = False


@dataclass(frozen=True)
class StatusReading:
    status: CertificationStatus
    expires_on: date | None = None
    next_attempt_from: date | None = None


def certification_status(attempts: Sequence[AttemptFacts], today: date) -> StatusReading:
    """``attempts`` oldest first."""
    valid = [
        a for a in attempts if a.decided and a.passed and a.expires_on and a.expires_on >= today
    ]
    if valid:
        latest_expiry = max(a.expires_on for a in valid if a.expires_on)
        return StatusReading(CertificationStatus.PASSED, expires_on=latest_expiry)
    open_attempts = [a for a in attempts if not a.decided]
    if open_attempts:
        current = open_attempts[-1]
        if current.assessor_started:
            return StatusReading(CertificationStatus.BEING_ASSESSED)
        if current.self_assessed:
            return StatusReading(CertificationStatus.SELF_ASSESSED)
    decided = [a for a in attempts if a.decided]
    if decided:
        latest = decided[-1]
        if not latest.passed:
            return StatusReading(
                CertificationStatus.NOT_PASSED, next_attempt_from=latest.next_attempt_from
            )
        return StatusReading(CertificationStatus.EXPIRED, expires_on=latest.expires_on)
    return StatusReading(CertificationStatus.NOT_STARTED)


def cooldown_ends(attempts: Sequence[AttemptFacts]) -> date | None:
    """The first day a new attempt may be assessed, when the latest decided one failed."""
    decided = [a for a in attempts if a.decided]
    if decided and not decided[-1].passed:
        return decided[-1].next_attempt_from
    return None
