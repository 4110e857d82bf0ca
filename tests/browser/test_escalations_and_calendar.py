"""Journeys in headless Chromium: a coach finds an escalated milestone from the menu, and a
rep makes their calendar link from the keyboard and subscribes to it."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable

import icalendar
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select

from app.accounts.models import User
from app.escalations import service as escalations
from app.extensions import db
from tests.browser.test_ramp_journey import (
    UNLABELLED_CONTROLS,
    follow,
    open_menu,
    press_enter,
    sign_in,
)
from tests.escalations.helpers import TODAY, overdue_milestone

pytestmark = pytest.mark.browser


def test_a_coach_follows_an_escalation_to_the_milestone(
    browser: WebDriver, live_server: str, make_rep: Callable[..., User]
) -> None:
    rep = make_rep(day_of_ramp=40, name="Riley Late")
    milestone = overdue_milestone(rep, days_late=5)
    escalations.run_escalations(today=TODAY)
    db.session.commit()
    title, coach = milestone.title, rep.coach

    sign_in(browser, live_server, coach)
    follow(browser, open_menu(browser, "followup-menu").find_element(By.LINK_TEXT, "Escalations"))
    assert browser.execute_script(UNLABELLED_CONTROLS) == []
    Select(browser.find_element(By.ID, "status")).select_by_visible_text("Open")
    press_enter(browser, browser.find_element(By.ID, "q"))
    row = browser.find_element(By.CSS_SELECTOR, "tbody tr[data-escalation]")
    assert "Riley Late" in row.text and "Open" in row.text
    follow(browser, row.find_element(By.LINK_TEXT, title))
    assert title in browser.find_element(By.TAG_NAME, "h1").text


def test_a_rep_makes_a_calendar_link_and_it_serves_their_dates(
    browser: WebDriver, live_server: str, make_rep: Callable[..., User]
) -> None:
    rep = make_rep(day_of_ramp=10, name="Riley Rep")
    sign_in(browser, live_server, rep)
    follow(browser, open_menu(browser, "account-menu").find_element(By.LINK_TEXT, "Calendar"))
    button = browser.find_element(By.XPATH, "//button[normalize-space()='Make my calendar link']")
    press_enter(browser, button)
    address = browser.find_element(By.ID, "feed-url").get_attribute("value")
    subscribe = browser.find_element(By.LINK_TEXT, "Subscribe in my calendar app")
    assert address and subscribe.get_attribute("href") == "webcal://" + address.split("://")[1]
    with urllib.request.urlopen(address) as response:
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = icalendar.Calendar.from_ical(response.read())
    assert any("Milestone due" in str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
