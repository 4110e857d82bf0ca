"""Admins register the URLs that receive webhooks, choose their events, and rotate secrets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select

from app.accounts.access import require_role
from app.accounts.models import Role, User
from app.errors import Invalid
from app.extensions import db
from app.lookup import get_or_not_found
from app.once import earlier_result, remember_result, repeated
from app.transaction import forget
from app.webhooks.models import EventType, WebhookEndpoint
from app.webhooks.service.signing import new_secret
from app.webhooks.service.targets import check_target


@dataclass(frozen=True)
class EndpointDetails:
    """What the endpoint form gives."""

    url: str
    description: str
    events: tuple[EventType, ...]
    enabled: bool


def endpoints(actor: User) -> list[WebhookEndpoint]:
    """Every endpoint, in the order they were added (an organisation has a handful)."""
    require_role(actor, Role.ADMIN)
    return list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


def get_endpoint(actor: User, endpoint_id: int) -> WebhookEndpoint:
    require_role(actor, Role.ADMIN)
    return get_or_not_found(WebhookEndpoint, endpoint_id, "There is no such webhook endpoint.")


def create_endpoint(
    actor: User, details: EndpointDetails, key: str | None = None
) -> WebhookEndpoint:
    """A new endpoint with a fresh secret; a repeat of the form (``key``) answers with it."""
    require_role(actor, Role.ADMIN)
    _check(details)
    earlier = earlier_result(key, WebhookEndpoint)
    if earlier is not None:
        return earlier
    now = _now()
    endpoint = WebhookEndpoint(secret=new_secret(), created_at=now, updated_at=now)
    _apply(endpoint, details)
    db.session.add(endpoint)
    db.session.flush()
    remember_result(key, endpoint.id)
    return endpoint


def update_endpoint(actor: User, endpoint: WebhookEndpoint, details: EndpointDetails) -> None:
    require_role(actor, Role.ADMIN)
    _check(details)
    _apply(endpoint, details)
    endpoint.updated_at = _now()
    db.session.flush()


def rotate_secret(actor: User, endpoint: WebhookEndpoint, key: str | None = None) -> str:
    """A new secret from now on (queued retries are signed with it too); the new secret.

    A repeated click (same ``key``) rotates once and answers with the secret it made.
    """
    require_role(actor, Role.ADMIN)
    if repeated(key, endpoint, WebhookEndpoint.updated_at):
        return endpoint.secret
    endpoint.secret = new_secret()
    endpoint.updated_at = _now()
    db.session.flush()
    return endpoint.secret


def _check(details: EndpointDetails) -> None:
    if len(details.url) > 2000:
        raise Invalid("Keep the URL under 2,000 characters.", field="url")
    check_target(details.url, bool(current_app.config["WEBHOOKS_ALLOW_PRIVATE"]))
    if not details.events:
        raise Invalid("Choose at least one event.", field="events")


def _apply(endpoint: WebhookEndpoint, details: EndpointDetails) -> None:
    endpoint.url = details.url
    endpoint.description = details.description.strip()
    endpoint.events = sorted(event.value for event in details.events)
    endpoint.enabled = details.enabled
    forget("webhooks.endpoints")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
