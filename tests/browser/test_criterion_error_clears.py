"""Headless Chromium: a criterion the server marked in error stops looking wrong once a level
is chosen, while the criteria still unanswered stay marked (issue 11: every criterion stayed red).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from app.accounts.models import User
from tests.browser.test_certification_journey import choose
from tests.browser.test_ramp_journey import focused_error_summary, press_enter, sign_in, text_of
from tests.conftest import shipped_curriculum

pytestmark = pytest.mark.browser


def border_colour(browser: WebDriver, key: str) -> str:
    group = browser.find_element(By.ID, f"criterion-{key}")
    return str(group.value_of_css_property("border-top-color"))


def message_shown(browser: WebDriver, key: str) -> bool:
    return bool(browser.find_element(By.ID, f"score-{key}-error").is_displayed())


def label_colour(browser: WebDriver, key: str, level: int) -> str:
    label = browser.find_element(By.CSS_SELECTOR, f'label[for="score-{key}-{level}"]')
    return str(label.value_of_css_property("color"))


def test_choosing_a_level_clears_only_that_criterions_error(
    browser: WebDriver, live_server: str, make_rep: Callable[..., User]
) -> None:
    rep = make_rep(day_of_ramp=20, name="Riley Ramp")
    first, second = shipped_curriculum().rubric("prospecting").criteria[:2]
    sign_in(browser, live_server, rep)
    browser.get(f"{live_server}/certifications/mine/prospecting/self-assessment")
    assert text_of(browser, "main h1").startswith("Self-assess")

    press_enter(
        browser, browser.find_element(By.CSS_SELECTOR, "form.assessment-form button[type=submit]")
    )
    assert f"Score {first.name}: choose a level." in focused_error_summary(browser).text
    in_error = border_colour(browser, second.key)
    assert border_colour(browser, first.key) == in_error
    assert message_shown(browser, first.key) and message_shown(browser, second.key)
    red_label = label_colour(browser, first.key, 2)

    choose(browser, first.key, 2)

    assert border_colour(browser, first.key) != in_error
    assert not message_shown(browser, first.key)
    assert label_colour(browser, first.key, 2) != red_label
    group = browser.find_element(By.ID, f"criterion-{first.key}")
    assert group.get_attribute("aria-describedby") in (None, "")
    assert not group.find_elements(By.CSS_SELECTOR, "[aria-invalid=true]")
    # The criteria still without a level keep their error, visibly and for screen readers.
    assert border_colour(browser, second.key) == in_error
    assert message_shown(browser, second.key)
    assert label_colour(browser, second.key, 2) == red_label
    unanswered = browser.find_element(By.ID, f"criterion-{second.key}")
    assert unanswered.find_elements(By.CSS_SELECTOR, "[aria-invalid=true]")
