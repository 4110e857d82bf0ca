"""Headless Chromium at 390 px wide: the agreement flows in the page (no scroll box inside
it), and reading to the end is detected against the page's own scroll, as the server's check
of the reading still requires."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from app.accounts.models import Role, User
from app.agreements import service
from app.agreements.models import Agreement, AgreementStatus, SignerRole
from app.agreements.service import signing
from app.extensions import db
from tests.agreements.conftest import EVIDENCE, PIP_VALUES
from tests.browser.test_agreement_journey import sign_now
from tests.browser.test_ramp_journey import WAIT_SECONDS, flash, sign_in, text_of

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}

# How the agreement's container scrolls, and where its end is against the window.
LAYOUT = """
const box = document.getElementById('agreement-scroll');
const end = document.getElementById('agreement-end');
return {
  overflow: getComputedStyle(box).overflowY,
  innerScroll: box.scrollHeight - box.clientHeight,
  endBelowWindow: end.getBoundingClientRect().bottom > window.innerHeight,
  pageWidth: document.documentElement.scrollWidth,
};
"""


@pytest.fixture
def phone(browser: WebDriver) -> Iterator[WebDriver]:
    """The browser emulating a 390 px wide phone for the test, then back to the desktop."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_on_a_phone_the_agreement_is_read_in_the_page_and_the_end_still_counts(
    phone: WebDriver,
    live_server: str,
    make_rep: Callable[..., User],
    make_user: Callable[..., User],
) -> None:
    hr = make_user(Role.HR, name="Priya Shah")
    rep = make_rep(day_of_ramp=50, name="Riley Ramp")
    agreement = service.create_draft(hr, rep, "performance-improvement", PIP_VALUES, EVIDENCE)
    service.send(hr, agreement, EVIDENCE)
    db.session.commit()
    agreement_id = agreement.id

    sign_in(phone, live_server, rep)
    phone.get(f"{live_server}/agreements/{agreement_id}/sign")
    layout = phone.execute_script(LAYOUT)
    assert layout["overflow"] == "visible", "the agreement is in a scroll box on a phone"
    assert layout["innerScroll"] <= 1, "the agreement scrolls inside the page"
    assert layout["endBelowWindow"], "the whole agreement fits: nothing to read to the end"
    assert layout["pageWidth"] <= PHONE["width"], "the page scrolls sideways"
    button = phone.find_element(By.ID, "sign-button")
    assert not button.is_enabled(), "the sign button is enabled before reading to the end"
    assert not signing.has_reached_end(rep, _reload(agreement_id))

    # Keyboard only: End scrolls the page itself to the end of the agreement and beyond.
    ActionChains(phone).send_keys(Keys.END).perform()
    WebDriverWait(phone, WAIT_SECONDS).until(lambda b: button.is_enabled())
    assert "You can sign now" in text_of(phone, "[role=status] #sign-hint")
    # The page told the server, which is what the signature's record relies on.
    WebDriverWait(phone, WAIT_SECONDS).until(
        lambda b: signing.has_reached_end(rep, _reload(agreement_id))
    )

    sign_now(phone, "Riley Ramp")
    assert "waits for the countersignature" in flash(phone)
    signed = _reload(agreement_id)
    assert signed.status == AgreementStatus.SIGNED_BY_REP
    signature = signed.signature_by(SignerRole.REP)
    assert signature is not None and signature.reached_end_at is not None


def _reload(agreement_id: int) -> Agreement:
    """The agreement as the live server left it."""
    db.session.expire_all()
    return db.session.get_one(Agreement, agreement_id)
