"""The organisation's OpenID provider, as Authlib's Flask client talks to it.

Registered per app from ``SALESRAMP_OIDC_*`` (nothing when no issuer is set): the provider's
endpoints and keys come from its discovery document; the authorization code flow runs with
PKCE (S256), and Authlib keeps the state, nonce and code verifier in the session between the
redirect and the callback. ``finish`` checks the state, exchanges the code, validates the ID
token (signature against the provider's keys, issuer, audience, expiry, nonce) and returns
what it says about the person; any failure is one ``SignOnFailed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from app.sso import service
from app.sso.service import Identity

_EXTENSION = "salesramp.sso"
_CLIENT = "provider"
TIMEOUT_SECONDS = 10  # a provider that does not answer must not hold a web worker for long


class SignOnFailed(Exception):
    """The sign-in did not complete: a forged or expired state, the provider's refusal, an
    ID token that does not validate, or a provider that cannot be reached."""


@dataclass(frozen=True)
class SignInOffer:
    """What the sign-in page says about single sign-on."""

    name: str
    available: bool  # configured on this server: the button is shown
    required: bool  # passwords are for the break-glass admin only


def sign_in_offer() -> SignInOffer | None:
    """The sign-in page's single sign-on section, or None when there is nothing to say."""
    available = configured()
    required = service.password_sign_in_closed()
    if not (available or required):
        return None
    return SignInOffer(display_name(), available, required)


def init_sso(app: Flask) -> None:
    """Register the provider's client on ``app`` when an issuer is configured."""
    app.jinja_env.globals["single_sign_on"] = sign_in_offer
    issuer = (app.config.get("OIDC_ISSUER") or "").rstrip("/")
    if not issuer:
        return
    oauth = OAuth(app)
    oauth.register(
        _CLIENT,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": "openid email profile",
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT_SECONDS,
        },
    )
    app.extensions[_EXTENSION] = oauth


def configured(app: Flask | None = None) -> bool:
    return _EXTENSION in (app or current_app).extensions


def display_name() -> str:
    return str(current_app.config.get("OIDC_NAME") or "single sign-on")


def start(redirect_uri: str, *, reauthenticate: bool = False) -> Response:
    """The redirect to the provider's authorization endpoint (state, nonce, PKCE challenge).

    ``reauthenticate``: the person is signed in here already and must prove it is them again
    (to sign an agreement): ``prompt=login`` and ``max_age=0`` ask the provider to make them
    sign in afresh whatever session it has, and to say when in the ID token's ``auth_time``.
    """
    client = _client()
    extra = {"prompt": "login", "max_age": 0} if reauthenticate else {}
    try:
        _check_issuer(client)
        response: Response = client.authorize_redirect(redirect_uri, **extra)
    except (AuthlibBaseError, JoseError, requests.RequestException, ValueError) as error:
        raise SignOnFailed(f"the provider could not be reached: {_short(error)}") from error
    return response


def finish() -> Identity:
    """Complete the flow from the callback's request; what the validated ID token says."""
    client = _client()
    try:
        token = client.authorize_access_token()
        claims: dict[str, Any] | None = token.get("userinfo")  # the validated ID token's claims
        if not claims:
            raise SignOnFailed("the provider returned no ID token")
        if "email" not in claims:  # many providers give the email on the userinfo endpoint only
            extra = client.userinfo(token=token)
            if extra.get("sub") != claims.get("sub"):
                raise SignOnFailed("the userinfo endpoint described someone else")
            claims = {**extra, **claims}
    except MismatchingStateError as error:
        raise SignOnFailed("it was not started in this browser, or was started long ago") from error
    except (AuthlibBaseError, JoseError, requests.RequestException, ValueError) as error:
        raise SignOnFailed(_short(error)) from error
    return Identity(
        subject=str(claims.get("sub") or ""),
        email=str(claims.get("email") or "").strip().lower() or None,
        # A JSON boolean, as the standard says; some providers send the string "true".
        email_verified=claims.get("email_verified") in (True, "true"),
        name=str(claims.get("name") or "").strip(),
        authenticated_at=_moment(claims.get("auth_time")),
    )


def _moment(value: Any) -> datetime | None:
    """``auth_time`` (seconds since the epoch) as naive UTC; None when absent or malformed."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return datetime.fromtimestamp(value, UTC).replace(tzinfo=None)


def _check_issuer(client: Any) -> None:
    """The discovery document must name the issuer it was fetched from (OpenID Discovery 4.3)."""
    metadata = client.load_server_metadata()
    expected = (current_app.config.get("OIDC_ISSUER") or "").rstrip("/")
    if str(metadata.get("issuer", "")).rstrip("/") != expected:
        raise ValueError(f"the discovery document names issuer {metadata.get('issuer')!r}")


def _client() -> Any:
    return current_app.extensions[_EXTENSION].create_client(_CLIENT)


def _short(error: Exception) -> str:
    return (str(error) or type(error).__name__)[:200]
