"""The menus of the main bar: opened from the keyboard, closed by Escape or a click elsewhere."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from app.accounts.models import Role, User
from tests.browser.test_ramp_journey import follow, open_menu, sign_in


def _is_open(browser: WebDriver, menu_id: str) -> bool:
    return browser.find_element(By.ID, menu_id).get_attribute("open") is not None


def test_an_admin_reaches_every_page_of_both_menus_from_a_bar_of_one_row(
    browser: WebDriver, live_server: str, make_user: Callable[..., User]
) -> None:
    admin = make_user(Role.ADMIN, name="Alexandra Administrator")
    browser.set_window_size(1280, 800)
    sign_in(browser, live_server, admin)
    bar = browser.find_element(By.CSS_SELECTOR, "nav[aria-label=Main]")
    brand = browser.find_element(By.CSS_SELECTOR, ".navbar-brand")
    assert bar.size["height"] < 2 * brand.size["height"] + 30, "the menu wrapped onto a second row"

    organisation = open_menu(browser, "organisation-menu")
    links = organisation.find_elements(By.CSS_SELECTOR, ".nav-menu-list a")
    assert [link.text for link in links] == [
        "People",
        "Import activity",
        "Pulse surveys",
        "Debrief ratings",
        "Written notices",
        "Teams",
        "Settings",
        "Security log",
        "Outbox",
        "Webhooks",
    ]
    assert all(link.is_displayed() for link in links)

    open_menu(browser, "account-menu")  # one open at a time
    assert not _is_open(browser, "organisation-menu")
    summary = browser.find_element(By.CSS_SELECTOR, "#account-menu > summary")
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert not _is_open(browser, "account-menu")
    assert browser.switch_to.active_element == summary  # focus back on the menu's button

    open_menu(browser, "account-menu")
    browser.find_element(By.TAG_NAME, "h1").click()  # a click elsewhere closes it
    assert not _is_open(browser, "account-menu")

    menu = open_menu(browser, "account-menu")
    follow(browser, menu.find_element(By.LINK_TEXT, "Notification settings"))
    summary = browser.find_element(By.CSS_SELECTOR, "#account-menu > summary")
    assert "active" in (summary.get_attribute("class") or "")  # the menu of the open page


def test_sign_out_is_under_the_persons_name(
    browser: WebDriver, live_server: str, make_user: Callable[..., User]
) -> None:
    rep = make_user(Role.REP, name="Riley Rep")
    sign_in(browser, live_server, rep)
    assert browser.find_elements(By.ID, "organisation-menu") == []  # nothing to administer
    menu = open_menu(browser, "account-menu")
    assert menu.find_element(By.TAG_NAME, "summary").text == "Riley Rep"
    follow(browser, menu.find_element(By.XPATH, ".//button[normalize-space()='Sign out']"))
    assert browser.current_url.endswith("/login")


@pytest.mark.parametrize(
    "roles",
    [(Role.REP,), (Role.COACH,), (Role.COACH, Role.ADMIN)],
    ids=["rep", "coach", "coach+admin"],
)
def test_the_longest_menus_stay_one_row_at_1280_pixels(
    browser: WebDriver,
    live_server: str,
    make_user: Callable[..., User],
    roles: tuple[Role, ...],
) -> None:
    person = make_user(*roles, name="Maximiliane Coach-Lindqvist")
    browser.set_window_size(1280, 800)
    sign_in(browser, live_server, person)
    bar = browser.find_element(By.CSS_SELECTOR, "nav[aria-label=Main]")
    brand = browser.find_element(By.CSS_SELECTOR, ".navbar-brand")
    assert bar.size["height"] < 2 * brand.size["height"] + 30, "the menu wrapped onto a second row"
