"""Journeys in headless Chromium through the real forms (CSRF on): a rep works through their
ramp, a coach verifies what the rep submitted. Plus cheap keyboard and label checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.wait import WebDriverWait

from app.accounts.models import Role, User
from app.extensions import db
from app.plans.models import Milestone
from app.plans.service import active_plan, record_progress
from tests.browser.conftest import save_screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

WAIT_SECONDS = 5

# Form controls (not buttons) with neither a <label> nor aria-labelledby pointing at them.
UNLABELLED_CONTROLS = """
return [...document.querySelectorAll('input, select, textarea')]
  .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
  .filter(el => el.labels.length === 0 && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML.slice(0, 160));
"""


@dataclass(frozen=True)
class SeededMilestone:
    """What the browser needs to find a milestone; plain values, no ORM object."""

    id: int
    title: str


def seeded_milestone(rep: User, key: str) -> SeededMilestone:
    plan = active_plan(rep)
    assert plan is not None
    item = next(m for m in plan.milestones if m.key == key)
    return SeededMilestone(id=item.id, title=item.title)


def sign_in(browser: WebDriver, base_url: str, user: User) -> None:
    browser.get(f"{base_url}/login")
    browser.find_element(By.ID, "email").send_keys(user.email)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    follow(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def follow(browser: WebDriver, target: WebElement) -> None:
    """Click a link or a form's button and wait until the next page has replaced this one and
    finished loading (an element found while it still loads may be gone when clicked:
    Chrome's "Node with given id does not belong to the document", seen once in a full run)."""
    page = browser.find_element(By.TAG_NAME, "html")
    target.click()
    wait = WebDriverWait(browser, WAIT_SECONDS)
    wait.until(EC.staleness_of(page))
    wait.until(lambda driver: driver.execute_script("return document.readyState") == "complete")


def open_menu(browser: WebDriver, menu_id: str) -> WebElement:
    """Open a menu of the main bar from the keyboard ("account-menu": the person's own)."""
    menu = browser.find_element(By.ID, menu_id)
    if menu.get_attribute("open") is None:
        menu.find_element(By.TAG_NAME, "summary").send_keys(Keys.ENTER)
        WebDriverWait(browser, WAIT_SECONDS).until(
            lambda _b: menu.get_attribute("open") is not None, f"{menu_id} did not open"
        )
    return menu


def sign_out(browser: WebDriver) -> None:
    """Sign out as a person does: their name's menu, then "Sign out"."""
    menu = open_menu(browser, "account-menu")
    follow(browser, menu.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))


def press_enter(browser: WebDriver, element: WebElement) -> None:
    """Submit from the keyboard (Enter on a button or in a text box); wait for the next page."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.send_keys(Keys.ENTER)
    WebDriverWait(browser, WAIT_SECONDS).until(EC.staleness_of(page))


def focused_error_summary(browser: WebDriver) -> WebElement:
    """The error summary, once it has taken the focus (autofocus runs as the page renders)."""
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda b: b.switch_to.active_element.get_attribute("id") == "error-summary",
        "the error summary did not take the focus",
    )
    return browser.switch_to.active_element


def text_of(browser: WebDriver, css: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, css).text.strip()


def flash(browser: WebDriver) -> str:
    return text_of(browser, ".flash-messages")


def milestone_state(browser: WebDriver, item: SeededMilestone) -> str:
    return text_of(browser, f"#milestone-{item.id} .milestone-state")


def phase_progress(browser: WebDriver, phase: int) -> tuple[int, int, int]:
    """(done, total, percent) as the phase's <progress> element and its label show them."""
    bar = browser.find_element(By.CSS_SELECTOR, f'progress[data-phase="{phase}"]')
    percent = text_of(browser, f'.phase-percent[data-phase="{phase}"]')
    return int(bar.get_attribute("value")), int(bar.get_attribute("max")), int(percent.rstrip("%"))


def assert_accessible_basics(browser: WebDriver) -> None:
    """One <main>, a skip link that Tab reaches first and that moves focus, labelled controls.

    Call it on a freshly loaded page without a #fragment: Tab starts from the top then.
    """
    assert browser.execute_script("return document.querySelectorAll('main').length") == 1
    ActionChains(browser).send_keys(Keys.TAB).perform()
    first = browser.switch_to.active_element
    assert "skip-link" in (first.get_attribute("class") or ""), first.get_attribute("outerHTML")
    assert first.is_displayed(), "the skip link stays invisible when it has focus"
    first.send_keys(Keys.ENTER)
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda b: b.switch_to.active_element.get_attribute("id") == "main"
    )
    assert browser.execute_script(UNLABELLED_CONTROLS) == []


def test_rep_completes_milestones_and_sees_the_progress(
    browser: WebDriver, live_server: str, make_rep: Callable[..., User]
) -> None:
    rep = make_rep(day_of_ramp=12, name="Riley Ramp")
    checkbox = seeded_milestone(rep, "crm-sequencing-setup")
    number = seeded_milestone(rep, "shadow-prospecting-calls")  # 10 calls shadowed, day 14

    sign_in(browser, live_server, rep)
    assert browser.current_url == f"{live_server}/ramp"
    assert text_of(browser, "main h1") == "My ramp"
    assert "Day 12" in text_of(browser, "#progress-heading + .row")
    assert_accessible_basics(browser)
    done, total, percent = phase_progress(browser, 1)
    assert (done, percent) == (0, 0)
    assert milestone_state(browser, checkbox) == "Overdue"

    follow(browser, browser.find_element(By.CSS_SELECTOR, f"#milestone-{checkbox.id} form button"))
    assert flash(browser) == f"Done: {checkbox.title}. Well done."
    assert milestone_state(browser, checkbox) == "Done"
    assert phase_progress(browser, 1) == (1, total, round(100 / total))

    value = browser.find_element(By.ID, f"value-{number.id}")
    value.send_keys("4")
    follow(browser, browser.find_element(By.CSS_SELECTOR, f"#milestone-{number.id} form button"))
    assert flash(browser) == "Progress recorded. Keep going."
    assert milestone_state(browser, number) == "Due this week"
    assert "4 of 10 calls shadowed" in text_of(browser, f"#milestone-{number.id}")
    assert phase_progress(browser, 1)[0] == 1

    value = browser.find_element(By.ID, f"value-{number.id}")
    value.clear()
    value.send_keys("12")
    follow(browser, browser.find_element(By.CSS_SELECTOR, f"#milestone-{number.id} form button"))
    assert flash(browser) == f"Done: {number.title}. Well done."
    assert milestone_state(browser, number) == "Done"
    assert "12 calls shadowed (target 10)" in text_of(browser, f"#milestone-{number.id}")
    assert phase_progress(browser, 1) == (2, total, round(200 / total))

    for width in (1280, 390):
        save_screenshot(browser, "rep-ramp", width)


def test_coach_opens_their_rep_and_verifies_a_submitted_milestone(
    browser: WebDriver,
    live_server: str,
    make_user: Callable[..., User],
    make_rep: Callable[..., User],
) -> None:
    coach = make_user(Role.COACH, name="Morgan Coach")
    rep = make_rep(day_of_ramp=12, coach=coach, name="Riley Ramp")
    make_rep(day_of_ramp=30, name="Sam Elsewhere")  # another coach's rep
    training = seeded_milestone(rep, "product-icp-training")
    record_progress(rep, db.session.get_one(Milestone, training.id), note="ICP notes")
    db.session.commit()

    sign_in(browser, live_server, coach)
    # The coach's home is the work queue: the submitted milestone waits there, on time.
    assert browser.current_url == f"{live_server}/work"
    assert text_of(browser, "main h1") == "Work queue"
    queue = text_of(browser, ".work-queue")
    assert training.title in queue and "Riley Ramp" in queue and "On time" in queue
    assert "Sam Elsewhere" not in browser.page_source
    assert_accessible_basics(browser)
    for width in (1280, 390):
        save_screenshot(browser, "coach-work-queue", width)
    follow(browser, browser.find_element(By.LINK_TEXT, "My team"))
    assert text_of(browser, "main h1") == "My team"
    assert_accessible_basics(browser)
    rows = browser.find_elements(By.CSS_SELECTOR, "table.team-table tbody tr")
    assert [row.get_attribute("data-rep") for row in rows] == [rep.email]
    cells = [cell.text.strip() for cell in rows[0].find_elements(By.CSS_SELECTOR, "td")]
    assert cells[1] == "12"  # day of ramp
    assert cells[3] == "1"  # waiting for verification
    assert "Sam Elsewhere" not in browser.page_source
    for width in (1280, 390):
        save_screenshot(browser, "coach-team", width)

    follow(browser, rows[0].find_element(By.LINK_TEXT, "Riley Ramp"))
    assert text_of(browser, "main h1") == "Riley Ramp's ramp"
    assert milestone_state(browser, training) == "Awaiting verification"
    assert training.title in text_of(browser, "#awaiting-heading + ul")

    follow(browser, browser.find_element(By.CSS_SELECTOR, f"#milestone-{training.id} form button"))
    assert flash(browser) == f"Verified: {training.title}."
    assert milestone_state(browser, training) == "Done"
    assert text_of(browser, "#awaiting-heading + p") == "Nothing waiting for the coach."
