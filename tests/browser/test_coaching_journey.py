"""Headless Chromium: the accountability loop. The rep pre-answers, the coach records a debrief
with a commitment (a missing measure is pointed out in place), the rep acknowledges, and the next
debrief starts by showing the commitment, which the coach marks kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select

from app.accounts.models import Role, User
from tests.browser.conftest import save_screenshot
from tests.browser.test_certification_journey import choose
from tests.browser.test_ramp_journey import (
    assert_accessible_basics,
    flash,
    focused_error_summary,
    follow,
    press_enter,
    sign_in,
    sign_out,
    text_of,
)

pytestmark = pytest.mark.browser


def set_date(browser: WebDriver, field_id: str, day: date) -> None:
    """Typing into a date input depends on the browser's locale; its value does not."""
    field = browser.find_element(By.ID, field_id)
    browser.execute_script("arguments[0].value = arguments[1]", field, day.isoformat())


def submit(browser: WebDriver, form_css: str) -> None:
    """From the keyboard: Enter on the form's submit button."""
    press_enter(browser, browser.find_element(By.CSS_SELECTOR, f"{form_css} button[type=submit]"))


def test_the_rep_pre_answers_the_coach_records_and_the_next_debrief_follows_up(
    browser: WebDriver,
    live_server: str,
    make_user: Callable[..., User],
    make_rep: Callable[..., User],
) -> None:
    coach = make_user(Role.COACH, name="Morgan Coach")
    rep = make_rep(day_of_ramp=20, coach=coach, name="Riley Ramp")

    # The coach starts on their work queue (Riley, on day 20, is listed at risk), then
    # opens a discovery role-play from the team page.
    sign_in(browser, live_server, coach)
    assert text_of(browser, "main h1") == "Work queue"
    follow(browser, browser.find_element(By.LINK_TEXT, "My team"))
    follow(browser, browser.find_element(By.LINK_TEXT, "debriefs"))
    assert text_of(browser, "main h1") == "Riley Ramp: debriefs and progress"
    follow(browser, browser.find_element(By.LINK_TEXT, "New debrief"))
    assert "No open commitments" in text_of(browser, ".follow-through")
    Select(browser.find_element(By.ID, "kind")).select_by_value("role-play")
    Select(browser.find_element(By.ID, "stage")).select_by_value("discovery")
    Select(browser.find_element(By.ID, "scenario")).select_by_value("discovery-first-call-cfo")
    submit(browser, "form.setup-form")
    assert flash(browser).startswith("Debrief opened.")
    debrief_url = browser.current_url
    sign_out(browser)

    # The rep is notified and answers the reflection questions first.
    sign_in(browser, live_server, rep)
    assert text_of(browser, "#unread-count").startswith("1")
    follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "My debriefs"))
    follow(browser, browser.find_element(By.CSS_SELECTOR, ".debrief-list a"))
    assert "Elena Brooks" in text_of(browser, ".scenario")
    assert_accessible_basics(browser)
    browser.find_element(By.ID, "went_well").send_keys("I kept calm when she asked for a demo.")
    browser.find_element(By.ID, "better").send_keys("I never found out what the delay costs.")
    submit(browser, "form.reflection-form")
    assert flash(browser).startswith("Your answers are saved")
    sign_out(browser)

    # The coach reads the answers, then records notes, a score and a SMART commitment.
    sign_in(browser, live_server, coach)
    browser.get(debrief_url)
    follow(browser, browser.find_element(By.LINK_TEXT, "Record the debrief"))
    assert "I never found out what the delay costs." in text_of(browser, ".rep-answers")
    assert_accessible_basics(browser)
    browser.find_element(By.ID, "better").send_keys("Ask what slow costs before moving on.")
    choose(browser, "pain-and-impact", 2)
    browser.find_element(By.ID, "commitments-0-action").send_keys(
        "Ask what it costs after every problem the buyer names"
    )
    due = date.today() + timedelta(days=7)
    set_date(browser, "commitments-0-due_on", due)
    Select(browser.find_element(By.ID, "commitments-0-criterion")).select_by_value(
        "pain-and-impact"
    )
    submit(browser, "form.record-form")
    assert text_of(browser, "#commitments-0-measure-error") == (
        "Say how you will both know it was done."
    )
    summary = focused_error_summary(browser)
    problem = summary.find_element(By.CSS_SELECTOR, 'a[href="#commitments-0-measure"]')
    assert problem.text == "Measure: Say how you will both know it was done."
    problem.send_keys(Keys.ENTER)
    measure = browser.switch_to.active_element
    assert measure.get_attribute("id") == "commitments-0-measure"
    measure.send_keys("Notes of 5 calls show a cost")
    set_date(browser, "commitments-0-due_on", due)
    for width in (1280, 390):
        save_screenshot(browser, "coach-records-debrief", width)
    submit(browser, "form.record-form")
    assert flash(browser) == "Debrief recorded; Riley has been notified."
    sign_out(browser)

    # The rep reads it and acknowledges it.
    sign_in(browser, live_server, rep)
    follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "My debriefs"))
    follow(browser, browser.find_element(By.CSS_SELECTOR, ".debrief-list a"))
    assert "Ask what it costs" in text_of(browser, ".commitments")
    submit(browser, "#debrief-status form")
    assert "Acknowledged" in text_of(browser, "#acknowledged")
    sign_out(browser)

    # The next debrief starts from the commitment; the coach marks it kept.
    sign_in(browser, live_server, coach)
    browser.get(f"{live_server}/coaching/reps/{rep.id}/new")
    follow_through = text_of(browser, ".follow-through")
    assert "Ask what it costs after every problem the buyer names" in follow_through
    assert_accessible_basics(browser)
    for width in (1280, 390):
        save_screenshot(browser, "next-debrief-follow-through", width)
    form = browser.find_element(By.CSS_SELECTOR, ".follow-through form.review-form")
    form.find_element(By.CSS_SELECTOR, "input[value=kept]").send_keys(Keys.SPACE)
    press_enter(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert flash(browser) == "Commitment marked kept."
    assert "No open commitments" in text_of(browser, ".follow-through")
    browser.get(f"{live_server}/coaching/reps/{rep.id}")
    assert "100%" in text_of(browser, ".kept-rate")
