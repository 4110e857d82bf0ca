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
        return _STATUS_CSS[self.value]


# Looked up for every cell of the team matrix: one dictionary, not one per call.
_STATUS_CSS = {
    "not started": "secondary",
    "self-assessed": "info",
    "being assessed": "info",
    "passed": "success",
    "not passed": "danger",
    "expired": "warning",
}


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


# --- which actions are possible now --------------------------------------------------------


@dataclass(frozen=True)
class Availability:
    """Whether an action is possible now; if not, why, and the first day it will be (if known)."""

    possible: bool
    reason: str = ""
    from_day: date | None = None


POSSIBLE = Availability(possible=True)


def format_day(value: date) -> str:
    """A day as the certification pages and messages write it: "2 Mar 2026"."""
    return f"{value.day} {value:%b %Y}"


def cooldown_availability(
    attempts: Sequence[AttemptFacts], on: date, whose: str = "the"
) -> Availability | None:
    """Refused, with why and from when, if ``on`` falls in the cooldown after a failed attempt."""
    ends = cooldown_ends(attempts)
    if ends is None or on >= ends:
        return None
    last = next(a for a in reversed(attempts) if a.decided)
    when = format_day(last.assessed_on) if last.assessed_on else "the last attempt"
    reason = f"Not passed on {when}; {whose} next attempt is possible from {format_day(ends)}."
    return Availability(possible=False, reason=reason, from_day=ends)


def self_assessment_availability(
    attempts: Sequence[AttemptFacts], today: date, *, offered: bool
) -> Availability:
    """May the rep self-assess now? The service refuses with the same reason the page shows.

    ``attempts`` oldest first; ``offered`` says whether the rubric has a self-assessment.
    """
    if not offered:
        return Availability(
            False, "This certification has no self-assessment; your coach assesses it."
        )
    current = next((a for a in reversed(attempts) if not a.decided), None)
    if current is not None and current.self_assessed:
        return Availability(
            False, "You have already self-assessed this attempt; your coach assesses it next."
        )
    if current is not None and current.assessor_started:
        return Availability(
            False,
            "Your assessors have started on this attempt; self-assess the next one "
            "once it is decided.",
        )
    return cooldown_availability(attempts, today, "your") or POSSIBLE


def already_assessed(assessed_on: date | None, awaited: Sequence[str]) -> Availability:
    """An assessor who has scored the open attempt waits for the others (``awaited``)."""
    when = f" (on {format_day(assessed_on)})" if assessed_on else ""
    waiting = " and ".join(awaited) or "the other assessor"
    return Availability(
        False,
        f"You have already assessed this attempt{when}; it is decided once {waiting} "
        "has scored it.",
    )


def assessment_availability(attempts: Sequence[AttemptFacts], today: date) -> Availability:
    """May the rep's coach start an assessment today? Not before the cooldown ends."""
    return cooldown_availability(attempts, today, "the") or POSSIBLE
