"""On a phone, wide tables scroll inside their own box and the page never scrolls sideways."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from app.accounts.models import Role, User
from tests.browser.test_ramp_journey import sign_in

pytestmark = pytest.mark.browser

# Lists whose tables are wider than a phone, each with a screen-reader-only text in its rows
# or headers (sort state, status) that once escaped the table's scroll box.
WIDE_PAGES = ["/admin/people", "/admin/invitations", "/agreements", "/certifications/team", "/team"]


def test_wide_lists_scroll_within_their_table_on_a_phone(
    browser: WebDriver,
    live_server: str,
    make_user: Callable[..., User],
    make_rep: Callable[..., User],
) -> None:
    admin = make_user(Role.ADMIN, name="Alex Admin")
    coach = make_user(Role.COACH, name="Casey Coach")
    for number in range(3):
        make_rep(name=f"Representative Number {number}", coach=coach)
    browser.set_window_size(390, 844)
    try:
        sign_in(browser, live_server, admin)
        for path in WIDE_PAGES:
            browser.get(f"{live_server}{path}")
            page, window = browser.execute_script(
                "const root = document.documentElement;return [root.scrollWidth, root.clientWidth];"
            )
            assert page <= window, f"{path} scrolls sideways: {page} px in a {window} px window"
    finally:
        browser.set_window_size(1280, 1000)
