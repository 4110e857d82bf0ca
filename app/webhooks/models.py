"""Webhook endpoints, the events recorded for them (the outbox) and each delivery's attempts."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import string_enum
from app.extensions import db


class EventType(enum.StrEnum):
    """What a receiver can subscribe to; the value is the payload's ``type``."""

    MILESTONE_DONE = "milestone.done"
    MILESTONE_OVERDUE = "milestone.overdue"
    CERTIFICATION_PASSED = "certification.passed"
    CERTIFICATION_FAILED = "certification.failed"
    AGREEMENT_COMPLETED = "agreement.completed"
    COMMITMENT_MISSED = "commitment.missed"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    EventType.MILESTONE_DONE: "Milestone done",
    EventType.MILESTONE_OVERDUE: "Milestone overdue",
    EventType.CERTIFICATION_PASSED: "Certification passed",
    EventType.CERTIFICATION_FAILED: "Certification failed",
    EventType.AGREEMENT_COMPLETED: "Agreement completed",
    EventType.COMMITMENT_MISSED: "Commitment missed",
}


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for the job worker (or between two attempts)
    SENDING = "sending"
    DELIVERED = "delivered"  # the receiver answered 2xx
    FAILED = "failed"  # the last attempt failed: an admin sees why and may resend

    @property
    def label(self) -> str:
        return self.value.capitalize()


class WebhookEndpoint(db.Model):  # type: ignore[name-defined]
    """A URL an admin registered, the events it receives, and the secret that signs them.

    The secret is kept (the worker signs with it) but shown only when created or rotated.
    """

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(200), default="")
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    def receives(self, event_type: EventType) -> bool:
        return self.enabled and event_type.value in self.events


class WebhookEvent(db.Model):  # type: ignore[name-defined]
    """Something that happened, written in the transaction that made it happen (the outbox).

    ``uid`` is the ``webhook-id`` header: the same for every attempt and every resend, so a
    receiver can drop a duplicate.
    """

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(40), unique=True)
    type: Mapped[EventType] = mapped_column(string_enum(EventType, length=40))
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    payload: Mapped[str] = mapped_column(Text)  # the JSON body, exactly as signed and sent


class WebhookDelivery(db.Model):  # type: ignore[name-defined]
    """One event for one endpoint: sent from the job queue, retried, and resent by hand."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_events.id", ondelete="CASCADE"), index=True
    )
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[DeliveryStatus] = mapped_column(
        string_enum(DeliveryStatus, length=16), default=DeliveryStatus.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    event: Mapped[WebhookEvent] = relationship(lazy="joined", innerjoin=True)
    endpoint: Mapped[WebhookEndpoint] = relationship(lazy="joined", innerjoin=True)

    @property
    def finished(self) -> bool:
        return self.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)


class WebhookAttempt(db.Model):  # type: ignore[name-defined]
    """One HTTP request of a delivery: what came back and how long it took."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(DateTime)
    duration_ms: Mapped[int] = mapped_column(Integer)
    status_code: Mapped[int | None] = mapped_column(Integer)  # None: no answer
    response_excerpt: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")

    delivery: Mapped[WebhookDelivery] = relationship()
