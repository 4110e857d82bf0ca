"""Fixtures for notices: a rep under a signed improvement agreement, and their status history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest

from app.accounts.models import Role, User
from app.agreements import service as agreements
from app.agreements.audit import Evidence
from app.agreements.models import Agreement, AgreementStatus
from app.extensions import db
from app.notices.models import RepStatusDay

EVIDENCE = Evidence(ip_address="203.0.113.7", user_agent="pytest")
PIP_VALUES: dict[str, str | None] = {
    "gap_summary": "Meetings booked: 2 a week against 6.",
    "support_offered": "Two call reviews a week with the coach.",
    "improvement_targets": "6 meetings a week",
    "period_start": "2027-01-04",
    "period_end": "2027-02-26",
    "review_dates": "every Friday",
    "consequences": "Employment may end.",
}


@pytest.fixture
def hr(make_user: Callable[..., User]) -> User:
    return make_user(Role.HR, name="Priya Shah")


@pytest.fixture
def signed_pip(hr: User) -> Callable[..., Agreement]:
    """``signed_pip(rep, days_ago=20)``: a performance improvement agreement completed then.

    The signatures and seal are the agreements tests' business: here the agreement is sent
    through the service and its completion stored directly, which is all the sweep reads.
    """

    def make(rep: User, days_ago: int = 20, complete: bool = True) -> Agreement:
        agreement = agreements.create_draft(
            hr, rep, "performance-improvement", PIP_VALUES, EVIDENCE
        )
        agreements.send(hr, agreement, EVIDENCE)
        if complete:
            agreement.status = AgreementStatus.COMPLETED
            agreement.completed_at = datetime.combine(
                date.today() - timedelta(days=days_ago), time(9)
            )
        db.session.commit()
        return agreement

    return make


@pytest.fixture
def history() -> Callable[..., None]:
    """``history(rep, ["at risk", ...], until=today - 1)``: recorded days, oldest first."""

    def record(rep: User, statuses: list[str], until: date | None = None) -> None:
        last = until or date.today() - timedelta(days=1)
        first = last - timedelta(days=len(statuses) - 1)
        for number, status in enumerate(statuses):
            paused = status == "paused"
            db.session.add(
                RepStatusDay(
                    rep_id=rep.id,
                    day=first + timedelta(days=number),
                    status="at risk" if paused else status,
                    paused=paused,
                )
            )
        db.session.commit()

    return record
