"""The admin's webhook pages: register an endpoint, see its secret once, read and resend."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from app.accounts.models import Role
from app.extensions import db
from app.webhooks import service
from app.webhooks.models import (
    DeliveryStatus,
    EventType,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tests.webhooks.receiver import Receiver


def _form(url: str, **extra: object) -> dict[str, object]:
    return {"url": url, "description": "CRM", "events": ["milestone.done"], "enabled": "y", **extra}


def test_an_admin_registers_an_endpoint_and_sees_its_secret_once(
    admin, login, receiver: Receiver
) -> None:
    client = login(admin)
    page = client.post("/admin/webhooks/new", data=_form(receiver.url, submission_key="k1"))
    again = client.post("/admin/webhooks/new", data=_form(receiver.url, submission_key="k1"))

    [endpoint] = db.session.scalars(select(WebhookEndpoint))
    assert page.status_code == 200
    assert endpoint.secret in page.text
    assert endpoint.secret in again.text  # a repeat answers with the same endpoint
    assert endpoint.events == ["milestone.done"]
    listing = client.get("/admin/webhooks")
    assert receiver.url in listing.text
    assert endpoint.secret not in listing.text
    assert endpoint.secret not in client.get(f"/admin/webhooks/{endpoint.id}").text


def test_a_refused_url_is_shown_next_to_the_field(admin, login, app) -> None:
    client = login(admin)
    page = client.post("/admin/webhooks/new", data=_form("http://127.0.0.1:6379/"))
    assert page.status_code == 200
    assert "private or reserved network" in page.text
    assert db.session.scalar(select(WebhookEndpoint)) is None


def test_rotating_the_secret_signs_from_then_on_with_the_new_one(
    admin, login, subscribe, make_rep, receiver: Receiver
) -> None:
    from tests.webhooks.test_delivery import _checkbox

    endpoint = subscribe(EventType.MILESTONE_DONE)
    old = endpoint.secret
    client = login(admin)
    page = client.post(f"/admin/webhooks/{endpoint.id}/rotate", data={"submission_key": "r1"})
    db.session.refresh(endpoint)
    assert endpoint.secret != old
    assert endpoint.secret in page.text

    rep = make_rep()
    from app.plans import service as plans

    plans.record_progress(rep, _checkbox(rep))
    db.session.commit()
    [request] = receiver.requests
    Webhook(endpoint.secret).verify(request.body, request.headers)


def test_people_other_than_admins_are_refused(make_user, login) -> None:
    client = login(make_user(Role.HR))
    assert client.get("/admin/webhooks").status_code == 403
    assert client.get("/admin/webhooks/deliveries").status_code == 403


def _deliveries(endpoint: WebhookEndpoint, count: int) -> None:
    start = datetime(2026, 11, 1)
    for number in range(count):
        event = WebhookEvent(
            uid=f"msg_{endpoint.id}_{number}",
            type=EventType.MILESTONE_DONE,
            created_at=start + timedelta(minutes=number),
            payload="{}",
        )
        db.session.add(
            WebhookDelivery(
                event=event,
                endpoint_id=endpoint.id,
                status=DeliveryStatus.FAILED if number % 2 else DeliveryStatus.DELIVERED,
                created_at=event.created_at,
            )
        )
    db.session.commit()


def test_the_delivery_log_pages_filters_and_asks_the_same_queries_for_5_or_60(
    admin, login, subscribe, queries_of
) -> None:
    endpoint = subscribe(EventType.MILESTONE_DONE)
    _deliveries(endpoint, 5)
    login(admin)
    url = "/admin/webhooks/deliveries?status=failed&sort=-attempts"
    few = queries_of(url)
    _deliveries(subscribe(EventType.MILESTONE_DONE), 55)
    assert queries_of(url) == few
    assert few <= 30


def test_the_log_shows_a_delivery_and_resends_it(admin, login, subscribe, receiver) -> None:
    endpoint = subscribe(EventType.MILESTONE_DONE)
    _deliveries(endpoint, 2)
    failed = db.session.scalar(
        select(WebhookDelivery).where(WebhookDelivery.status == DeliveryStatus.FAILED)
    )
    client = login(admin)
    listing = client.get("/admin/webhooks/deliveries?status=failed")
    assert f"/admin/webhooks/deliveries/{failed.id}" in listing.text
    assert "Resend" in client.get(f"/admin/webhooks/deliveries/{failed.id}").text

    response = client.post(
        f"/admin/webhooks/deliveries/{failed.id}/resend", data={"submission_key": "s1"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(WebhookDelivery, failed.id).status is DeliveryStatus.DELIVERED
    [request] = receiver.requests
    assert request.headers["webhook-id"] == failed.event.uid
    assert service.attempts_of(failed)[0].status_code == 200
