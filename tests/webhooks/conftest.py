"""Webhook fixtures: a receiver on 127.0.0.1, which the app may reach in tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from app.accounts.models import Role, User
from app.extensions import db
from app.webhooks import service
from app.webhooks.models import EventType, WebhookEndpoint

# The certification tests' fixtures: assessing a rep through the service, as the view does.
from tests.certification.conftest import assess, rubric  # noqa: F401
from tests.conftest import create_user
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_PRIVATE", True)
    monkeypatch.setitem(app.config, "WEBHOOK_TIMEOUT", 5)
    with Receiver() as running:
        yield running


@pytest.fixture
def admin(app: Flask) -> User:
    return create_user(Role.ADMIN)


@pytest.fixture
def subscribe(admin: User, receiver: Receiver) -> Callable[..., WebhookEndpoint]:
    """``subscribe(EventType.MILESTONE_DONE, ...)``: an enabled endpoint at the receiver."""

    def register(*events: EventType, url: str | None = None) -> WebhookEndpoint:
        details = service.EndpointDetails(
            url=url or receiver.url, description="CRM", events=events, enabled=True
        )
        endpoint = service.create_endpoint(admin, details)
        db.session.commit()
        return endpoint

    return register
