"""The ID token is believed only when valid: signed by the provider's keys, for our client, with
our nonce. A real token from the provider, then tampered with."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from flask import Flask
from joserfc.errors import JoseError

from tests.sso.conftest import CALLBACK
from tests.sso.oidc import CLIENT_ID, CLIENT_SECRET, RunningProvider, sign_in_at_provider

NONCE = "the-nonce-this-sign-in-sent"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def real_token(provider: RunningProvider) -> dict[str, Any]:
    """A token response for Ada, fetched the way SalesRamp fetches one (code, PKCE, secret)."""
    metadata = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=5).json()
    verifier = secrets.token_urlsafe(48)
    query = {
        "client_id": CLIENT_ID,
        "response_type": "code",
        "scope": "openid email profile",
        "redirect_uri": CALLBACK,
        "state": "some-state",
        "nonce": NONCE,
        "code_challenge": _b64(hashlib.sha256(verifier.encode()).digest()),
        "code_challenge_method": "S256",
    }
    back = sign_in_at_provider(
        f"{metadata['authorization_endpoint']}?{urlencode(query)}", "ada", CALLBACK
    )
    (code,) = parse_qs(urlsplit(back).query)["code"]
    response = requests.post(
        metadata["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
        },
        auth=(CLIENT_ID, CLIENT_SECRET),
        timeout=5,
    )
    assert response.status_code == 200, response.text
    token: dict[str, Any] = response.json()
    return token


def _client(app: Flask) -> Any:
    return app.extensions["salesramp.sso"].create_client("provider")


def _with_claims(id_token: str, **changes: Any) -> str:
    """The same header and signature over a changed payload: what a forger can make."""
    header, payload, signature = id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = _b64(json.dumps(claims | changes).encode())
    return f"{header}.{forged}.{signature}"


def test_a_genuine_id_token_is_accepted(
    app: Flask, sso: RunningProvider, real_token: dict[str, Any]
) -> None:
    claims = _client(app).parse_id_token(real_token, nonce=NONCE)

    assert claims["sub"] == "ada"
    assert claims["iss"] == sso.issuer and claims["aud"] == CLIENT_ID


def test_a_tampered_id_token_fails_its_signature(
    app: Flask, sso: RunningProvider, real_token: dict[str, Any]
) -> None:
    forged = real_token | {"id_token": _with_claims(real_token["id_token"], sub="sam")}

    with pytest.raises(JoseError) as refused:
        _client(app).parse_id_token(forged, nonce=NONCE)
    assert type(refused.value).__name__ == "BadSignatureError"


def test_an_id_token_for_another_sign_in_fails_its_nonce(
    app: Flask, sso: RunningProvider, real_token: dict[str, Any]
) -> None:
    with pytest.raises(JoseError) as refused:
        _client(app).parse_id_token(real_token, nonce="another-sign-in's-nonce")
    assert "nonce" in str(refused.value)


def test_an_id_token_for_another_client_fails_its_audience(
    app: Flask, sso: RunningProvider, real_token: dict[str, Any]
) -> None:
    from app.sso.provider import init_sso

    app.config["OIDC_CLIENT_ID"] = "another-application"
    init_sso(app)

    with pytest.raises(JoseError) as refused:
        _client(app).parse_id_token(real_token, nonce=NONCE)
    # Authlib reports an audience without our client id as a missing authorized party (azp).
    assert "'azp'" in str(refused.value) or "aud" in str(refused.value)
