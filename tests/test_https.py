"""Behind HTTPS: ``SALESRAMP_HTTPS=1`` makes the cookies Secure and adds HSTS; off by default."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.accounts.models import Role, User, UserRole
from app.config import read_settings
from app.extensions import db
from tests.conftest import PASSWORD, make_test_app, password_hash


def test_the_settings_come_from_the_environment(tmp_path: Path) -> None:
    plain = read_settings(tmp_path, {"SALESRAMP_SECRET_KEY": "x"})
    assert (plain.https, plain.proxy_count) == (False, 0)
    assert plain.session_idle_minutes == 30 and plain.session_max_hours == 12
    env = {
        "SALESRAMP_SECRET_KEY": "x",
        "SALESRAMP_HTTPS": "1",
        "SALESRAMP_PROXY_COUNT": "2",
        "SALESRAMP_SESSION_IDLE_MINUTES": "15",
        "SALESRAMP_SESSION_MAX_HOURS": "8",
        "SALESRAMP_REMEMBER_IDLE_DAYS": "3",
        "SALESRAMP_REMEMBER_MAX_DAYS": "9999",
    }
    settings = read_settings(tmp_path, env)
    assert (settings.https, settings.proxy_count) == (True, 2)
    assert (settings.session_idle_minutes, settings.session_max_hours) == (15, 8)
    assert (settings.remember_idle_days, settings.remember_max_days) == (3, 365)  # capped
    config = settings.as_flask_config()
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]


def _app_with_a_person(tmp_path: Path, name: str) -> Flask:
    app = make_test_app(f"sqlite:///{tmp_path / name}")
    with app.app_context():
        db.create_all()
        db.session.add(
            User(
                email="rep@example.com",
                full_name="Remy Rep",
                password_hash=password_hash(),
                role_rows=[UserRole(role=Role.REP)],
            )
        )
        db.session.commit()
    return app


def _signing_in(app: Flask) -> tuple[list[str], str | None]:
    """The session and remember cookies a "keep me signed in" sign-in sets, and its HSTS."""
    client = app.test_client()
    data = {"email": "rep@example.com", "password": PASSWORD, "remember": "y"}
    response = client.post("/login", data=data, base_url="https://localhost")
    assert response.status_code == 302
    with app.app_context():
        db.engine.dispose()
    cookies = [
        header
        for header in response.headers.getlist("Set-Cookie")
        if header.startswith(("session=", "remember_token="))
    ]
    assert len(cookies) == 2
    return cookies, response.headers.get("Strict-Transport-Security")


def test_https_makes_the_cookies_secure_and_adds_hsts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SALESRAMP_HTTPS", "1")
    cookies, hsts = _signing_in(_app_with_a_person(tmp_path, "https.sqlite3"))
    assert all("; Secure" in cookie and "; HttpOnly" in cookie for cookie in cookies)
    assert hsts == "max-age=31536000; includeSubDomains"


def test_without_https_nothing_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SALESRAMP_HTTPS", raising=False)
    cookies, hsts = _signing_in(_app_with_a_person(tmp_path, "http.sqlite3"))
    assert not any("Secure" in cookie for cookie in cookies)
    assert hsts is None
