"""The API tests' people and tokens: tokens are made through the service, as the account page
makes them; ``people`` is a small organisation with something of each kind on Avery's record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from app.accounts.models import Role, User
from app.agreements import service as agreements
from app.agreements.audit import Evidence
from app.api import service
from app.certification.service import AssessmentEntry, submit_assessment
from app.coaching import service as coaching
from app.coaching.models import DebriefKind
from app.extensions import db
from app.metrics import service as metrics
from tests.agreements.conftest import PIP_VALUES
from tests.conftest import create_rep, create_user, shipped_curriculum


def make_token_for(user: User, expires: datetime | None = None, name: str = "test") -> str:
    made = service.create_token(user, name, expires)
    assert made is not None
    db.session.commit()
    return made.secret


@pytest.fixture
def token_for(app: Flask) -> Callable[..., str]:
    """``token_for(user)``: a new token's secret for ``user``."""
    return make_token_for


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


AVERY = "Avery Quinlan"


@dataclass(frozen=True)
class People:
    avery: User
    blake: User
    casey: User  # Avery's coach
    dana: User  # Blake's coach
    hr: User
    admin: User


@pytest.fixture
def people(app: Flask, curriculum: object) -> People:
    casey = create_user(Role.COACH, name="Casey Coach")
    dana = create_user(Role.COACH, name="Dana Elsewhere")
    avery = create_rep(day_of_ramp=30, coach=casey, name=AVERY)
    blake = create_rep(day_of_ramp=30, coach=dana, name="Blake Other")
    hr = create_user(Role.HR, name="Harper People")
    admin = create_user(Role.ADMIN, name="Alex Admin")
    today = datetime.now(UTC).date()
    rubric = shipped_curriculum().rubric("prospecting")
    entry = AssessmentEntry(scores={c.key: 3 for c in rubric.criteria}, evidence_kind="role-play")
    submit_assessment(casey, avery, "prospecting", entry, today)
    setup = coaching.DebriefSetup(today, DebriefKind.ROLE_PLAY, "discovery")
    debrief = coaching.create_debrief(casey, avery, setup, today)
    commitment = coaching.CommitmentEntry("Ask about impact", "Five calls", today + timedelta(7))
    coaching.record_debrief(casey, debrief, coaching.DebriefRecord(commitments=[commitment]), today)
    metrics.log_day(avery, today, {"dials": 14, "conversations": 3}, today)
    evidence = Evidence.system("API tests")
    agreement = agreements.create_draft(hr, avery, "performance-improvement", PIP_VALUES, evidence)
    agreements.send(hr, agreement, evidence)
    db.session.commit()
    return People(avery, blake, casey, dana, hr, admin)
