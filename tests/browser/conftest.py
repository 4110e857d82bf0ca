"""Headless Chromium against the real app served on a free local port.

Debian's ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` are used as they are; Selenium
Manager never runs, so nothing is downloaded. Without them the journeys are skipped, unless
``SALESRAMP_REQUIRE_BROWSER=1`` (as in CI) turns the skip into a failure.
"""

from __future__ import annotations

import base64
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from werkzeug.serving import make_server

from app.extensions import db
from tests.conftest import make_test_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WINDOW = (1280, 900)
SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """One browser for the whole run: starting Chromium costs about a second."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.is_file()]
    if missing:
        reason = (
            f"headless Chromium journeys need {' and '.join(missing)} "
            "(apt-get install chromium chromium-driver)"
        )
        if os.environ.get("SALESRAMP_REQUIRE_BROWSER") == "1":
            pytest.fail(f"SALESRAMP_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        # Bootstrap scrolls smoothly unless motion is reduced; a click would then land on
        # where the element was before the scroll into view finished.
        "--force-prefers-reduced-motion",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    # Long enough for a page of a busy machine (two test workers, each with its server and
    # Chromium); a page that never loads still fails the test, only later.
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def live_settings() -> dict[str, Any]:
    """Settings of the served app beyond the tests' own; a module overrides it (single sign-on)."""
    return {}


@pytest.fixture
def live_server(
    request: pytest.FixtureRequest, app: Flask, database_url: str, live_settings: dict[str, Any]
) -> Iterator[str]:
    """The app with CSRF on, served from a thread on 127.0.0.1; yields its base URL.

    It shares the test database with the ``app`` fixture, so tests seed through the factories
    (in ``app``'s context) and the browser sees the result. It sends mail where ``app`` does
    (to the ``smtp_server`` fixture's server when the test uses it), with links to itself.
    """
    if "smtp_server" in request.fixturenames:
        request.getfixturevalue("smtp_server")  # first, so that its URL is the app's
    live_app = make_test_app(
        database_url,
        WTF_CSRF_ENABLED=True,
        SERVER_NAME=None,
        MAIL_URL=app.config["MAIL_URL"],
        **live_settings,
    )
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    live_app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    with live_app.app_context():
        db.engine.dispose()


@pytest.fixture
def browser(chromium: WebDriver, live_server: str) -> WebDriver:
    """The shared browser with no cookies from an earlier test and the standard window."""
    chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
    chromium.set_window_size(*WINDOW)
    return chromium


def save_screenshot(driver: WebDriver, name: str, width: int) -> Path:
    """The whole page at ``width`` CSS pixels into tests/browser/screenshots/ (gitignored).

    Device emulation rather than resizing the window: the window keeps its size, so the
    journey can go on clicking right after, and narrow widths render as on a phone.
    """
    SCREENSHOTS.mkdir(exist_ok=True)
    metrics = {"width": width, "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": width < 576}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        page_height = driver.execute_script("return document.documentElement.scrollHeight")
        height = min(int(page_height), 8000)
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
        )
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    path = SCREENSHOTS / f"{name}-{width}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path
