"""Webhooks are recorded with the change, signed, POSTed to a real server, retried and logged."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from app.errors import Invalid
from app.escalations import service as escalations
from app.extensions import db
from app.plans import service as plans
from app.plans.models import MeasureKind, Milestone
from app.webhooks import service
from app.webhooks.models import (
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
)
from tests.escalations.helpers import TODAY, overdue_milestone
from tests.webhooks.receiver import Receiver


def _checkbox(rep) -> Milestone:
    plan = plans.active_plan(rep)
    assert plan is not None
    return next(
        m
        for m in plan.milestones
        if m.measure_kind == MeasureKind.CHECKBOX and not m.requires_verification
    )


def _only_delivery() -> WebhookDelivery:
    db.session.expire_all()
    [delivery] = db.session.scalars(select(WebhookDelivery))
    return delivery


def _attempts(delivery: WebhookDelivery) -> list[WebhookAttempt]:
    return list(reversed(service.attempts_of(delivery)))


def test_a_milestone_done_is_posted_signed_with_ids_and_no_personal_data(
    make_rep, subscribe, receiver: Receiver
) -> None:
    endpoint = subscribe(EventType.MILESTONE_DONE)
    rep = make_rep()
    milestone = _checkbox(rep)

    plans.record_progress(rep, milestone)
    db.session.commit()

    [request] = receiver.requests
    assert request.path == "/hooks"
    assert request.headers["Content-Type"] == "application/json"
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert payload["type"] == "milestone.done"
    assert payload["data"]["milestone_id"] == milestone.id
    assert payload["data"]["rep_id"] == rep.id
    assert payload["data"]["title"] == milestone.title
    body = request.body.decode()
    assert rep.email not in body and rep.full_name not in body
    assert request.headers["webhook-id"].startswith("msg_")

    delivery = _only_delivery()
    assert delivery.status is DeliveryStatus.DELIVERED
    [attempt] = _attempts(delivery)
    assert attempt.status_code == 200
    assert attempt.response_excerpt == '{"ok": true}'
    assert attempt.duration_ms >= 0


def test_a_signature_made_with_another_secret_or_a_changed_body_is_refused(
    make_rep, subscribe, receiver: Receiver
) -> None:
    endpoint = subscribe(EventType.MILESTONE_DONE)
    rep = make_rep()
    plans.record_progress(rep, _checkbox(rep))
    db.session.commit()
    [request] = receiver.requests

    with pytest.raises(WebhookVerificationError):
        Webhook(service.new_secret()).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(
            request.body.replace(b"milestone", b"Milestone"), request.headers
        )


def test_a_failing_receiver_is_retried_with_the_same_id_until_it_answers(
    app, make_rep, subscribe, receiver: Receiver
) -> None:
    endpoint = subscribe(EventType.MILESTONE_DONE)
    receiver.answers = [500, 503]
    rep = make_rep()
    plans.record_progress(rep, _checkbox(rep))
    db.session.commit()

    assert len(receiver.requests) == 3
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1
    for request in receiver.requests:
        Webhook(endpoint.secret).verify(request.body, request.headers)
    delivery = _only_delivery()
    assert delivery.status is DeliveryStatus.DELIVERED
    assert delivery.attempts == 3
    assert [a.status_code for a in _attempts(delivery)] == [500, 503, 200]
    failed = _attempts(delivery)[0]
    assert failed.response_excerpt.startswith("Receiver says no")
    assert len(failed.response_excerpt) == 1000  # an excerpt, not the whole answer


def test_after_the_last_retry_the_delivery_is_failed_and_an_admin_resends_it_once(
    app, admin, make_rep, subscribe, receiver: Receiver
) -> None:
    subscribe(EventType.MILESTONE_DONE)
    tries = app.config["JOB_RETRIES"] + 1
    receiver.answers = [500] * tries
    rep = make_rep()
    plans.record_progress(rep, _checkbox(rep))
    db.session.commit()

    delivery = _only_delivery()
    assert delivery.status is DeliveryStatus.FAILED
    assert delivery.attempts == tries
    assert delivery.last_status_code == 500
    assert "HTTP 500" in delivery.error

    service.resend(admin, delivery, key="resend-1")
    db.session.commit()
    service.resend(admin, _only_delivery(), key="resend-1")  # a double click
    db.session.commit()

    delivery = _only_delivery()
    assert delivery.status is DeliveryStatus.DELIVERED
    assert len(receiver.requests) == tries + 1
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1
    assert len(_attempts(delivery)) == tries + 1


def test_a_redirect_is_not_followed(app, make_rep, subscribe, receiver: Receiver) -> None:
    subscribe(EventType.MILESTONE_DONE)
    receiver.answers = [302] * (app.config["JOB_RETRIES"] + 1)
    rep = make_rep()
    plans.record_progress(rep, _checkbox(rep))
    db.session.commit()

    assert {r.path for r in receiver.requests} == {"/hooks"}
    delivery = _only_delivery()
    assert delivery.status is DeliveryStatus.FAILED
    assert "redirects are not followed" in delivery.error


def test_nothing_is_sent_for_a_rolled_back_change_or_to_an_endpoint_not_subscribed(
    admin, make_rep, subscribe, receiver: Receiver
) -> None:
    subscribe(EventType.MILESTONE_OVERDUE)
    disabled = subscribe(EventType.MILESTONE_DONE)
    details = service.EndpointDetails(disabled.url, "", (EventType.MILESTONE_DONE,), False)
    service.update_endpoint(admin, disabled, details)
    db.session.commit()
    rep = make_rep()
    plans.record_progress(rep, _checkbox(rep))
    db.session.commit()
    assert receiver.requests == []

    enabled = service.EndpointDetails(disabled.url, "", (EventType.MILESTONE_DONE,), True)
    service.update_endpoint(admin, disabled, enabled)
    db.session.commit()
    other = _checkbox(make_rep())
    plans.record_progress(other.plan.rep, other)
    db.session.rollback()
    assert receiver.requests == []
    assert db.session.scalar(select(func.count()).select_from(WebhookEvent)) == 0


def test_an_overdue_milestone_is_sent_once_from_the_hourly_run(
    make_rep, subscribe, receiver: Receiver
) -> None:
    endpoint = subscribe(EventType.MILESTONE_OVERDUE)
    rep = make_rep()
    milestone = overdue_milestone(rep, days_late=12)  # past the coach's and the manager's levels

    escalations.run_escalations(today=TODAY)
    db.session.commit()
    escalations.run_escalations(today=TODAY)
    db.session.commit()

    [request] = receiver.requests
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert payload["type"] == "milestone.overdue"
    assert payload["data"]["milestone_id"] == milestone.id
    assert payload["data"]["days_late"] == 12


def test_a_missed_commitment_is_sent(make_rep, subscribe, receiver: Receiver) -> None:
    from app.coaching import service as coaching
    from app.coaching.followthrough import Outcome
    from tests.escalations.helpers import overdue_commitment

    endpoint = subscribe(EventType.COMMITMENT_MISSED, EventType.MILESTONE_DONE)
    rep = make_rep()
    commitment = overdue_commitment(rep, days_late=1)
    coaching.review_commitment(rep.coach, commitment, Outcome.MISSED, "Too busy.")
    db.session.commit()

    [request] = receiver.requests
    payload = json.loads(request.body)
    Webhook(endpoint.secret).verify(request.body, request.headers)
    assert payload["type"] == "commitment.missed"
    assert payload["data"]["commitment_id"] == commitment.id


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/hooks",
        "http://127.0.0.1:8080/hooks",
        "http://localhost/hooks",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.7/hooks",
        "https://user:pass@example.com/hooks",
        "not a url",
    ],
)
def test_private_addresses_and_other_schemes_are_refused(app, admin, url: str) -> None:
    details = service.EndpointDetails(url, "", (EventType.MILESTONE_DONE,), True)
    with pytest.raises(Invalid) as refused:
        service.create_endpoint(admin, details)
    assert refused.value.field == "url"


def test_a_delivery_for_an_endpoint_disabled_since_is_not_sent(
    admin, make_rep, subscribe, receiver: Receiver
) -> None:
    endpoint = subscribe(EventType.MILESTONE_DONE)
    receiver.answers = [500] * 10
    rep = make_rep()
    plans.record_progress(rep, _checkbox(rep))
    db.session.commit()
    sent = len(receiver.requests)
    details = service.EndpointDetails(endpoint.url, "", (EventType.MILESTONE_DONE,), False)
    service.update_endpoint(admin, endpoint, details)
    service.resend(admin, _only_delivery())
    db.session.commit()

    assert len(receiver.requests) == sent
    delivery = _only_delivery()
    assert delivery.status is DeliveryStatus.FAILED
    assert "disabled" in delivery.error
