"""Forgot password: a single-use emailed link that expires, the same answer for any address,
throttled, and a reset that ends every other session of the person."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from app.accounts import resets
from app.accounts.models import PasswordReset, Role, User
from app.errors import Conflict, Invalid
from app.extensions import db
from app.mail import OutboundMail
from app.security.models import EventKind, SecurityEvent
from tests.conftest import PASSWORD
from tests.smtp import SmtpTestServer

NEW_PASSWORD = "marmalade kettle horizon"
FORGOT = "/password/forgot"


def _link_in(message: EmailMessage) -> str:
    """The reset link's path, as the plain text part gives it."""
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    [link] = re.findall(r"http://\S+/password/reset/\S+", text.get_content())
    return urlsplit(link).path


def _ask(client: FlaskClient, email: str) -> str:
    response = client.post(FORGOT, data={"email": email}, follow_redirects=True)
    assert response.status_code == 200
    return response.text


def _events(kind: EventKind) -> list[SecurityEvent]:
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.kind == kind)))


def test_the_emailed_link_sets_a_new_password_once_and_ends_other_sessions(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    smtp_server: SmtpTestServer,
) -> None:
    user = make_user(Role.REP, name="Robin Reset")
    elsewhere = app.test_client()  # the person's other device, still signed in
    assert (
        elsewhere.post("/login", data={"email": user.email, "password": PASSWORD}).status_code
        == 302
    )
    assert elsewhere.get("/account/password").status_code == 200

    page = _ask(client, user.email)
    assert f"If {user.email} belongs to an account here" in page
    [message] = smtp_server.messages
    assert message["To"].addresses[0].addr_spec == user.email
    assert message["Subject"] == "Reset your SalesRamp password"
    link = _link_in(message)

    form = client.get(link)
    assert form.status_code == 200
    assert user.email in form.text
    done = client.post(link, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.location.endswith("/login")

    assert elsewhere.get("/account/password").status_code == 302  # signed out there
    assert (
        client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    )
    signed = client.post("/login", data={"email": user.email, "password": NEW_PASSWORD})
    assert signed.status_code == 302
    client.post("/logout")
    again = client.get(link)
    assert again.status_code == 409  # used: the link cannot set a password twice
    assert "already used" in again.text
    [reset_event] = _events(EventKind.PASSWORD_RESET)
    assert reset_event.subject_id == user.id
    assert reset_event.detail == "through an emailed link"


def test_unknown_and_deactivated_addresses_get_the_same_answer_and_no_email(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    smtp_server: SmtpTestServer,
) -> None:
    left = make_user(Role.REP, active=False)
    for email in ("nobody@example.com", left.email):
        page = _ask(client, email)
        assert f"If {email} belongs to an account here, an email with a link" in page
    assert smtp_server.messages == []
    assert db.session.scalars(select(OutboundMail)).all() == []
    assert db.session.scalars(select(PasswordReset)).all() == []
    details = sorted(e.detail for e in _events(EventKind.PASSWORD_RESET_REQUESTED))
    assert details == ["account deactivated: no email sent", "no such account: no email sent"]


def test_a_link_expires_after_thirty_minutes(app: Flask, make_user: Callable[..., User]) -> None:
    user = make_user()
    token = _request_token(user)
    reset = db.session.scalar(select(PasswordReset))
    assert reset is not None
    assert reset.expires_at - reset.created_at == timedelta(minutes=30)
    assert reset.token_hash != token  # only a hash is stored
    assert resets.person_for(token, now=reset.created_at + timedelta(minutes=29)) == user
    with pytest.raises(Invalid):
        resets.person_for(token, now=reset.created_at + timedelta(minutes=30))
    with pytest.raises(Invalid):
        resets.reset_password(token, NEW_PASSWORD, now=reset.expires_at + timedelta(seconds=1))


def test_an_expired_or_unknown_link_says_so_and_offers_a_new_one(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    token = _request_token(make_user())
    db.session.execute(update(PasswordReset).values(expires_at=PasswordReset.created_at))
    db.session.commit()
    for url in (f"/password/reset/{token}", "/password/reset/not-a-token"):
        response = client.get(url)
        assert response.status_code == 404
        assert "has expired" in response.text
        assert FORGOT in response.text
        refused = client.post(url, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        assert refused.status_code == 404


def test_only_the_newest_link_works(app: Flask, make_user: Callable[..., User]) -> None:
    user = make_user()
    first = _request_token(user)
    second = _request_token(user)
    with pytest.raises(Invalid):
        resets.person_for(first)
    assert resets.person_for(second) == user


def test_a_weak_new_password_is_refused_next_to_the_field_and_the_link_still_works(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    token = _request_token(user)
    url = f"/password/reset/{token}"
    weak = client.post(url, data={"new_password": "password1", "confirm": "password1"})
    assert weak.status_code == 200
    assert 'id="new_password-error"' in weak.text
    assert "too easy to guess" in weak.text
    differ = client.post(url, data={"new_password": NEW_PASSWORD, "confirm": "something else"})
    assert "The passwords differ." in differ.text
    assert (
        client.post(url, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
        == 302
    )


def test_a_link_used_twice_at_once_changes_the_password_once(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user()
    token = _request_token(user)
    resets.reset_password(token, NEW_PASSWORD)
    db.session.commit()
    with pytest.raises(Conflict):
        resets.reset_password(token, "another long passphrase here")
    assert len(_events(EventKind.PASSWORD_RESET)) == 1


def test_requests_are_throttled_per_account(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PASSWORD_RESET_LIMIT_PER_ACCOUNT", "2/hour")
    user = make_user()
    for _ in range(2):
        assert client.post(FORGOT, data={"email": user.email}).status_code == 302
    refused = client.post(FORGOT, data={"email": user.email.upper()})  # the same account
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.text
    assert "Retry-After" in refused.headers
    assert len(db.session.scalars(select(OutboundMail)).all()) == 2
    # An unknown address is counted the same way, so the limit tells nothing either.
    for _ in range(2):
        assert client.post(FORGOT, data={"email": "ghost@example.com"}).status_code == 302
    assert client.post(FORGOT, data={"email": "ghost@example.com"}).status_code == 429


def test_requests_are_throttled_per_client_address(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PASSWORD_RESET_LIMIT_PER_ADDRESS", "3/hour")
    for number in range(3):
        assert client.post(FORGOT, data={"email": f"x{number}@example.com"}).status_code == 302
    assert client.post(FORGOT, data={"email": "x9@example.com"}).status_code == 429


def test_the_sign_in_page_links_to_the_forgot_password_page(client: FlaskClient) -> None:
    page = client.get("/login")
    assert f'href="{FORGOT}"' in page.text
    form = client.get(FORGOT)
    assert form.status_code == 200
    assert 'autocomplete="email"' in form.text


def _request_token(user: User) -> str:
    """Ask for a link as the form does and read the token from the queued email."""
    resets.request_reset(user.email)
    db.session.commit()
    mail = db.session.scalars(select(OutboundMail).order_by(OutboundMail.id.desc())).first()
    assert mail is not None
    [token] = re.findall(r"/password/reset/([\w-]+)", mail.text_body)
    return token
