"""A real OpenID provider for the tests (``provider.mjs`` on Node), and a person using it.

``run_provider`` starts node-oidc-provider on 127.0.0.1 with a test client and the accounts
below, waits until its discovery document answers, and stops it afterwards. Without Node or
the npm package (``npm ci --ignore-scripts``) the tests that need it are skipped, unless
``SALESRAMP_REQUIRE_OIDC_PROVIDER=1`` (as in CI) turns the skip into a failure.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from app.config import PROJECT_ROOT

SCRIPT = Path(__file__).with_name("provider.mjs")
PACKAGE = PROJECT_ROOT / "node_modules" / "oidc-provider" / "package.json"
CLIENT_ID = "salesramp"
CLIENT_SECRET = "a-test-client-secret-of-enough-length"
START_SECONDS = 20

# The provider's people: the login typed on its page names one.
ACCOUNTS = {
    "ada": {"email": "Ada.Lovelace@example.com", "email_verified": True, "name": "Ada Lovelace"},
    "uma": {"email": "uma.unverified@example.com", "email_verified": False, "name": "Uma Unver"},
    "sam": {"email": "sam.stranger@example.com", "email_verified": True, "name": "Sam Stranger"},
    "nomail": {"name": "No Mail"},
}


@dataclass(frozen=True)
class RunningProvider:
    issuer: str
    redirect_uri: str
    log: Path

    def app_config(self, name: str = "Test Identity") -> dict[str, str]:
        """The settings that point SalesRamp at this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_NAME": name,
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _require_node() -> str:
    node = shutil.which("node")
    missing = [what for what, ok in (("node", node), ("npm ci", PACKAGE.is_file())) if not ok]
    if missing:
        reason = f"the OpenID provider tests need {' and '.join(missing)} (oidc-provider from npm)"
        if os.environ.get("SALESRAMP_REQUIRE_OIDC_PROVIDER") == "1":
            pytest.fail(f"SALESRAMP_REQUIRE_OIDC_PROVIDER=1 but {reason}")
        pytest.skip(reason)
    assert node is not None
    return node


@contextmanager
def run_provider(
    redirect_uri: str, workdir: Path, port: int | None = None
) -> Iterator[RunningProvider]:
    """node-oidc-provider on 127.0.0.1:``port``; its one client returns to ``redirect_uri``."""
    node = _require_node()
    port = port or free_port()
    settings = {
        "port": port,
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [redirect_uri],
            }
        ],
        "accounts": ACCOUNTS,
    }
    log = workdir / f"oidc-provider-{port}.log"
    env = {**os.environ, "OIDC_TEST_SETTINGS": json.dumps(settings)}
    with log.open("w") as out:
        process = subprocess.Popen(
            [node, str(SCRIPT)], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT
        )
    provider = RunningProvider(f"http://127.0.0.1:{port}", redirect_uri, log)
    try:
        _wait_until_up(provider, process)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(provider: RunningProvider, process: subprocess.Popen[bytes]) -> None:
    """Until the discovery document answers (a condition, not a fixed sleep)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"oidc-provider exited: {provider.log.read_text()}")
        try:
            requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=1)
        except requests.ConnectionError:
            time.sleep(0.05)
            continue
        return
    pytest.fail(f"oidc-provider did not answer in {START_SECONDS} s: {provider.log.read_text()}")


def sign_in_at_provider(
    authorize_url: str, login: str, redirect_uri: str, *, cancel: bool = False
) -> str:
    """Fill in the provider's login page as a person would (or press its Cancel link); the
    URL it sends them back to."""
    with requests.Session() as browser:
        page = browser.get(authorize_url, timeout=5)
        if cancel:
            found = re.search(r'<a href="([^"]+)">\[ Cancel \]</a>', page.text)
            assert found, page.text
            target = urljoin(page.url, html.unescape(found.group(1)))
            response = browser.get(target, allow_redirects=False, timeout=5)
        else:
            found = re.search(r'<form[^>]*action="([^"]+)"', page.text)
            assert found, page.text
            action = urljoin(page.url, html.unescape(found.group(1)))
            data = {"prompt": "login", "login": login, "password": "anything"}
            response = browser.post(action, data=data, allow_redirects=False, timeout=5)
        for _hop in range(10):
            assert response.is_redirect, response.text
            location = urljoin(response.url, response.headers["Location"])
            if location.startswith(redirect_uri):
                return location
            response = browser.get(location, allow_redirects=False, timeout=5)
    raise AssertionError("the provider never sent the person back")
