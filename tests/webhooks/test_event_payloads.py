"""Each event, when the real service action happens, queues one signed delivery whose body is
the documented payload (README, "Webhooks"): certification passed and failed, a correction
that turns a decision round, agreement completed, commitment missed (and not kept)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from app.agreements import service as agreements
from app.agreements.service import signing
from app.certification import service as certification
from app.coaching import service as coaching
from app.coaching.followthrough import Outcome
from app.extensions import db
from app.webhooks.models import DeliveryStatus, EventType, WebhookDelivery
from tests.agreements.conftest import EVIDENCE, PIP_VALUES, WINDOW, _fresh
from tests.certification.conftest import today
from tests.escalations.helpers import overdue_commitment
from tests.webhooks.receiver import Receiver

CERTIFICATION_KEYS = {
    "attempt_id",
    "rep_id",
    "stage",
    "passed",
    "weighted_average",
    "assessed_on",
    "expires_on",
}


def _payloads(receiver: Receiver, secret: str) -> list[dict[str, Any]]:
    """Every body the receiver got, each checked against its signature first."""
    return [Webhook(secret).verify(r.body, r.headers) for r in receiver.requests]


def _deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_a_passed_certification_is_posted_with_its_attempt(
    assess, make_rep, subscribe, receiver: Receiver
) -> None:
    endpoint = subscribe(EventType.CERTIFICATION_PASSED, EventType.CERTIFICATION_FAILED)
    rep = make_rep()
    assessment = assess(rep.coach, rep, level=4)

    [payload] = _payloads(receiver, endpoint.secret)
    assert payload["type"] == "certification.passed"
    data = payload["data"]
    assert set(data) == CERTIFICATION_KEYS
    attempt = assessment.attempt
    assert (data["attempt_id"], data["rep_id"], data["stage"]) == (
        attempt.id,
        rep.id,
        "prospecting",
    )
    assert data["passed"] is True
    assert data["weighted_average"] == attempt.weighted_average
    assert data["assessed_on"] == today().isoformat()
    assert data["expires_on"] is None or date.fromisoformat(data["expires_on"]) > today()
    body = receiver.requests[0].body.decode()
    assert rep.email not in body and rep.full_name not in body
    [delivery] = _deliveries()
    assert delivery.status is DeliveryStatus.DELIVERED and delivery.endpoint_id == endpoint.id


def test_a_failed_certification_is_posted_and_only_to_who_subscribed(
    assess, make_rep, subscribe, receiver: Receiver
) -> None:
    failed_only = subscribe(EventType.CERTIFICATION_FAILED)
    subscribe(EventType.CERTIFICATION_PASSED, url=receiver.url.replace("/hooks", "/passed"))
    rep = make_rep()
    assess(rep.coach, rep, level=1)

    [request] = receiver.requests
    assert request.path == "/hooks"
    payload = Webhook(failed_only.secret).verify(request.body, request.headers)
    assert payload["type"] == "certification.failed"
    assert set(payload["data"]) == CERTIFICATION_KEYS
    assert payload["data"]["passed"] is False
    assert len(_deliveries()) == 1


def test_a_correction_that_turns_a_pass_into_a_fail_is_posted_once(
    assess, make_rep, subscribe, receiver: Receiver
) -> None:
    endpoint = subscribe(EventType.CERTIFICATION_PASSED, EventType.CERTIFICATION_FAILED)
    rep = make_rep()
    assessment = assess(rep.coach, rep, level=3)
    first = _payloads(receiver, endpoint.secret)
    assert [p["type"] for p in first] == ["certification.passed"]
    score = assessment.scores[0]
    certification.correct_score(rep.coach, score, 1, "Misheard the call: no next step agreed.")
    db.session.commit()
    types = [p["type"] for p in _payloads(receiver, endpoint.secret)]
    assert assessment.attempt.passed is False
    assert types == ["certification.passed", "certification.failed"]
    # Another correction that leaves it failed sends nothing more.
    other = assessment.scores[1]
    certification.correct_score(rep.coach, other, 1, "No agenda set either.")
    db.session.commit()
    assert len(receiver.requests) == 2


def test_a_completed_agreement_is_posted_when_the_last_signature_is_in(
    make_rep, make_user, subscribe, receiver: Receiver
) -> None:
    from app.accounts.models import Role

    endpoint = subscribe(EventType.AGREEMENT_COMPLETED)
    hr = make_user(Role.HR, name="Priya Shah")
    rep = make_rep(day_of_ramp=40)
    agreement = agreements.create_draft(
        hr, rep, "performance-improvement", dict(PIP_VALUES), EVIDENCE
    )
    agreements.send(hr, agreement, EVIDENCE)
    signing.sign(rep, agreement, _fresh(rep), EVIDENCE, WINDOW)
    db.session.commit()
    assert receiver.requests == []  # the rep's signature alone completes nothing

    signing.sign(hr, agreement, _fresh(hr), EVIDENCE, WINDOW)
    db.session.commit()

    [payload] = _payloads(receiver, endpoint.secret)
    assert payload["type"] == "agreement.completed"
    data = payload["data"]
    assert set(data) == {"agreement_id", "rep_id", "template_id", "title", "completed_at"}
    assert (data["agreement_id"], data["rep_id"]) == (agreement.id, rep.id)
    assert data["template_id"] == agreement.template_id and data["title"] == agreement.title
    assert data["completed_at"].startswith(agreement.completed_at.date().isoformat())
    body = receiver.requests[0].body.decode()
    assert rep.email not in body and rep.full_name not in body and hr.full_name not in body


def test_a_missed_commitment_is_posted_with_the_documented_fields_a_kept_one_is_not(
    make_rep, subscribe, receiver: Receiver
) -> None:
    endpoint = subscribe(EventType.COMMITMENT_MISSED)
    rep = make_rep()
    kept = overdue_commitment(rep, days_late=2)
    coaching.review_commitment(rep.coach, kept, Outcome.KEPT, "")
    db.session.commit()
    assert receiver.requests == []

    missed = overdue_commitment(rep, days_late=1)
    coaching.review_commitment(rep.coach, missed, Outcome.MISSED, "Too busy.")
    db.session.commit()

    [payload] = _payloads(receiver, endpoint.secret)
    assert payload["type"] == "commitment.missed"
    data = payload["data"]
    assert set(data) == {
        "commitment_id",
        "debrief_id",
        "rep_id",
        "due_on",
        "closed",
        "reviewed_at",
    }
    assert (data["commitment_id"], data["debrief_id"], data["rep_id"]) == (
        missed.id,
        missed.debrief_id,
        rep.id,
    )
    assert data["due_on"] == missed.due_on.isoformat()
    assert data["closed"] is (missed.closed_at is not None)
    assert "Too busy" not in json.dumps(payload)  # the coach's note stays in SalesRamp
