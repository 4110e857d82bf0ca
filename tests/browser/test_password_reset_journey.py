"""Forgot password in headless Chromium: the form, the email the SMTP server received, its
link, the new password; then the old password is refused and the new one works."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from app.accounts.models import Role, User
from tests.browser.test_ramp_journey import UNLABELLED_CONTROLS, follow, press_enter
from tests.conftest import PASSWORD
from tests.smtp import SmtpTestServer

pytestmark = pytest.mark.browser

NEW_PASSWORD = "lantern orchard tuesday"


class _Links(HTMLParser):
    """The links of the email's HTML part, as a mail client would offer them."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_data(self, data: str) -> None:
        if self._href and data.strip():
            self.links.append((data.strip(), self._href))
            self._href = None


def _sign_in(browser: WebDriver, base_url: str, email: str, password: str) -> None:
    browser.get(f"{base_url}/login")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    press_enter(browser, browser.find_element(By.ID, "password"))


def test_forgot_password_by_email_then_sign_in_with_the_new_password(
    smtp_server: SmtpTestServer,
    browser: WebDriver,
    live_server: str,
    make_user: Callable[..., User],
) -> None:
    rep = make_user(Role.REP, name="Jordan Forgetful")
    email = rep.email

    browser.get(f"{live_server}/login")
    follow(browser, browser.find_element(By.LINK_TEXT, "Forgot your password?"))
    assert browser.execute_script(UNLABELLED_CONTROLS) == []
    browser.find_element(By.ID, "email").send_keys(email)
    press_enter(browser, browser.find_element(By.ID, "email"))
    assert browser.current_url == f"{live_server}/login"
    assert (
        f"If {email} belongs to an account here" in browser.find_element(By.TAG_NAME, "main").text
    )

    [message] = smtp_server.messages
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    parser = _Links()
    parser.feed(html.get_content())
    [link] = [href for text, href in parser.links if text == "Choose a new password"]
    assert link.startswith(f"{live_server}/password/reset/")

    browser.get(link)
    assert browser.find_element(By.ID, "account-email").get_attribute("value") == email
    assert browser.execute_script(UNLABELLED_CONTROLS) == []
    browser.find_element(By.ID, "new_password").send_keys(NEW_PASSWORD)
    browser.find_element(By.ID, "confirm").send_keys(NEW_PASSWORD)
    press_enter(browser, browser.find_element(By.ID, "confirm"))
    assert browser.current_url == f"{live_server}/login"
    assert "Your password is changed" in browser.find_element(By.TAG_NAME, "main").text

    _sign_in(browser, live_server, email, PASSWORD)
    assert browser.current_url.startswith(f"{live_server}/login")  # the old one is refused
    assert "Email or password is not right" in browser.find_element(By.TAG_NAME, "main").text

    _sign_in(browser, live_server, email, NEW_PASSWORD)
    assert not browser.current_url.startswith(f"{live_server}/login")
    assert "Jordan Forgetful" in browser.find_element(By.TAG_NAME, "body").text

    browser.get(link)  # the link worked once
    assert "already used" in browser.find_element(By.TAG_NAME, "main").text
