"""Fixtures for agreements: HR, and agreements at each step of signing, through the service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.accounts.models import Role, User
from app.agreements import service
from app.agreements.audit import Evidence
from app.agreements.models import Agreement
from app.agreements.service import signing
from app.extensions import db

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
    "weekly_dials": "250",
    "weekly_meetings": "6",
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
def hr(make_user: Callable[..., User]) -> User:
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


@pytest.fixture
def completed(make_agreement: Callable[..., Agreement], hr: User) -> Agreement:
    """A performance improvement agreement signed by the rep and countersigned by HR."""
    agreement = make_agreement()
    signing.sign(agreement.rep, agreement, _fresh(agreement.rep), EVIDENCE, WINDOW)
    signing.sign(hr, agreement, _fresh(hr), EVIDENCE, WINDOW)
    db.session.commit()
    return agreement
