"""Headless Chromium: a written notice from trigger to seal. The sweep drafts it when a rep
under a signed improvement agreement has been at risk for 14 days; HR finds it on the notices
list, reviews and sends it; the rep reads and signs; HR countersigns; the sealed PDF verifies,
and the public verification page names it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from app.accounts.models import Role, User
from app.agreements import audit
from app.agreements import service as agreements
from app.agreements.models import Agreement, AgreementStatus
from app.extensions import db
from app.notices import service as notices
from tests.browser.conftest import save_screenshot
from tests.browser.test_agreement_journey import DOWNLOAD_SHA256, fill, read_and_sign
from tests.browser.test_ramp_journey import (
    UNLABELLED_CONTROLS,
    flash,
    follow,
    sign_in,
    sign_out,
    text_of,
)
from tests.notices.world import at_risk_for_13_days

pytestmark = pytest.mark.browser


def test_a_notice_from_trigger_to_a_sealed_pdf(
    browser: WebDriver,
    live_server: str,
    make_rep: Callable[..., User],
    make_user: Callable[..., User],
) -> None:
    hr = make_user(Role.HR, name="Priya Shah")
    rep = make_rep(day_of_ramp=90, name="Riley Ramp")
    at_risk_for_13_days(hr, rep)

    # The daily sweep: today is the 14th day at risk.
    drafted = notices.run_sweep(date.today()).drafted
    db.session.commit()
    assert drafted

    # HR finds the draft on the notices list and reviews it before anything is sent.
    sign_in(browser, live_server, hr)
    browser.get(f"{live_server}/notices")
    assert "At risk for 14 days" in text_of(browser, "main table")
    row = browser.find_element(By.XPATH, "//tr[contains(., 'At risk for 14 days')]")
    follow(browser, row.find_element(By.PARTIAL_LINK_TEXT, "Review and send"))
    assert "Drafted by SalesRamp" in text_of(browser, "[data-notice-trigger]")
    assert "If the targets are missed" in text_of(browser, ".agreement-body")
    follow(browser, browser.find_element(By.LINK_TEXT, "Edit"))
    fill(browser, "v_next_steps", "We meet on Monday at 10:00 with your coach.")
    assert browser.execute_script(UNLABELLED_CONTROLS) == []
    follow(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    follow(browser, browser.find_element(By.XPATH, "//button[starts-with(., 'Send to')]"))
    assert "Sent to Riley Ramp" in flash(browser)
    notice_id = int(browser.current_url.rstrip("/").rsplit("/", 1)[1])
    sign_out(browser)

    # The rep reads the notice to the end and signs it, as any agreement.
    sign_in(browser, live_server, rep)
    follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "To sign"))
    follow(browser, browser.find_element(By.LINK_TEXT, "Read and sign"))
    assert "We meet on Monday at 10:00" in text_of(browser, ".agreement-body")
    save_screenshot(browser, "notice-sign", 1280)
    read_and_sign(browser, "Riley Ramp")
    assert "waits for the countersignature" in flash(browser)
    sign_out(browser)

    # HR countersigns; the sealed PDF downloads byte for byte and verifies.
    sign_in(browser, live_server, hr)
    browser.get(f"{live_server}/agreements/{notice_id}/sign")
    read_and_sign(browser, "Priya Shah")
    assert "The agreement is complete" in flash(browser)
    download = browser.find_element(By.LINK_TEXT, "Download signed PDF")
    digest = browser.execute_async_script(DOWNLOAD_SHA256, download.get_attribute("href"))

    db.session.expire_all()
    notice = db.session.get(Agreement, notice_id)
    assert notice is not None and notice.status == AgreementStatus.COMPLETED
    assert digest == notice.pdf_sha256 and notice.pdf is not None
    verdict = agreements.verify_pdf(notice.pdf)
    assert verdict.intact and verdict.agreement is not None and verdict.agreement.id == notice_id
    assert audit.verify_chain(notice).intact
    browser.get(f"{live_server}/verify/{notice.verification_code}")
    public = text_of(browser, "main")
    assert notice.verification_code in public and "Intact" in public
