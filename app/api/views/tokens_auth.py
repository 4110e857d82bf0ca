"""Who is calling the API: a personal token in ``Authorization: Bearer``, and nothing else.

Session cookies are not read here, so a signed-in browser's cookies open nothing under
/api/v1 (and no other site's page can make a browser send a bearer token: no CSRF). The
OpenAPI document and its docs page are public. Throttling counts per token (per client
address when there is none), before the token is looked up, so guessing is throttled too.
"""

from __future__ import annotations

import hashlib

from flask import g, request
from flask_limiter.util import get_remote_address

from app.api import service as api
from app.api.views.problems import ApiProblem
from app.security import service as security
from app.security.models import EventKind

PUBLIC = {"api.openapi", "api.docs"}
CHALLENGE = 'Bearer realm="SalesRamp API"'


def presented_token() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def rate_limit_key() -> str:
    """Flask-Limiter's key: a hash of the token presented, else the client's address."""
    token = presented_token()
    if token is None:
        return f"api-address:{get_remote_address()}"
    return "api-token:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def authenticate_request() -> None:
    """Before every API view: the token's owner acts, or the answer is 401."""
    if request.endpoint in PUBLIC or request.method == "OPTIONS":  # OPTIONS: the methods only
        return
    secret = presented_token()
    if secret is None:
        raise ApiProblem(
            401,
            "Send a personal API token: Authorization: Bearer <token> (make one on your "
            "account page, under API tokens).",
            {"WWW-Authenticate": CHALLENGE},
        )
    try:
        g.api_token = api.authenticate(secret)
    except api.TokenRefused as refused:
        owner = refused.token.user if refused.token is not None else None
        security.record_refusal(
            EventKind.API_TOKEN_REFUSED,
            subject=owner,
            detail=f"{request.method} {request.path}: {refused.reason}",
        )
        raise ApiProblem(
            401,
            "This token is not valid: it is unknown, expired or revoked, or its owner's "
            "account is deactivated.",
            {"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'},
        ) from None
