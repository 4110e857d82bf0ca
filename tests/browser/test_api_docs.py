"""The API reference in headless Chromium: Swagger UI, from the app's own static files under
its Content-Security-Policy, lists every operation and fetches nothing from elsewhere."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser


def test_the_docs_page_shows_every_operation_from_this_site_only(
    browser: WebDriver, live_server: str
) -> None:
    browser.get(f"{live_server}/api/v1/docs")
    WebDriverWait(browser, 20).until(
        lambda b: len(b.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")) >= 9
    )
    paths = {
        e.text.replace("\u200b", "")
        for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    }
    assert "/api/v1/people/{rep_id}/plan" in paths and "/api/v1/activity" in paths
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(entry => entry.name)"
    )
    hosts = {urlsplit(url).netloc for url in resources if url.startswith("http")}
    assert hosts == {urlsplit(live_server).netloc}, resources
