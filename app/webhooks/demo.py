"""The demo's webhook: a CRM endpoint (disabled, so the demo sends nothing) and its log.

Its delivery log shows one event delivered and one that failed after every retry, so the
admin can open the attempts and press "Resend" (which, the endpoint being made up, fails).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from app.extensions import db
from app.webhooks.models import (
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from app.webhooks.service import new_secret

DEMO_URL = "https://hooks.example.com/salesramp"


def seed_webhooks(now: datetime) -> None:
    moment = now.replace(tzinfo=None, microsecond=0)
    endpoint = WebhookEndpoint(
        url=DEMO_URL,
        description="CRM sync (demo: disabled)",
        events=sorted(event.value for event in EventType),
        enabled=False,
        secret=new_secret(),
        created_at=moment - timedelta(days=7),
        updated_at=moment - timedelta(days=7),
    )
    db.session.add(endpoint)
    for number, (status, codes) in enumerate(
        ((DeliveryStatus.DELIVERED, [200]), (DeliveryStatus.FAILED, [503, 503, 502, 503]))
    ):
        at = moment - timedelta(days=2 - number)
        event = WebhookEvent(
            uid=f"msg_demo{number}",
            type=EventType.MILESTONE_DONE,
            created_at=at,
            payload=json.dumps(
                {"type": "milestone.done", "timestamp": at.isoformat(), "data": {"demo": True}}
            ),
        )
        delivery = WebhookDelivery(
            event=event,
            endpoint=endpoint,
            status=status,
            attempts=len(codes),
            last_status_code=codes[-1],
            error="" if status is DeliveryStatus.DELIVERED else f"HTTP {codes[-1]}",
            created_at=at,
            finished_at=at + timedelta(minutes=5),
        )
        db.session.add(delivery)
        for attempt, code in enumerate(codes):
            db.session.add(
                WebhookAttempt(
                    delivery=delivery,
                    started_at=at + timedelta(seconds=10 * 2**attempt),
                    duration_ms=120 + 40 * attempt,
                    status_code=code,
                    response_excerpt='{"ok":true}' if code == 200 else "Service Unavailable",
                )
            )
    db.session.flush()


def clear_webhooks() -> None:
    for model in (WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookEndpoint):
        db.session.execute(model.__table__.delete())
