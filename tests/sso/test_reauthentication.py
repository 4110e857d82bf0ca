"""Signing an agreement after single sign-on: a stale sign-in is renewed at the provider
(``prompt=login``, ``max_age=0``), and only a fresh ``auth_time`` for the same person counts."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from app.accounts.models import Role, User
from app.agreements import service as agreements
from app.agreements.models import Agreement
from app.extensions import db
from app.web import PASSWORD_AT
from tests.agreements.conftest import EVIDENCE, VALUES
from tests.conftest import PASSWORD, create_user
from tests.sso.oidc import RunningProvider, sign_in_at_provider

ADA = "ada.lovelace@example.com"
LONG_AGO = 3600  # seconds: far beyond SALESRAMP_REAUTH_MINUTES


@pytest.fixture
def agreement(make_rep: Callable[..., User]) -> Agreement:
    """An agreement sent to Ada, a rep whose provider account is ``ada``."""
    rep = make_rep(name="Ada Lovelace")
    rep.email = ADA
    hr = create_user(Role.HR)
    template = "performance-improvement"
    sent = agreements.send(
        hr, agreements.create_draft(hr, rep, template, VALUES[template], EVIDENCE), EVIDENCE
    )
    db.session.commit()
    return sent


def _through_provider(client: FlaskClient, sso: RunningProvider, login: str, start: str) -> str:
    """Start at ``start`` on SalesRamp, sign in at the provider: the callback URL."""
    response = client.get(start)
    assert response.status_code == 302, response.text
    return sign_in_at_provider(response.location, login, sso.redirect_uri)


def _signed_in_with_sso_long_ago(client: FlaskClient, sso: RunningProvider) -> None:
    client.get(_through_provider(client, sso, "ada", "/login/sso"))
    with client.session_transaction() as session:
        session[PASSWORD_AT] = int(time.time()) - LONG_AGO


def _password_at(client: FlaskClient) -> int:
    with client.session_transaction() as session:
        return int(session[PASSWORD_AT])


def test_a_stale_single_sign_on_is_renewed_at_the_provider_then_signing_goes_on(
    client: FlaskClient, sso: RunningProvider, agreement: Agreement
) -> None:
    _signed_in_with_sso_long_ago(client, sso)
    sign_page = f"/agreements/{agreement.id}/sign"

    page = client.get(sign_page)
    assert page.status_code == 302
    assert page.location == f"/login/sso/confirm?next=/agreements/{agreement.id}/sign"
    to_provider = client.get(page.location)
    asked = parse_qs(urlsplit(to_provider.location).query)
    assert asked["prompt"] == ["login"] and asked["max_age"] == ["0"]

    callback = sign_in_at_provider(to_provider.location, "ada", sso.redirect_uri)
    back = client.get(callback)

    assert back.status_code == 302 and back.location == sign_page
    assert _password_at(client) > time.time() - 60  # marked freshly authenticated
    shown = client.get(sign_page)
    assert shown.status_code == 200
    assert 'name="password"' not in shown.text  # nobody asks for a password they may not have


def test_an_auth_time_older_than_the_request_is_refused(
    client: FlaskClient, sso: RunningProvider, agreement: Agreement
) -> None:
    """A provider that did not make the person sign in again answers with the auth_time of an
    earlier sign-in: here the request is dated after the provider's sign-in, as it then is."""
    _signed_in_with_sso_long_ago(client, sso)
    sign_page = f"/agreements/{agreement.id}/sign"
    start = client.get(sign_page).location
    callback = _through_provider(client, sso, "ada", start)
    with client.session_transaction() as session:
        session["sso_reauth"] = {**session["sso_reauth"], "at": int(time.time()) + 600}

    back = client.get(callback, follow_redirects=True)

    assert back.request.path == sign_page  # the page says why, once, with a way to try again
    assert "did not ask you to sign in again" in back.text
    assert 'href="/login/sso/confirm?next=/agreements/' in back.text
    assert _password_at(client) < time.time() - LONG_AGO + 60  # still stale
    assert client.get(sign_page).status_code == 302  # so signing still asks for it


def test_signing_in_at_the_provider_as_someone_else_is_refused(
    client: FlaskClient, sso: RunningProvider, agreement: Agreement, make_user
) -> None:
    stranger = make_user(Role.REP)
    stranger.email = "sam.stranger@example.com"
    db.session.commit()
    _signed_in_with_sso_long_ago(client, sso)
    start = client.get(f"/agreements/{agreement.id}/sign").location

    back = client.get(_through_provider(client, sso, "sam", start), follow_redirects=True)

    assert "You signed in at Test Identity as sam.stranger@example.com" in back.text
    assert _password_at(client) < time.time() - LONG_AGO + 60


def test_a_person_who_signed_in_with_a_password_is_still_asked_for_it(
    client: FlaskClient, sso: RunningProvider, agreement: Agreement
) -> None:
    client.post("/login", data={"email": ADA, "password": PASSWORD})
    with client.session_transaction() as session:
        session[PASSWORD_AT] = int(time.time()) - LONG_AGO

    page = client.get(f"/agreements/{agreement.id}/sign")

    assert page.status_code == 200 and 'name="password"' in page.text
