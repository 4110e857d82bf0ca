"""A manager reads which parts of the plan go with faster ramps, in headless Chromium: from the
dashboard's ramp outcomes to the comparison, its warning, chart and table, then filters it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select

from app.accounts.models import Role, User
from tests.browser.test_ramp_journey import assert_accessible_basics, follow, sign_in, text_of
from tests.outcomes.conftest import funnel_source
from tests.outcomes.test_drivers import SETUP, _world

pytestmark = pytest.mark.browser


def test_a_coach_goes_from_the_dashboard_to_the_plan_parts_that_go_with_faster_ramps(
    browser: WebDriver,
    live_server: str,
    make_user: Callable[..., User],
    make_rep: Callable[..., User],
) -> None:
    coach = make_user(Role.COACH, name="Casey Coach")
    _world(make_rep, funnel_source(), coach, on_time=5, late=5)

    sign_in(browser, live_server, coach)
    follow(browser, browser.find_element(By.LINK_TEXT, "Dashboard"))
    assert "50%" in text_of(browser, "#outcomes-table")  # half ramped by day 90
    follow(
        browser, browser.find_element(By.LINK_TEXT, "Which parts of the plan go with faster ramps")
    )
    assert text_of(browser, "main h1") == "Which parts of the plan go with faster ramps"
    assert_accessible_basics(browser)
    assert "A correlation, not a cause." in text_of(browser, "#correlation-warning")
    assert browser.find_element(By.CSS_SELECTOR, "#drivers-chart-heading + figure svg title").text
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-part="milestone:{SETUP}"]')
    assert "60" in row.text and "120" in row.text

    Select(browser.find_element(By.ID, "role")).select_by_visible_text("AE")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "role=AE" in browser.current_url
    assert "0 of 0 reps" in text_of(browser, "#drivers-summary")
