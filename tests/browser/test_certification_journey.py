"""Headless Chromium: a coach assesses a rep on the rubric's form, the rep sees the result."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select

from app.accounts.models import Role, User
from tests.browser.conftest import save_screenshot
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
from tests.conftest import shipped_curriculum

pytestmark = pytest.mark.browser


def choose(browser: WebDriver, key: str, level: int) -> None:
    """Pick a level from the keyboard: Space on the level's radio button."""
    radio = browser.find_element(By.ID, f"score-{key}-{level}")
    radio.send_keys(Keys.SPACE)
    assert radio.is_selected()


def test_coach_assesses_a_rep_who_then_sees_the_result(
    browser: WebDriver,
    live_server: str,
    make_user: Callable[..., User],
    make_rep: Callable[..., User],
) -> None:
    coach = make_user(Role.COACH, name="Morgan Coach")
    rep = make_rep(day_of_ramp=20, coach=coach, name="Riley Ramp")
    rubric = shipped_curriculum().rubric("prospecting")

    sign_in(browser, live_server, coach)
    follow(browser, browser.find_element(By.LINK_TEXT, "Certifications"))
    assert text_of(browser, "main h1") == "Certifications: my team"
    cell = browser.find_element(
        By.CSS_SELECTOR, f'tr[data-rep="{rep.id}"] td[data-stage="prospecting"]'
    )
    assert "Not started" in cell.text
    follow(browser, cell.find_element(By.TAG_NAME, "a"))
    assert text_of(browser, "main h1") == "Prospecting certification: Riley Ramp"
    follow(browser, browser.find_element(By.LINK_TEXT, "Assess Riley"))
    assert text_of(browser, "main h1") == "Assess Riley Ramp: Prospecting"
    assert_accessible_basics(browser)
    legends = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "fieldset.criterion legend")]
    assert [legend.split(" ")[0] for legend in legends] == [
        c.name.split(" ")[0] for c in rubric.criteria
    ]
    first = rubric.criteria[0]
    assert first.levels[3] in text_of(browser, f'label[for="score-{first.key}-3"]')
    # Each criterion group is named by its legend, so a level is announced with its criterion.
    for criterion in rubric.criteria:
        group = browser.find_element(By.ID, f"criterion-{criterion.key}")
        assert group.accessible_name.startswith(criterion.name), group.accessible_name

    # Every criterion but the last, then submit: the missing one is pointed out in place.
    for criterion in rubric.criteria[:-1]:
        choose(browser, criterion.key, 3)
    choose(browser, "objection-handling", 1)
    Select(browser.find_element(By.ID, "evidence_kind")).select_by_value("role-play")
    browser.find_element(By.ID, "comment-objection-handling").send_keys(
        "Argued with the first brush-off instead of asking a question."
    )
    submit = "form.assessment-form button[type=submit]"
    press_enter(browser, browser.find_element(By.CSS_SELECTOR, submit))
    last = rubric.criteria[-1]
    assert text_of(browser, f"#score-{last.key}-error") == f"Score {last.name}: choose a level."
    # The error summary has the focus, and its link takes the keyboard to the criterion.
    summary = focused_error_summary(browser)
    assert summary.text.splitlines()[1:] == [f"Score {last.name}: choose a level."]
    summary.find_element(By.TAG_NAME, "a").send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == f"score-{last.key}-1"
    # what was chosen is kept
    assert browser.find_element(By.ID, "score-objection-handling-1").is_selected()
    choose(browser, last.key, 3)
    browser.find_element(By.ID, "feedback").send_keys("Great research. Work on objections.")
    for width in (1280, 390):
        save_screenshot(browser, "coach-assess", width)
    press_enter(browser, browser.find_element(By.CSS_SELECTOR, submit))
    assert flash(browser) == "Assessment of Riley Ramp recorded."
    assert "Not passed" in text_of(browser, ".cert-status")
    sign_out(browser)

    sign_in(browser, live_server, rep)
    follow(browser, browser.find_element(By.LINK_TEXT, "Certifications"))
    assert text_of(browser, "main h1") == "My certifications"
    card = browser.find_element(By.CSS_SELECTOR, '.certification[data-stage="prospecting"]')
    assert "Not passed" in card.text and "next attempt from" in card.text
    follow(browser, card.find_element(By.LINK_TEXT, "Prospecting"))
    attempts = text_of(browser, "table")
    assert (
        "Not passed: Objection handling scored 1, at least 2 needed on every criterion." in attempts
    )
    assert "Great research. Work on objections." in attempts
    follow(browser, browser.find_element(By.CSS_SELECTOR, "tr.attempt a"))
    row = text_of(browser, 'tr[data-criterion="objection-handling"]')
    assert "1 Not yet" in row and "Argued with the first brush-off" in row
    assert_accessible_basics(browser)
    for width in (1280, 390):
        save_screenshot(browser, "rep-certification-result", width)
