"""Headless Chromium: a coach recognises a rep's milestone (a missing note pointed out first),
the rep finds it in the team feed, and answers the day-30 pulse survey from the keyboard."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.extensions import db
from app.plans.models import MilestoneStatus, Plan
from app.surveys.models import PulseResponse
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

pytestmark = pytest.mark.browser


def test_a_coach_recognises_and_the_rep_answers_the_pulse_survey(
    browser: WebDriver,
    live_server: str,
    make_user: Callable[..., User],
    make_rep: Callable[..., User],
) -> None:
    coach = make_user(Role.COACH, name="Morgan Coach")
    rep = make_rep(day_of_ramp=30, coach=coach, name="Riley Ramp")
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id))
    plan.milestones[0].status = MilestoneStatus.DONE
    db.session.commit()

    sign_in(browser, live_server, coach)
    follow(browser, open_menu(browser, "followup-menu").find_element(By.LINK_TEXT, "Recognition"))
    assert text_of(browser, "main h1") == "Recognition"
    follow(browser, browser.find_element(By.LINK_TEXT, "Riley Ramp"))
    assert_accessible_basics(browser)
    Select(browser.find_element(By.ID, "achievement")).select_by_index(1)
    submit = browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]")
    press_enter(browser, submit)
    assert "Say in a few words" in focused_error_summary(browser).text
    browser.find_element(By.ID, "note").send_keys("Your CRM set-up is a model for the team.")
    press_enter(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "Riley has been told" in flash(browser)
    sign_out(browser)

    sign_in(browser, live_server, rep)
    follow(browser, browser.find_element(By.LINK_TEXT, "Recognition"))
    assert "Your CRM set-up is a model for the team." in text_of(browser, "main")
    follow(browser, browser.find_element(By.LINK_TEXT, "Pulse surveys"))
    follow(browser, browser.find_element(By.LINK_TEXT, "Answer the day 30 survey"))
    assert_accessible_basics(browser)
    for key in ("plan_clear", "plan_useful", "workload", "coaching_useful", "coach_available"):
        radio = browser.find_element(By.ID, f"{key}-4")
        radio.send_keys(Keys.SPACE)
        assert radio.is_selected()
    press_enter(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "stored without your name" in flash(browser)
    assert "Nothing to answer right now." in text_of(browser, "main")
    db.session.expire_all()
    assert db.session.scalar(select(func.count(PulseResponse.id))) == 1
