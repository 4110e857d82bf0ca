"""Headless Chromium: HR drafts and sends an agreement, the rep reads and signs it (the sign
button waits until they reach the end), HR countersigns and downloads the sealed PDF."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support.wait import WebDriverWait

from app.accounts.models import Role, User
from app.agreements import audit
from app.agreements.models import Agreement, AgreementStatus
from app.extensions import db
from tests.browser.conftest import save_screenshot
from tests.browser.test_ramp_journey import (
    UNLABELLED_CONTROLS,
    WAIT_SECONDS,
    flash,
    focused_error_summary,
    follow,
    press_enter,
    sign_in,
    sign_out,
    text_of,
)

pytestmark = pytest.mark.browser

# The stored PDF's SHA-256 as the browser receives it from the download link.
DOWNLOAD_SHA256 = """
const [url, done] = arguments;
fetch(url, {credentials: 'same-origin'})
  .then(r => r.arrayBuffer())
  .then(b => crypto.subtle.digest('SHA-256', b))
  .then(h => done([...new Uint8Array(h)].map(x => x.toString(16).padStart(2, '0')).join('')))
  .catch(e => done('error: ' + e));
"""


def fill(browser: WebDriver, field_id: str, text: str) -> None:
    element = browser.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def read_to_the_end(browser: WebDriver) -> WebElement:
    """Keyboard only: the End key in the agreement's scroll box; then the button is enabled."""
    button = browser.find_element(By.ID, "sign-button")
    assert not button.is_enabled(), "the sign button is enabled before reading to the end"
    assert browser.find_element(By.ID, "sign-hint").is_displayed()
    browser.find_element(By.ID, "agreement-scroll").send_keys(Keys.END)
    WebDriverWait(browser, WAIT_SECONDS).until(lambda b: button.is_enabled())
    # The change is announced: the hint sits in a live region that was there from the start.
    assert "You can sign now" in text_of(browser, "[role=status] #sign-hint")
    return button


def read_and_sign(browser: WebDriver, name: str) -> None:
    """On the signing page: the button waits for the end of the document, then sign."""
    read_to_the_end(browser)
    sign_now(browser, name)


def sign_now(browser: WebDriver, name: str) -> None:
    """Keyboard only: tick the consent box, type the name, Enter."""
    consent = browser.find_element(By.ID, "consent")
    assert not consent.is_selected()
    consent.send_keys(Keys.SPACE)
    assert consent.is_selected()
    fill(browser, "typed_name", name.upper())  # case does not matter
    assert browser.execute_script(UNLABELLED_CONTROLS) == []
    press_enter(browser, browser.find_element(By.ID, "typed_name"))


def refuse_an_empty_signature(browser: WebDriver) -> None:
    """Submit with neither consent nor name: every error at once, focused, reading kept."""
    press_enter(browser, read_to_the_end(browser))
    summary = focused_error_summary(browser)
    links = [a.get_attribute("hash") for a in summary.find_elements(By.TAG_NAME, "a")]
    assert links == ["#consent", "#typed_name"]
    assert browser.find_element(By.ID, "typed_name").get_attribute("aria-invalid") == "true"
    assert browser.find_element(By.ID, "sign-button").is_enabled(), "the reading was reset"
    assert "You can sign now" in text_of(browser, "[role=status] #sign-hint")
    # The summary's link takes the keyboard to the field.
    summary.find_element(By.TAG_NAME, "a").send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "consent"


def test_hr_sends_the_rep_signs_hr_countersigns_and_downloads(
    browser: WebDriver,
    live_server: str,
    make_rep: Callable[..., User],
    make_user: Callable[..., User],
) -> None:
    hr = make_user(Role.HR, name="Priya Shah")
    rep = make_rep(day_of_ramp=50, name="Riley Ramp")

    # HR drafts the consequence agreement from Riley's record, previews and sends it.
    sign_in(browser, live_server, hr)
    browser.get(f"{live_server}/agreements")
    follow(browser, browser.find_element(By.LINK_TEXT, "New agreement"))
    Select(browser.find_element(By.ID, "rep_id")).select_by_visible_text("Riley Ramp")
    Select(browser.find_element(By.ID, "template")).select_by_value("performance-improvement")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    fill(browser, "v_gap_summary", "Meetings: 2 a week against 6 <b>for 5 weeks</b>")
    fill(browser, "v_support_offered", "Two call reviews a week")
    fill(browser, "v_improvement_targets", "6 meetings a week")
    browser.execute_script(
        "document.getElementById('v_period_start').value = '2027-01-04';"
        "document.getElementById('v_period_end').value = '2027-02-26';"
    )
    fill(browser, "v_review_dates", "every Friday")
    assert browser.execute_script(UNLABELLED_CONTROLS) == []
    follow(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "Draft saved" in flash(browser)
    assert "<b>for 5 weeks</b>" in text_of(browser, ".agreement-body")  # shown, not applied
    follow(browser, browser.find_element(By.XPATH, "//button[starts-with(., 'Send to')]"))
    assert "Sent to Riley Ramp" in flash(browser)
    agreement = db.session.query(Agreement).one()
    agreement_id = agreement.id
    sign_out(browser)

    # The rep sees it under "To sign", reads to the end and signs.
    sign_in(browser, live_server, rep)
    to_sign = browser.find_element(By.PARTIAL_LINK_TEXT, "To sign")
    assert "1" in to_sign.text
    follow(browser, to_sign)
    follow(browser, browser.find_element(By.LINK_TEXT, "Read and sign"))
    for width in (1280, 390):
        save_screenshot(browser, "agreement-sign", width)
    refuse_an_empty_signature(browser)
    sign_now(browser, "Riley Ramp")  # no second reading after the refusal
    assert "waits for the countersignature" in flash(browser)
    sign_out(browser)

    # HR countersigns the same way; the agreement is sealed and downloads byte for byte.
    sign_in(browser, live_server, hr)
    browser.get(f"{live_server}/agreements/mine")
    follow(browser, browser.find_element(By.LINK_TEXT, "Read and sign"))
    read_and_sign(browser, "Priya Shah")
    assert "The agreement is complete" in flash(browser)  # sealed by its job, here at once
    download = browser.find_element(By.LINK_TEXT, "Download signed PDF")
    digest = browser.execute_async_script(DOWNLOAD_SHA256, download.get_attribute("href"))
    save_screenshot(browser, "agreement-completed", 1280)

    db.session.expire_all()
    agreement = db.session.get(Agreement, agreement_id)
    assert agreement is not None and agreement.status == AgreementStatus.COMPLETED
    assert digest == agreement.pdf_sha256
    actions = [event.action for event in audit.events_of(agreement)]
    assert actions.count("read to the end") == 2  # the page's script reported both readers
    assert audit.verify_chain(agreement).intact
