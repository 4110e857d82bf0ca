"""Headless Chromium: a rep disputes a certification result, HR decides, the rep reads why."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from app.accounts.models import Role, User
from tests.browser.conftest import save_screenshot
from tests.browser.test_ramp_journey import (
    assert_accessible_basics,
    flash,
    focused_error_summary,
    follow,
    open_menu,
    press_enter,
    sign_in,
    sign_out,
    text_of,
)
from tests.certification.conftest import assess, rubric  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

REASON = "I answered the price objection with a question at minute 12 of the recording."
DECISION = "The recording shows the question came after the buyer hung up the topic."


def test_rep_disputes_a_result_hr_rejects_it_and_the_rep_reads_why(
    browser: WebDriver,
    live_server: str,
    make_user: Callable[..., User],
    make_rep: Callable[..., User],
    assess: Callable[..., object],  # noqa: F811
) -> None:
    coach = make_user(Role.COACH, name="Morgan Coach")
    rep = make_rep(day_of_ramp=20, coach=coach, name="Riley Ramp")
    hr = make_user(Role.HR, name="Harper People")
    attempt = assess(coach, rep, "prospecting", objection_handling=1).attempt  # type: ignore[attr-defined]

    # The rep disputes from the result, with a reason (required: said in place).
    sign_in(browser, live_server, rep)
    browser.get(f"{live_server}/certifications/attempts/{attempt.id}")
    follow(browser, browser.find_element(By.LINK_TEXT, "Acknowledge or dispute this result"))
    assert text_of(browser, "main h1") == "Acknowledge or dispute"
    assert_accessible_basics(browser)
    send = "main form:not([action]) button[type=submit]"
    press_enter(browser, browser.find_element(By.CSS_SELECTOR, send))
    assert "Say what you dispute and why." in focused_error_summary(browser).text
    browser.find_element(By.ID, "reason").send_keys(REASON)
    press_enter(browser, browser.find_element(By.CSS_SELECTOR, send))
    assert "Your dispute is sent" in flash(browser)
    assert text_of(browser, ".dispute-status") == "Open"
    sign_out(browser)

    # HR finds it among the open disputes, with its age against the target, and rejects it.
    sign_in(browser, live_server, hr)
    follow(browser, open_menu(browser, "followup-menu").find_element(By.LINK_TEXT, "Disputes"))
    row = text_of(browser, ".disputes-table tbody tr")
    assert "Riley Ramp" in row and "0 days of 5" in row
    follow(browser, browser.find_element(By.CSS_SELECTOR, ".disputes-table tbody tr a"))
    assert REASON in text_of(browser, ".dispute-reason")
    assert_accessible_basics(browser)
    rejected = browser.find_element(By.ID, "outcome-rejected")
    rejected.send_keys(Keys.SPACE)
    assert rejected.is_selected()
    browser.find_element(By.ID, "resolution").send_keys(DECISION)
    save_screenshot(browser, "dispute-decide", 1280)
    press_enter(browser, browser.find_element(By.CSS_SELECTOR, "#resolve-heading ~ form button"))
    assert "The dispute is resolved" in flash(browser)
    assert text_of(browser, ".dispute-status") == "Rejected"
    sign_out(browser)

    # The rep is told, follows the notification and reads the outcome and why.
    sign_in(browser, live_server, rep)
    follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Notifications"))
    follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "decided your dispute"))
    assert text_of(browser, ".dispute-status") == "Rejected"
    assert DECISION in text_of(browser, ".dispute-resolution")
    assert "Harper People" in text_of(browser, "#outcome")
    save_screenshot(browser, "dispute-outcome", 390)

    # The result's own page says how the dispute ended, and links to it.
    browser.get(f"{live_server}/certifications/attempts/{attempt.id}")
    assert "Dispute rejected" in text_of(browser, "#dispute-note")
    follow(browser, browser.find_element(By.LINK_TEXT, "read the dispute"))
    assert text_of(browser, ".dispute-status") == "Rejected"
