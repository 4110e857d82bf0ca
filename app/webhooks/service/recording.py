"""The outbox: an event is written in the same transaction as the change it reports.

So a change that rolls back sends nothing, and a committed change is never lost to a crashed
web worker: its deliveries are rows, queued after the commit and swept if the queue lost them.
Payloads carry ids and the few fields a receiver needs to act, never names or email addresses.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import inspect, select

from app.extensions import db
from app.jobs import enqueue
from app.transaction import after_commit, remembered
from app.webhooks.models import EventType, WebhookDelivery, WebhookEndpoint, WebhookEvent

SEND_JOB = "webhooks.send"


def record_event(event_type: EventType, data: dict[str, Any]) -> WebhookEvent | None:
    """Record ``event_type`` for every enabled endpoint that subscribes to it; None if none.

    The endpoints are read once per transaction, so the hourly escalation run raising many
    overdue milestones asks one query for them, not one per milestone.
    """
    subscribers = [e for e in _enabled_endpoints() if e.receives(event_type)]
    if not subscribers:
        return None
    now = datetime.now(UTC)
    event = WebhookEvent(
        uid=f"msg_{uuid.uuid4().hex}",
        type=event_type,
        created_at=now.replace(tzinfo=None, microsecond=0),
        payload=json.dumps(
            {
                "type": event_type.value,
                "timestamp": now.isoformat(timespec="seconds"),
                "data": data,
            },
            sort_keys=True,
            separators=(",", ":"),
        ),
    )
    db.session.add(event)
    deliveries = [
        WebhookDelivery(event=event, endpoint_id=endpoint.id, created_at=event.created_at)
        for endpoint in subscribers
    ]
    db.session.add_all(deliveries)
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    # The ids exist only after the flush at commit; the identity survives the commit's expiry.
    def enqueue_each() -> None:
        for delivery in deliveries:
            enqueue(SEND_JOB, inspect(delivery).identity[0], app=app)

    after_commit(enqueue_each)
    return event


def _enabled_endpoints() -> list[WebhookEndpoint]:
    return remembered(
        "webhooks.endpoints",
        lambda: list(db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.enabled))),
    )
