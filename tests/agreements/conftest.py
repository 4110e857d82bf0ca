"""Fixtures for agreements: HR, and agreements at each step of signing, through the service."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from huey.signals import SIGNAL_EXECUTING

from app.accounts.models import Role, User
from app.agreements import service
from app.agreements.audit import Evidence, now
from app.agreements.models import Agreement
from app.agreements.service import signing
from app.extensions import db
from app.jobs import queue_of
from tests.conftest import create_rep, create_user
from tests.database import Snapshot, TestDatabase


@pytest.fixture
def executed(app: Flask) -> Iterator[list[str]]:
    """The names of the agreement jobs the queue runs during the test (not the emails the
    changes queue, which tests/reminders checks)."""
    names: list[str] = []

    def record(signal: str, task: Any, *args: Any) -> None:
        if not task.name.startswith("mail."):
            names.append(task.name)

    queue_of(app).signal(SIGNAL_EXECUTING)(record)
    yield names
    queue_of(app).disconnect_signal(record)


def store_stale(row: Any, attempts: int, quiet_for: timedelta) -> int:
    """Store a job row as a worker left it, quiet ``quiet_for`` after ``attempts``; its id."""
    row.created_at = now() - quiet_for
    row.attempts = attempts
    row.heartbeat_at = now() - quiet_for if attempts else None
    db.session.add(row)
    db.session.commit()
    return int(row.id)


EVIDENCE = Evidence(ip_address="203.0.113.7", user_agent="pytest browser")
WINDOW = timedelta(minutes=5)

PIP_VALUES: dict[str, str | None] = {
    "gap_summary": "Meetings booked: 2 a week against 6.",
    "support_offered": "Two call reviews a week with the coach.",
    "improvement_targets": "6 meetings a week\n30 dials a day",
    "period_start": "2027-01-04",
    "period_end": "2027-02-26",
    "review_dates": "every Friday",
    "consequences": "Employment may end.",
}
EXPECTATION_VALUES: dict[str, str | None] = {
    "territory": "Mid-market, DACH",
    "weekly_dials": None,  # from the rep's plan
    "monthly_meetings": None,
    "monthly_pipeline": "120000",
    "max_discount": "10",
    "review_cadence": "weekly one-on-ones",
    "additional_expectations": None,
}
VALUES = {"performance-improvement": PIP_VALUES, "onboarding-expectations": EXPECTATION_VALUES}


def _fresh(user: User, typed: str | None = None, **changes: Any) -> signing.SignatureInput:
    """A signature input from someone who signed in just now, with consent and their name."""
    base: dict[str, Any] = {
        "typed_name": user.full_name if typed is None else typed,
        "consent": True,
        "signed_in_at": datetime.now(UTC).replace(tzinfo=None),
    }
    return signing.SignatureInput(**(base | changes))


@pytest.fixture
def fresh() -> Callable[..., signing.SignatureInput]:
    """``fresh(user)``: consent, the user's own name, and a login a moment ago."""
    return _fresh


@pytest.fixture
def evidence() -> Evidence:
    return EVIDENCE


@pytest.fixture
def values() -> dict[str, dict[str, str | None]]:
    """Valid values for each shipped template, keyed by template id."""
    return {key: dict(found) for key, found in VALUES.items()}


@pytest.fixture
def hr(request: pytest.FixtureRequest, make_user: Callable[..., User]) -> User:
    """HR's Priya Shah: the one who countersigned ``completed`` when the test has it."""
    if "completed_snapshot" in request.fixturenames:
        ids: CompletedIds = request.getfixturevalue("completed_snapshot").value
        return db.session.get(User, ids.hr)
    return make_user(Role.HR, name="Priya Shah")


@pytest.fixture
def make_agreement(make_rep: Callable[..., User], hr: User) -> Callable[..., Agreement]:
    """An agreement for a new rep, sent (by default) or left as a draft."""

    def make(
        template: str = "performance-improvement",
        send: bool = True,
        rep: User | None = None,
        values: dict[str, str | None] | None = None,
    ) -> Agreement:
        rep = rep or make_rep(day_of_ramp=40, name="Ava Chen")
        agreement = service.create_draft(hr, rep, template, values or VALUES[template], EVIDENCE)
        if send:
            service.send(hr, agreement, EVIDENCE)
        db.session.commit()
        return agreement

    return make


@dataclass(frozen=True)
class CompletedIds:
    agreement: int
    hr: int


def _complete_an_agreement() -> CompletedIds:
    """Ava Chen's performance improvement agreement, signed by her and countersigned by HR.

    Sealing takes about two seconds, so this is done once per run (``completed_snapshot``).
    """
    hr = create_user(Role.HR, name="Priya Shah")
    rep = create_rep(day_of_ramp=40, name="Ava Chen")
    template = "performance-improvement"
    agreement = service.create_draft(hr, rep, template, VALUES[template], EVIDENCE)
    service.send(hr, agreement, EVIDENCE)
    signing.sign(rep, agreement, _fresh(rep), EVIDENCE, WINDOW)
    signing.sign(hr, agreement, _fresh(hr), EVIDENCE, WINDOW)
    db.session.commit()
    return CompletedIds(agreement=agreement.id, hr=hr.id)


@pytest.fixture(scope="session")
def completed_snapshot(test_database: TestDatabase) -> Snapshot:
    return test_database.snapshot("completed-agreement", _complete_an_agreement)


@pytest.fixture
def completed(completed_snapshot: Snapshot, app: Flask) -> Agreement:
    """A performance improvement agreement signed by the rep and countersigned by HR."""
    ids: CompletedIds = completed_snapshot.value
    agreement = db.session.get(Agreement, ids.agreement)
    assert agreement is not None and agreement.pdf is not None
    return agreement
