"""A coach downloads their team as a spreadsheet, in headless Chromium: the list's button queues
the file with the list's filters, the progress page says when it is written and offers it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from app.accounts.models import Role, User
from tests.browser.test_ramp_journey import (
    WAIT_SECONDS,
    assert_accessible_basics,
    follow,
    sign_in,
    text_of,
)

pytestmark = pytest.mark.browser

# The file as the browser receives it from the Download link, as text.
DOWNLOAD_TEXT = """
const [url, done] = arguments;
fetch(url, {credentials: 'same-origin'})
  .then(r => r.text()).then(done).catch(e => done('error: ' + e));
"""


def test_a_coach_downloads_the_list_with_its_search_through_the_progress_page(
    browser: WebDriver,
    live_server: str,
    make_user: Callable[..., User],
    make_rep: Callable[..., User],
) -> None:
    coach = make_user(Role.COACH, name="Casey Coach")
    make_rep(day_of_ramp=12, coach=coach, name="Ava Chen")
    make_rep(day_of_ramp=40, coach=coach, name="Ben Okafor")

    sign_in(browser, live_server, coach)
    browser.get(f"{live_server}/team?q=Ava")
    follow(
        browser, browser.find_element(By.XPATH, "//button[normalize-space()='CSV of this list']")
    )
    assert text_of(browser, "main h1") == "Export of all reps (CSV)"
    assert_accessible_basics(browser)
    download = browser.find_element(By.ID, "export-download")
    WebDriverWait(browser, WAIT_SECONDS).until(lambda _b: download.is_displayed())
    assert text_of(browser, "#export-text").startswith("Ready: 1 of 1")
    text = browser.execute_async_script(DOWNLOAD_TEXT, download.get_attribute("href"))
    assert "Ava Chen" in text and "Ben Okafor" not in text  # the list's search, kept
