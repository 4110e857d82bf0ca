"""Headless Chromium: the coach pairs a new hire with the suggested peer; the buddy records a
check-in (a missing answer is pointed out first) and the new hire sees it, with their commitments
carried to the next one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select

from app.accounts.models import Role, User
from tests.browser.test_coaching_journey import submit
from tests.browser.test_ramp_journey import (
    assert_accessible_basics,
    flash,
    focused_error_summary,
    follow,
    open_menu,
    sign_in,
    sign_out,
    text_of,
)

pytestmark = pytest.mark.browser


def test_the_coach_pairs_the_buddy_checks_in_and_the_new_hire_sees_it(
    browser: WebDriver,
    live_server: str,
    make_user: Callable[..., User],
    make_rep: Callable[..., User],
) -> None:
    coach = make_user(Role.COACH, name="Morgan Coach")
    make_rep(day_of_ramp=5, coach=coach, name="Nina Newhire")
    buddy = make_rep(day_of_ramp=200, name="Pat Peer")

    sign_in(browser, live_server, coach)
    follow(browser, open_menu(browser, "followup-menu").find_element(By.LINK_TEXT, "Buddies"))
    follow(browser, browser.find_element(By.LINK_TEXT, "Pair Nina Newhire with a buddy"))
    assert "Pat Peer" in text_of(browser, "#suggested-title + p + div table")
    browser.find_element(By.ID, "peer-search").send_keys("pat")  # the picker's name search
    submit(browser, "main form[role=search]")
    assert "Showing 1\u20131 of 1 peers with room" in text_of(browser, "#choose-title ~ p")
    Select(browser.find_element(By.ID, "buddy_id")).select_by_value(str(buddy.id))
    submit(browser, "main form[method=post]")
    assert "Pat Peer is now Nina Newhire's buddy." in flash(browser)
    sign_out(browser)

    sign_in(browser, live_server, buddy)
    follow(browser, browser.find_element(By.LINK_TEXT, "Buddies"))
    follow(browser, browser.find_element(By.LINK_TEXT, "Nina Newhire"))
    assert_accessible_basics(browser)
    assert "Nina's plan progress" in text_of(browser, "#progress-title")
    form = "form[action$='/check-ins']"
    submit(browser, form)  # nothing written yet
    assert "What I worked on" in focused_error_summary(browser).text
    browser.find_element(By.ID, "worked_on").send_keys("First cold-call block")
    browser.find_element(By.ID, "will_do").send_keys("Book two meetings")
    submit(browser, form)
    assert "Check-in recorded." in flash(browser)
    sign_out(browser)

    sign_in(browser, live_server, make_user(Role.REP, name="Someone Else"))
    browser.get(f"{live_server}/buddies")
    assert "Nina Newhire" not in text_of(browser, "main")
    sign_out(browser)

    nina = next(u for u in coach.reps if u.full_name == "Nina Newhire")
    sign_in(browser, live_server, nina)
    follow(browser, browser.find_element(By.LINK_TEXT, "Buddies"))
    follow(browser, browser.find_element(By.LINK_TEXT, "Nina Newhire"))
    check_ins = text_of(browser, "#check-ins")
    assert "First cold-call block" in check_ins and "Book two meetings" in check_ins
    assert "Book two meetings" in text_of(browser, "#check-in-title ~ form")  # to mark next time

    # Nina's ramp page links to the pairing.
    browser.get(f"{live_server}/ramp")
    follow(browser, browser.find_element(By.ID, "buddy-link"))
    assert "First cold-call block" in text_of(browser, "#check-ins")
