"""Personal tokens: made and revoked on the account page, shown once, stored hashed, and
refused when revoked, expired or their owner deactivated; bearer only, throttled, logged."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import Role, User
from app.api import service
from app.api.models import ApiToken
from app.extensions import db
from app.security.models import EventKind, SecurityEvent
from tests.api.conftest import bearer, make_token_for
from tests.conftest import create_user


def _events(kind: EventKind) -> list[SecurityEvent]:
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.kind == kind)))


def _token(secret: str) -> ApiToken:
    digest = hashlib.sha256(secret.encode()).hexdigest()
    return db.session.scalars(select(ApiToken).where(ApiToken.token_hash == digest)).one()


@pytest.fixture
def rep(app: Flask) -> User:
    return create_user(Role.REP, name="Avery Quinlan")


def test_a_token_opens_the_api_as_its_owner_and_only_its_hash_is_kept(
    rep: User, client: FlaskClient
) -> None:
    secret = make_token_for(rep, name="Nightly report")
    assert re.fullmatch(r"srp_[A-Za-z0-9_-]{43}", secret)
    stored = _token(secret)
    assert stored.prefix == secret[:12] and secret not in repr(vars(stored))
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 200 and response.json["id"] == rep.id
    assert response.headers["Cache-Control"] == "no-store"
    (created,) = _events(EventKind.API_TOKEN_CREATED)
    assert created.actor_id == rep.id and "Nightly report" in created.detail
    assert secret not in created.detail


def test_last_use_is_written_at_most_once_a_minute(rep: User, client: FlaskClient) -> None:
    secret = make_token_for(rep)
    assert _token(secret).last_used_at is None
    client.get("/api/v1/me", headers=bearer(secret))
    db.session.expire_all()
    first = _token(secret).last_used_at
    assert first is not None
    client.get("/api/v1/me", headers=bearer(secret))
    db.session.expire_all()
    assert _token(secret).last_used_at == first


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer "}],
    ids=["none", "basic", "empty"],
)
def test_without_a_bearer_token_the_answer_is_401(
    rep: User, client: FlaskClient, headers: dict[str, str]
) -> None:
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "API tokens" in response.json["detail"]


def test_a_session_cookie_opens_nothing(rep: User, client: FlaskClient, login: object) -> None:
    login(rep)  # type: ignore[operator]
    assert client.get("/account/tokens").status_code == 200
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.content_type == "application/problem+json"


def _refused(client: FlaskClient, secret: str) -> None:
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_revoked_expired_unknown_and_leavers_tokens_are_refused_and_logged(
    rep: User, client: FlaskClient
) -> None:
    revoked, expired, leavers = (make_token_for(rep) for _ in range(3))
    service.revoke_token(rep, _token(revoked).id)
    _token(expired).expires_at = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1)
    db.session.commit()
    _refused(client, revoked)
    _refused(client, expired)
    _refused(client, "srp_" + "x" * 43)
    assert client.get("/api/v1/me", headers=bearer(leavers)).status_code == 200
    rep.active = False
    db.session.commit()
    _refused(client, leavers)
    details = [event.detail for event in _events(EventKind.API_TOKEN_REFUSED)]
    assert len(details) == 4
    assert any("revoked" in d for d in details) and any("expired" in d for d in details)
    assert any("unknown" in d for d in details) and any("deactivated" in d for d in details)


def test_the_api_is_throttled_per_token_with_a_problem(
    rep: User, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, app: Flask
) -> None:
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "2/minute")
    secret = make_token_for(rep)
    for _ in range(2):
        assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 429
    assert response.content_type == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    other = make_token_for(create_user(Role.REP))
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200


# --- the account page and the admins' list ---------------------------------------------------


def test_the_account_page_makes_a_token_and_shows_it_once(
    rep: User, client: FlaskClient, login: object
) -> None:
    login(rep)  # type: ignore[operator]
    key = "k" * 40
    expiry = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    form = {"name": "HubSpot sync", "expires_on": expiry, "submission_key": key}
    page = client.post("/account/tokens", data=form).get_data(as_text=True)
    (secret,) = re.findall(r'value="(srp_[^"]+)"', page)
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    again = client.post("/account/tokens", data=form).get_data(as_text=True)
    assert "srp_" + secret[4:] not in again and "sent already" in again
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in listing and secret[:12] in listing and "HubSpot sync" in listing
    assert db.session.scalar(select(db.func.count(ApiToken.id))) == 1
    assert _token(secret).expires_at == datetime.fromisoformat(expiry)


@pytest.mark.parametrize(
    ("name", "days", "message"),
    [("", 5, "Name the token."), ("Sync", 0, "after today"), ("Sync", 400, "within 366 days")],
)
def test_a_refused_token_form_says_why_by_the_field(
    rep: User, client: FlaskClient, login: object, name: str, days: int, message: str
) -> None:
    login(rep)  # type: ignore[operator]
    expiry = (datetime.now(UTC).date() + timedelta(days=days)).isoformat()
    response = client.post("/account/tokens", data={"name": name, "expires_on": expiry})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(ApiToken.id))) == 0


def test_revoking_on_the_page_and_nobody_elses(
    rep: User, client: FlaskClient, login: object
) -> None:
    own, others = make_token_for(rep), make_token_for(create_user(Role.REP))
    login(rep)  # type: ignore[operator]
    response = client.post(f"/account/tokens/{_token(own).id}/revoke")
    assert response.status_code == 303
    assert client.post(f"/account/tokens/{_token(others).id}/revoke").status_code == 403
    db.session.expire_all()
    assert _token(own).revoked_at is not None and _token(others).revoked_at is None
    (revoked,) = _events(EventKind.API_TOKEN_REVOKED)
    assert revoked.actor_id == rep.id


def test_admins_see_and_revoke_everyones_tokens(
    rep: User, client: FlaskClient, login: object
) -> None:
    secret = make_token_for(rep, name="Reps script")
    admin = create_user(Role.ADMIN, name="Alex Admin")
    login(admin)  # type: ignore[operator]
    page = client.get("/admin/api-tokens").get_data(as_text=True)
    assert "Avery Quinlan" in page and "Reps script" in page and secret not in page
    response = client.post(f"/account/tokens/{_token(secret).id}/revoke", data={"from": "admin"})
    assert response.status_code == 303 and response.location.endswith("/admin/api-tokens")
    _refused(client, secret)
    db.session.expire_all()
    assert _token(secret).revoked_by_id == admin.id
