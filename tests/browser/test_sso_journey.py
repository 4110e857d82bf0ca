"""Single sign-on in headless Chromium: the sign-in page, the provider's own login page (a real
OpenID provider on 127.0.0.1), and back in SalesRamp, signed in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from app.accounts.models import Role, User
from app.extensions import db
from tests.browser.test_ramp_journey import flash, follow
from tests.sso.oidc import CLIENT_ID, CLIENT_SECRET, free_port, run_provider

pytestmark = pytest.mark.browser


@pytest.fixture
def provider_port() -> int:
    """Chosen before the app is served: the app names its provider, which starts later (its
    client's redirect address needs the served app's port)."""
    return free_port()


@pytest.fixture
def live_settings(provider_port: int) -> dict[str, Any]:
    return {
        "OIDC_ISSUER": f"http://127.0.0.1:{provider_port}",
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_NAME": "Northwind Identity",
    }


def test_a_coach_signs_in_through_the_provider_and_lands_signed_in(
    browser: WebDriver,
    live_server: str,
    provider_port: int,
    make_user: Callable[..., User],
    tmp_path: Path,
) -> None:
    coach = make_user(Role.COACH, name="Ada Lovelace")
    coach.email = "ada.lovelace@example.com"
    db.session.commit()
    callback = f"{live_server}/login/sso/callback"

    with run_provider(callback, tmp_path, port=provider_port) as provider:
        browser.get(f"{live_server}/coaching/notifications")  # asks to sign in first
        follow(browser, browser.find_element(By.LINK_TEXT, "Sign in with Northwind Identity"))

        assert browser.current_url.startswith(provider.issuer)  # the provider's own page
        browser.find_element(By.NAME, "login").send_keys("ada")
        browser.find_element(By.NAME, "password").send_keys("anything")
        follow(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit]"))

        assert browser.current_url == f"{live_server}/coaching/notifications"
        assert "Ada Lovelace" in browser.find_element(By.TAG_NAME, "nav").text
        assert browser.find_element(By.TAG_NAME, "h1").text == "Notifications"


def test_a_person_the_provider_has_not_verified_is_told_why_on_the_sign_in_page(
    browser: WebDriver, live_server: str, provider_port: int, tmp_path: Path
) -> None:
    with run_provider(f"{live_server}/login/sso/callback", tmp_path, port=provider_port):
        browser.get(f"{live_server}/login")
        follow(browser, browser.find_element(By.LINK_TEXT, "Sign in with Northwind Identity"))
        browser.find_element(By.NAME, "login").send_keys("uma")
        browser.find_element(By.NAME, "password").send_keys("anything")
        follow(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit]"))

        assert browser.current_url == f"{live_server}/login"
        assert "has not verified your email address" in flash(browser)
