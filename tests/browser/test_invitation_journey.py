"""An admin adds a rep in Chromium; the invitation arrives at a real SMTP server; its link sets
the password and signs the new rep in, once."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.wait import WebDriverWait

from app.accounts.models import Role
from tests.browser.test_ramp_journey import WAIT_SECONDS, follow, sign_in, sign_out

pytestmark = pytest.mark.browser

LINK = re.compile(r"http://127\.0\.0\.1:\d+/invitation/[A-Za-z0-9_-]+")
PASSPHRASE = "violet lantern harbour"


def invitation_link(smtp_server, address: str) -> str:
    """The link in the invitation the SMTP server received for ``address`` (sent by the job)."""

    def received(_browser: object) -> str | None:
        for message in smtp_server.messages:
            if address in message["To"]:
                body = message.get_body(("plain",)).get_content()
                found = LINK.search(body)
                return found.group(0) if found else None
        return None

    return WebDriverWait(None, WAIT_SECONDS).until(received, "no invitation email arrived")


def test_an_invited_rep_sets_a_password_once(
    browser, live_server, smtp_server, make_user, make_team, curriculum
):
    admin = make_user(Role.ADMIN, name="Alex Admin")
    make_team("Team North")
    sign_in(browser, live_server, admin)
    browser.get(f"{live_server}/admin/people/new")
    browser.find_element(By.ID, "full_name").send_keys("Nina Rossi")
    browser.find_element(By.ID, "email").send_keys("nina.rossi@example.com")
    browser.find_element(By.ID, "job_title").send_keys("Sales Development Representative")
    browser.find_element(By.ID, "roles-rep").click()
    follow(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "/assign" in browser.current_url  # a rep's plan comes next, as before
    assert "Nina Rossi is invited" in browser.page_source
    sign_out(browser)

    link = invitation_link(smtp_server, "nina.rossi@example.com")
    browser.get(link)
    assert "Welcome, Nina" in browser.page_source
    browser.find_element(By.ID, "password").send_keys(PASSPHRASE)
    browser.find_element(By.ID, "confirm").send_keys(PASSPHRASE)
    follow(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    WebDriverWait(browser, WAIT_SECONDS).until(EC.url_contains("/ramp"))
    assert "your password is set" in browser.page_source
    sign_out(browser)

    browser.get(link)
    assert "This invitation has been used" in browser.find_element(By.TAG_NAME, "h1").text
