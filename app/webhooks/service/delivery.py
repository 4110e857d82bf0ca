"""The send job: each delivery is POSTed, retried with backoff, and every attempt is logged.

A receiver that answers 2xx has it. Anything else (an error status, a redirect, which is never
followed, a timeout, a refused connection) is logged with its status, the start of the answer
and the time taken, and retried by the job queue; after the last attempt the delivery stays
``failed`` in the admin's delivery log, where "Resend" queues it again with the same
``webhook-id``.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

import requests
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import contains_eager

from app.accounts.access import require_role
from app.accounts.models import Role, User
from app.errors import Conflict, Invalid
from app.extensions import db
from app.jobs import Attempt, commit_progress, enqueue_after_commit, sweep_stale
from app.lookup import get_or_not_found
from app.once import first_submission
from app.pagination import Page, PageRequest, paginate_query
from app.webhooks.models import (
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from app.webhooks.service.recording import SEND_JOB
from app.webhooks.service.signing import signed_headers
from app.webhooks.service.targets import check_target

log = logging.getLogger(__name__)
EXCERPT_BYTES = 1000
USER_AGENT = "SalesRamp-Webhooks/1"
_UNFINISHED = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING)
DELIVERY_SORTS = ("created", "event", "endpoint", "status", "attempts")

__all__ = ["SEND_JOB"]


def send_delivery(delivery_id: int, *, attempt: Attempt) -> None:
    """The job: one POST of a delivery; raise to be retried, or record the failure at the end."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.finished:
        return  # delivered by an earlier attempt, or given up on by the sweep
    if not delivery.endpoint.enabled:
        commit_progress(
            WebhookDelivery,
            delivery_id,
            status=DeliveryStatus.FAILED,
            finished_at=_now(),
            error="Not sent: the endpoint is disabled.",
        )
        return
    url, secret, uid, body = (
        delivery.endpoint.url,
        delivery.endpoint.secret,
        delivery.event.uid,
        delivery.event.payload,
    )
    commit_progress(
        WebhookDelivery,
        delivery_id,
        status=DeliveryStatus.SENDING,
        attempts=WebhookDelivery.attempts + 1,
        heartbeat_at=_now(),
    )
    outcome = _post(url, secret, uid, body)
    db.session.add(WebhookAttempt(delivery_id=delivery_id, **outcome.as_row()))
    if outcome.delivered:
        _finish(delivery_id, DeliveryStatus.DELIVERED, outcome)
        return
    log.warning("webhook %s to %s: attempt %s failed: %s", uid, url, attempt.number, outcome)
    if attempt.last:
        _finish(delivery_id, DeliveryStatus.FAILED, outcome)
        return
    commit_progress(
        WebhookDelivery,
        delivery_id,
        status=DeliveryStatus.QUEUED,
        last_status_code=outcome.status_code,
        error=f"Attempt {attempt.number} failed ({outcome.summary}); retrying.",
    )
    raise DeliveryFailed(outcome.summary)


class DeliveryFailed(Exception):
    """Raised to the job queue so that it retries the delivery later."""


class _Outcome:
    """What one POST gave: a status code and the start of the answer, or why there was none."""

    def __init__(self, started_at: datetime, duration_ms: int) -> None:
        self.started_at = started_at
        self.duration_ms = duration_ms
        self.status_code: int | None = None
        self.excerpt = ""
        self.error = ""

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def summary(self) -> str:
        if self.error:
            return self.error
        if self.status_code is not None and 300 <= self.status_code < 400:
            return f"HTTP {self.status_code}: redirects are not followed"
        return f"HTTP {self.status_code}"

    def as_row(self) -> dict[str, object]:
        return {
            "started_at": self.started_at.replace(tzinfo=None, microsecond=0),
            "duration_ms": self.duration_ms,
            "status_code": self.status_code,
            "response_excerpt": self.excerpt,
            "error": self.error[:500],
        }

    def __str__(self) -> str:
        return self.summary


def _post(url: str, secret: str, uid: str, body: str) -> _Outcome:
    """POST the signed body once: short timeouts, no redirects, the answer's first kilobyte."""
    config = current_app.config
    started = datetime.now(UTC)
    clock = time.monotonic()
    outcome = _Outcome(started, 0)
    try:
        check_target(url, bool(config["WEBHOOKS_ALLOW_PRIVATE"]))
        headers = {
            **signed_headers(secret, uid, started, body),
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
        }
        timeout = float(config["WEBHOOK_TIMEOUT"])
        with requests.post(
            url,
            data=body.encode(),
            headers=headers,
            timeout=(timeout, timeout),
            allow_redirects=False,
            stream=True,
        ) as response:
            outcome.status_code = response.status_code
            first = response.raw.read(EXCERPT_BYTES, decode_content=True) or b""
            outcome.excerpt = first.decode("utf-8", "replace")
    except Invalid as error:
        outcome.error = f"Refused: {error.message}"
    except requests.RequestException as error:
        outcome.error = f"{type(error).__name__}: {error}"
    outcome.duration_ms = round((time.monotonic() - clock) * 1000)
    return outcome


def _finish(delivery_id: int, status: DeliveryStatus, outcome: _Outcome) -> None:
    commit_progress(
        WebhookDelivery,
        delivery_id,
        status=status,
        finished_at=_now(),
        last_status_code=outcome.status_code,
        error="" if status is DeliveryStatus.DELIVERED else outcome.summary[:500],
    )


def resend(actor: User, delivery: WebhookDelivery, key: str | None = None) -> None:
    """Queue a finished delivery again (same id and body, signed afresh); once per click."""
    require_role(actor, Role.ADMIN)
    if first_submission(key) is not None:
        return  # a double click: the first one queued it
    claimed = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery.id, WebhookDelivery.status.in_(_FINISHED))
        .values(status=DeliveryStatus.QUEUED, attempts=0, heartbeat_at=None, finished_at=None)
    ).rowcount  # type: ignore[attr-defined]
    if not claimed:
        raise Conflict("This delivery is already queued (it was resent meanwhile).")
    enqueue_after_commit(SEND_JOB, delivery.id)


_FINISHED = (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)


def get_delivery(actor: User, delivery_id: int) -> WebhookDelivery:
    require_role(actor, Role.ADMIN)
    return get_or_not_found(WebhookDelivery, delivery_id, "There is no such delivery.")


def attempts_of(delivery: WebhookDelivery) -> list[WebhookAttempt]:
    """Every attempt of a delivery, the latest first."""
    query = (
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id == delivery.id)
        .order_by(WebhookAttempt.started_at.desc(), WebhookAttempt.id.desc())
    )
    return list(db.session.scalars(query))


def deliveries_page(
    actor: User,
    request: PageRequest,
    status: DeliveryStatus | None = None,
    event_type: EventType | None = None,
    endpoint_id: int | None = None,
) -> Page[WebhookDelivery]:
    """The delivery log, newest first by default, filtered; two queries whatever its length."""
    require_role(actor, Role.ADMIN)
    columns = {
        "created": WebhookDelivery.created_at,
        "event": WebhookEvent.type,
        "endpoint": WebhookEndpoint.url,
        "status": WebhookDelivery.status,
        "attempts": WebhookDelivery.attempts,
    }
    column = columns.get(request.sort, WebhookDelivery.created_at)
    order = column.desc() if request.descending else column.asc()
    query = (
        select(WebhookDelivery)
        .join(WebhookDelivery.event)
        .join(WebhookDelivery.endpoint)
        .options(contains_eager(WebhookDelivery.event), contains_eager(WebhookDelivery.endpoint))
        .order_by(order, WebhookDelivery.id.desc())
    )
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    if event_type is not None:
        query = query.where(WebhookEvent.type == event_type)
    if endpoint_id is not None:
        query = query.where(WebhookDelivery.endpoint_id == endpoint_id)
    return paginate_query(query, request)


def sweep_undelivered(stale_after: timedelta, max_attempts: int) -> tuple[int, int]:
    """Requeue deliveries left queued or sending with no sign of life; (requeued, failed)."""
    return sweep_stale(
        WebhookDelivery,
        _UNFINISHED,
        SEND_JOB,
        stale_after,
        max_attempts,
        {"status": DeliveryStatus.FAILED, "error": "Interrupted too many times; not delivered."},
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
