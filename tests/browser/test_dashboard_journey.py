"""A manager's dashboard journey in headless Chromium: filter by team, read the funnel and the
tables beside the charts, then open a coach's accountability page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select

from app.accounts.models import Role, Team, User
from app.extensions import db
from tests.browser.test_ramp_journey import assert_accessible_basics, follow, sign_in, text_of

pytestmark = pytest.mark.browser


def _funnel(browser: WebDriver) -> dict[str, str]:
    rows = browser.find_elements(By.CSS_SELECTOR, "#funnel-table tbody tr")
    return {
        row.find_element(By.TAG_NAME, "th").text: row.find_element(By.TAG_NAME, "td").text
        for row in rows
    }


def test_hr_filters_the_dashboard_by_team_and_reads_the_funnel_and_tables(
    browser: WebDriver,
    live_server: str,
    make_user: Callable[..., User],
    make_rep: Callable[..., User],
    make_team: Callable[..., Team],
) -> None:
    coach = make_user(Role.COACH, name="Casey Coach")
    north, south = make_team("North"), make_team("South")
    for day, name, team in ((2, "Nia North", north), (50, "Sam South", south)):
        make_rep(day_of_ramp=day, coach=coach, name=name).team = team
    db.session.commit()
    hr = make_user(Role.HR)

    sign_in(browser, live_server, hr)
    follow(browser, browser.find_element(By.LINK_TEXT, "Dashboard"))
    assert text_of(browser, "main h1") == "Dashboard"
    assert_accessible_basics(browser)
    assert _funnel(browser) == {"On track": "1", "Behind": "0", "At risk": "1"}
    assert browser.find_element(By.CSS_SELECTOR, "#funnel-heading + figure svg title").text
    assert "Sam South" in text_of(browser, "#heatmap-table")

    Select(browser.find_element(By.ID, "team")).select_by_visible_text("North")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))

    assert f"team={north.id}" in browser.current_url  # the filter is in the URL
    assert _funnel(browser) == {"On track": "1", "Behind": "0", "At risk": "0"}
    assert "No milestone has fallen due yet." in text_of(browser, "#heatmap-heading + p + p")
    assert "Sam South" not in text_of(browser, "main")

    follow(browser, browser.find_element(By.LINK_TEXT, "Coaches"))
    follow(browser, browser.find_element(By.LINK_TEXT, "Casey Coach"))
    assert text_of(browser, "main h1") == "Casey Coach: coaching"
    assert "below 2" in text_of(browser, "#coach-figures")
