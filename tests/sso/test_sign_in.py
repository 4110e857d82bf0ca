"""Signing in through a real OpenID provider: matched by verified email, or refused with why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from app.accounts.models import Role, SignIn, User
from app.accounts.service import organisation
from app.extensions import db
from app.security.models import EventKind, SecurityEvent
from app.web import PASSWORD_AT
from tests.conftest import PASSWORD
from tests.sso.oidc import RunningProvider, sign_in_at_provider


def _person(make_user: Callable[..., User], email: str, *roles: Role, active: bool = True) -> User:
    user = make_user(*roles, active=active)
    user.email = email
    db.session.commit()
    return user


def _back_from_provider(
    client: FlaskClient, sso: RunningProvider, login: str, start: str = "/login/sso"
) -> str:
    """Start at SalesRamp and sign in at the provider: the callback URL it sends back to."""
    response = client.get(start)
    assert response.status_code == 302, response.text
    return sign_in_at_provider(response.location, login, sso.redirect_uri)


def _through_provider(
    client: FlaskClient, sso: RunningProvider, login: str, start: str = "/login/sso"
) -> TestResponse:
    """The whole round trip: SalesRamp's answer to the provider's redirect back."""
    return client.get(_back_from_provider(client, sso, login, start))


def password_entered_at_of(stamp: int) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)


def _events(kind: EventKind) -> list[SecurityEvent]:
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.kind == kind)))


def _signed_in(client: FlaskClient) -> bool:
    return client.get("/account/password").status_code == 200


def test_a_verified_email_signs_in_to_its_account_like_a_password_does(
    client: FlaskClient, sso: RunningProvider, make_user: Callable[..., User]
) -> None:
    ada = _person(make_user, "ada.lovelace@example.com", Role.COACH)

    response = _through_provider(
        client, sso, "ada", start="/login/sso?next=/coaching/notifications"
    )

    assert response.status_code == 302
    assert response.location == "/coaching/notifications"
    assert _signed_in(client)
    sign_ins = db.session.scalars(select(SignIn).where(SignIn.user_id == ada.id)).all()
    assert len(sign_ins) == 1 and sign_ins[0].ended_at is None and not sign_ins[0].remember
    db.session.refresh(ada)
    assert ada.last_login_at is not None
    (event,) = _events(EventKind.SIGN_IN)
    assert event.subject_id == ada.id
    assert event.detail == "single sign-on: Test Identity"


def test_a_single_sign_on_counts_as_a_fresh_sign_in_for_signing_agreements(
    client: FlaskClient, sso: RunningProvider, make_user: Callable[..., User]
) -> None:
    _person(make_user, "ada.lovelace@example.com")
    with client.session_transaction() as before:
        assert PASSWORD_AT not in before

    _through_provider(client, sso, "ada")

    with client.session_transaction() as after:
        assert password_entered_at_of(after[PASSWORD_AT]) > datetime.now(UTC) - timedelta(minutes=1)


def test_signing_out_after_single_sign_on_ends_that_session(
    client: FlaskClient, sso: RunningProvider, make_user: Callable[..., User]
) -> None:
    _person(make_user, "ada.lovelace@example.com")
    _through_provider(client, sso, "ada")

    client.post("/logout")

    assert not _signed_in(client)


def test_an_unverified_email_is_refused_and_says_why(
    client: FlaskClient, sso: RunningProvider, make_user: Callable[..., User]
) -> None:
    uma = _person(make_user, "uma.unverified@example.com")

    response = _through_provider(client, sso, "uma")

    assert response.location == "/login"
    page = client.get("/login").text
    assert "has not verified your email address (uma.unverified@example.com)" in page
    assert not _signed_in(client)
    (event,) = _events(EventKind.SSO_REFUSED)
    assert event.subject_label == "uma.unverified@example.com"
    assert event.detail == "Test Identity: email address not verified"
    assert db.session.scalar(select(func.count(SignIn.id)).where(SignIn.user_id == uma.id)) == 0


def test_a_stranger_is_refused_without_an_account_being_made(
    client: FlaskClient, sso: RunningProvider
) -> None:
    people = db.session.scalar(select(func.count(User.id)))

    _through_provider(client, sso, "sam")

    page = client.get("/login").text
    assert "There is no active SalesRamp account for sam.stranger@example.com" in page
    assert not _signed_in(client)
    assert db.session.scalar(select(func.count(User.id))) == people
    (event,) = _events(EventKind.SSO_REFUSED)
    assert event.detail == "Test Identity: no account with this email address"


def test_a_deactivated_account_is_refused_as_a_stranger_is(
    client: FlaskClient, sso: RunningProvider, make_user: Callable[..., User]
) -> None:
    ada = _person(make_user, "ada.lovelace@example.com", active=False)

    _through_provider(client, sso, "ada")

    assert (
        "There is no active SalesRamp account for ada.lovelace@example.com"
        in client.get("/login").text
    )
    assert not _signed_in(client)
    (event,) = _events(EventKind.SSO_REFUSED)
    assert event.subject_id == ada.id and event.detail == "Test Identity: account deactivated"


def test_a_stranger_gets_an_account_with_the_chosen_role_when_the_admin_allows_it(
    client: FlaskClient, sso: RunningProvider
) -> None:
    org = organisation()
    org.sso_creates_accounts = True
    org.sso_new_account_role = Role.COACH
    db.session.commit()

    response = _through_provider(client, sso, "sam")

    assert response.status_code == 302 and response.location == "/"
    assert _signed_in(client)
    sam = db.session.scalar(select(User).where(User.email == "sam.stranger@example.com"))
    assert sam is not None
    assert sam.full_name == "Sam Stranger" and sam.roles == {Role.COACH} and sam.active
    (created,) = _events(EventKind.PERSON_CREATED)
    assert created.subject_id == sam.id and created.detail == "by single sign-on; roles: coach"
    # The made-up password is nobody's: the password form does not open the account.
    client.post("/logout")
    client.post("/login", data={"email": sam.email, "password": PASSWORD})
    assert not _signed_in(client)


def test_an_identity_without_an_email_is_refused(client: FlaskClient, sso: RunningProvider) -> None:
    _through_provider(client, sso, "nomail")

    assert "did not tell SalesRamp your email address" in client.get("/login").text
    assert not _signed_in(client)


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query)) | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_a_tampered_state_is_refused(
    client: FlaskClient, sso: RunningProvider, make_user: Callable[..., User]
) -> None:
    _person(make_user, "ada.lovelace@example.com")
    back = _back_from_provider(client, sso, "ada")

    response = client.get(_with_query(back, state="forged-by-someone-else"))

    assert response.location == "/login"
    page = client.get("/login").text
    assert "Signing in with Test Identity did not complete" in page
    assert "it was not started in this browser" in page
    assert not _signed_in(client)
    (event,) = _events(EventKind.SSO_REFUSED)
    assert event.detail.startswith("Test Identity: ")


def test_cancelling_at_the_provider_comes_back_to_the_sign_in_page_with_why(
    client: FlaskClient, sso: RunningProvider
) -> None:
    start = client.get("/login/sso")
    back = sign_in_at_provider(start.location, "ada", sso.redirect_uri, cancel=True)

    response = client.get(back)

    assert response.location == "/login"
    page = client.get("/login").text
    assert "Signing in with Test Identity did not complete (access_denied" in page
    assert not _signed_in(client)
    (event,) = _events(EventKind.SSO_REFUSED)
    assert "access_denied" in event.detail


def test_a_callback_used_once_cannot_be_replayed(
    client: FlaskClient, sso: RunningProvider, make_user: Callable[..., User]
) -> None:
    """The state is spent by its first use: a copied callback URL signs nobody in again."""
    _person(make_user, "ada.lovelace@example.com")
    back = _back_from_provider(client, sso, "ada")
    assert client.get(back).location == "/"
    client.post("/logout")

    response = client.get(back)

    assert response.location == "/login"
    assert not _signed_in(client)


def test_a_callback_from_another_browser_signs_nobody_in(
    app, client: FlaskClient, sso: RunningProvider, make_user: Callable[..., User]
) -> None:
    """Login CSRF: a victim's browser sent an attacker's callback has no state to match."""
    _person(make_user, "ada.lovelace@example.com")
    attacker = app.test_client()
    back = sign_in_at_provider(attacker.get("/login/sso").location, "ada", sso.redirect_uri)

    response = client.get(back)

    assert response.location == "/login"
    assert not _signed_in(client)


def test_the_provider_must_be_the_configured_issuer(
    app, client: FlaskClient, sso: RunningProvider
) -> None:
    """Discovery fetched from an address that is not the issuer it names is not trusted."""
    other_name = sso.issuer.replace("127.0.0.1", "localhost")
    app.config["OIDC_ISSUER"] = other_name
    app.extensions.pop("salesramp.sso")
    from app.sso.provider import init_sso

    init_sso(app)

    response = client.get("/login/sso")

    assert response.location == "/login"
    assert "did not complete" in client.get("/login").text


def test_the_sign_in_page_offers_single_sign_on_only_when_configured(
    app, client: FlaskClient, provider: RunningProvider
) -> None:
    assert "Sign in with" not in client.get("/login").text
    assert client.get("/login/sso").status_code == 404

    app.config.update(provider.app_config(name="Northwind Okta"))
    from app.sso.provider import init_sso

    init_sso(app)
    try:
        assert "Sign in with Northwind Okta" in client.get("/login").text
    finally:
        app.extensions.pop("salesramp.sso", None)
        app.extensions.pop("authlib.integrations.flask_client", None)
