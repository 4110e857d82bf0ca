"""The audit trail records the signer's address: the proxy's own unless ``PROXY_COUNT`` says
how many proxies to trust (``SALESRAMP_PROXY_COUNT``, Werkzeug's ProxyFix), then the client's."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.agreements import audit
from app.agreements.models import Agreement
from app.extensions import db
from tests.conftest import PASSWORD, make_test_app

FORWARDED = {"X-Forwarded-For": "198.51.100.23", "X-Forwarded-Proto": "https"}


def sign_as_rep(client: FlaskClient, agreement: Agreement, headers: dict[str, str]) -> None:
    rep = agreement.rep
    # Every request of the browser comes through the same proxy, its sign-in included.
    credentials = {"email": rep.email, "password": PASSWORD}
    login = client.post("/login", data=credentials, headers=headers)
    assert login.status_code == 302
    form = {"consent": "y", "consent_version": "2026-11-v1", "typed_name": rep.full_name}
    signed = client.post(f"/agreements/{agreement.id}/sign", data=form, headers=headers)
    assert signed.status_code == 302, signed.text


def signer_address(agreement: Agreement) -> str:
    db.session.expire_all()
    (event,) = [e for e in audit.events_of(agreement) if e.action == "signed by rep"]
    return event.ip_address


@pytest.fixture
def behind_one_proxy(database_url: str) -> Iterator[Flask]:
    """The app configured for one reverse proxy, on the test database."""
    proxied = make_test_app(database_url, PROXY_COUNT=1)
    yield proxied
    with proxied.app_context():
        db.engine.dispose()


def test_without_the_setting_a_forwarded_address_is_not_believed(
    client: FlaskClient, make_agreement: Callable[..., Agreement]
) -> None:
    agreement = make_agreement()
    sign_as_rep(client, agreement, FORWARDED)
    assert signer_address(agreement) == "127.0.0.1"  # the proxy (here: the test client)


def test_behind_a_trusted_proxy_the_client_address_is_recorded(
    behind_one_proxy: Flask, make_agreement: Callable[..., Agreement], hr: User
) -> None:
    agreement = make_agreement()
    # A client-written X-Forwarded-For entry is ignored: only the one the proxy appended counts.
    headers = {**FORWARDED, "X-Forwarded-For": "203.0.113.66, 198.51.100.23"}
    sign_as_rep(behind_one_proxy.test_client(), agreement, headers)
    assert signer_address(agreement) == "198.51.100.23"
