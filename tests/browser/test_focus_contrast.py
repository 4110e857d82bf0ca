"""Focus indicators at least 3:1 against what they are drawn on (WCAG 2.2 SC 1.4.11).

Measured in headless Chromium: Tab through a page, and for each element that takes focus read
the computed outline and the colour under the outline (``elementsFromPoint`` just outside the
element: the navigation bar, a card, the page), then compute the WCAG contrast of the two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from coloraide import Color
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from app.accounts.models import Role, User
from tests.browser.test_ramp_journey import sign_in

pytestmark = pytest.mark.browser

MIN_CONTRAST = 3.0
MAX_TABS = 80

# The focused element's outline, and the first opaque background under a point of the outline.
FOCUS_RING = """
const el = document.activeElement;
if (!el || el === document.body) { return null; }
const style = getComputedStyle(el);
const rect = el.getBoundingClientRect();
const width = parseFloat(style.outlineWidth) || 0;
const offset = parseFloat(style.outlineOffset) || 0;
const x = Math.max(0, rect.left - offset - width / 2);
const y = rect.top + rect.height / 2;
let background = 'rgb(255, 255, 255)';
for (const under of document.elementsFromPoint(x, y)) {
  if (under === el || el.contains(under)) { continue; }
  const colour = getComputedStyle(under).backgroundColor;
  if (!colour.startsWith('rgba') || colour.endsWith(', 1)')) { background = colour; break; }
}
return {
  element: el.outerHTML.slice(0, 120),
  style: style.outlineStyle, width: width, colour: style.outlineColor, background: background,
};
"""


@dataclass(frozen=True)
class FocusRing:
    element: str
    style: str
    width: float
    colour: str
    background: str

    def problem(self) -> str | None:
        """Why this focus indicator fails 1.4.11, or None."""
        if self.style in ("none", "hidden") or self.width < 2:
            return f"no visible outline ({self.style} {self.width}px)"
        colour = Color(self.colour)
        if colour.alpha() < 1:
            return f"a translucent outline {self.colour}"
        ratio = colour.contrast(Color(self.background), method="wcag21")
        if ratio < MIN_CONTRAST:
            return f"outline {self.colour} on {self.background} is {ratio:.2f}:1"
        return None


def focus_rings(browser: WebDriver, url: str) -> list[FocusRing]:
    """Every element the Tab key reaches on ``url``, in order, with its focus indicator."""
    browser.get(url)
    rings: list[FocusRing] = []
    seen: set[str] = set()
    for _ in range(MAX_TABS):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        found = browser.execute_script(FOCUS_RING)
        if found is None or found["element"] in seen:
            break
        seen.add(found["element"])
        rings.append(FocusRing(**found))
    return rings


def test_focus_indicators_contrast_with_their_background(
    browser: WebDriver,
    live_server: str,
    make_rep: Callable[..., User],
    make_user: Callable[..., User],
) -> None:
    rep = make_rep(day_of_ramp=20, name="Riley Ramp")
    admin = make_user(Role.ADMIN)
    sign_in(browser, live_server, admin)
    # The navigation bar and lists (people), and a form with every kind of field (a person).
    pages = [f"{live_server}/admin/people", f"{live_server}/admin/people/{rep.id}"]
    failures = []
    for url in pages:
        rings = focus_rings(browser, url)
        assert len(rings) > 10, f"Tab reached only {len(rings)} elements on {url}"
        failures += [f"{url}: {r.element}: {r.problem()}" for r in rings if r.problem()]
    assert failures == []
