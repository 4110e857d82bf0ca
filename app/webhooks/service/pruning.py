"""Forgetting old deliveries: the delivery log keeps finished deliveries (with their attempts)
for ``WEBHOOK_RETENTION_DAYS`` after they finished (``SALESRAMP_WEBHOOK_RETENTION_DAYS``, 90 by
default); ``app.prune`` deletes older ones, and then the events no delivery refers to any more.

Deliveries still queued or being sent are never pruned: the worker or the sweep finishes them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, select

from app.extensions import db
from app.jobs import prune_finished
from app.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent

FINISHED = (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)


def prune_deliveries(before: datetime) -> int:
    """Delete deliveries finished before ``before`` (their attempts go with them) and the
    events left without a delivery; how many deliveries."""
    deliveries = prune_finished(WebhookDelivery, FINISHED, before)
    still_referred = exists(
        select(WebhookDelivery.id).where(WebhookDelivery.event_id == WebhookEvent.id)
    )
    db.session.execute(
        delete(WebhookEvent).where(WebhookEvent.created_at < before, ~still_referred)
    )
    return deliveries
