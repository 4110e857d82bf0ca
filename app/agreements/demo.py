"""Demo agreements: sent, signed, completed, declined, voided and draft, through the services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from app.accounts.models import User
from app.agreements import service
from app.agreements.audit import Evidence, now
from app.agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementExport,
    AgreementSignature,
)
from app.extensions import db

DEMO = Evidence(ip_address="192.0.2.10", user_agent="SalesRamp demo seed")
WINDOW = timedelta(minutes=5)


def clear_agreements() -> None:
    """Remove every agreement and its trail (only the demo's --force does this)."""
    for model in (AgreementEvent, AgreementSignature, AgreementExport, Agreement):
        db.session.execute(model.__table__.delete())
    db.session.flush()


def _expectations(territory: str) -> dict[str, str | None]:
    return {
        "territory": territory,
        "weekly_dials": None,  # each rep's plan says
        "monthly_meetings": None,
        "monthly_pipeline": "120000",
        "max_discount": "10",
        "review_cadence": "weekly one-on-ones with your coach and formal reviews at days 30, 60 "
        "and 90",
        "additional_expectations": "Shadow one customer call of a senior AE every week.",
    }


def _improvement(rep: User, today: date) -> dict[str, str | None]:
    return {
        "gap_summary": f"{rep.first_name} booked 2 meetings a week over the last 5 weeks, "
        "against a target of 6, and 3 milestones of the plan are overdue.",
        "support_offered": "Two call reviews a week with your coach.\n"
        "A refresher on discovery questions with the enablement team.",
        "improvement_targets": "6 meetings booked a week, every week.\n"
        "All overdue milestones of the plan done.",
        "period_start": (today + timedelta(days=3)).isoformat(),
        "period_end": (today + timedelta(days=45)).isoformat(),
        "review_dates": "every Friday, and a final review on the last day",
        "consequences": "If the targets are not met by the end of the improvement period, your "
        "employment may be terminated in line with your contract.",
    }


def _sign(user: User, agreement: Agreement) -> None:
    given = service.SignatureInput(user.full_name, consent=True, signed_in_at=now())
    service.record_opened(user, agreement, DEMO)
    service.record_reached_end(user, agreement, DEMO)
    service.sign(user, agreement, given, DEMO, WINDOW)


def seed_agreements(hr: User, reps: Sequence[User]) -> list[Agreement]:
    """One agreement in each state, for the first reps of the demo organisation."""
    today = now().date()
    made: list[Agreement] = []

    def draft(rep: User, key: str, values: dict[str, str | None]) -> Agreement:
        agreement = service.create_draft(hr, rep, key, values, DEMO)
        made.append(agreement)
        return agreement

    def sent(
        rep: User, key: str, values: dict[str, str | None], sign_by: date | None = None
    ) -> Agreement:
        return service.send(hr, draft(rep, key, values), DEMO, sign_by)

    expectations = "onboarding-expectations"
    improvement = "performance-improvement"
    ava, ben, chloe, diego, emma, farid, grace, hiro = reps[:8]
    # Waiting for the rep, to be signed within five days.
    sent(ava, expectations, _expectations("SMB, UK and Ireland"), today + timedelta(days=5))
    waiting_hr = sent(ben, expectations, _expectations("SMB, UK and Ireland"))
    _sign(ben, waiting_hr)  # signed by the rep, waiting for HR and the coach
    for rep, territory in ((chloe, "Mid-market, DACH"), (emma, "Mid-market, DACH")):
        done = sent(rep, expectations, _expectations(territory))
        _sign(rep, done)
        _sign(hr, done)
        assert rep.coach is not None
        _sign(rep.coach, done)  # completed and sealed
    declined = sent(diego, improvement, _improvement(diego, today))
    service.decline(
        diego,
        declined,
        "The meeting targets were never agreed with me; I'd like to talk first.",
        DEMO,
    )
    voided = sent(farid, improvement, _improvement(farid, today))
    service.void(hr, voided, "Wrong improvement period dates; a corrected one follows.", DEMO)
    corrected = sent(farid, improvement, _improvement(farid, today + timedelta(days=7)))
    _sign(farid, corrected)
    _sign(hr, corrected)  # a completed consequence agreement
    draft(hiro, improvement, _improvement(hiro, today))  # HR's work in progress
    late = sent(grace, expectations, _expectations("SMB, Nordics"))
    # Its day to sign has passed (set as if sent long ago; sending refuses a past day): overdue
    # on every list, in Grace's digest and in the calendar feeds.
    late.sign_by = today - timedelta(days=2)
    db.session.flush()
    return made
