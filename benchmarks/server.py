"""The app served as ``make run`` serves it (gunicorn, 2 workers, 4 threads), and browsers for it.

Only 127.0.0.1 is ever contacted; every wait is bounded.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 120.0
# Gunicorn's settings module, as ``make run`` passes it (app/serving.py).
SETTINGS = "python:app.serving"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(
    database_url: str,
    workers: int = 2,
    query_header: bool = True,
    keep_alive: int = 2,
    log: Path | None = None,
    settings: dict[str, str] | None = None,
) -> Iterator[str]:
    """Serve the app on a free local port (with the query-count header); yields its base URL.

    ``settings``: more of the app's environment (``SALESRAMP_...``).
    """
    port = free_port()
    env = _environment(database_url, settings) | {
        "SALESRAMP_BENCH_QUERY_HEADER": "1" if query_header else "",
        "PORT": str(port),
    }
    output = log.open("w") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        command(port, workers, keep_alive), cwd=ROOT, env=env, stdout=output, stderr=output
    )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                Browser(base).get("/login")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.25)
        yield base
    finally:
        stop(process, signal.SIGTERM)


def command(port: int, workers: int = 2, keep_alive: int = 2) -> list[str]:
    """Gunicorn's command line: ``make run``'s, on ``port``, with its settings module."""
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        "--bind", f"{HOST}:{port}", "--workers", str(workers), "--threads", "4",
        "--keep-alive", str(keep_alive), "--timeout", "300",
        "-c", SETTINGS, "app:create_app()",
    ]  # fmt: skip


def _environment(database_url: str, settings: dict[str, str] | None) -> dict[str, str]:
    return os.environ | {
        "SALESRAMP_DATABASE_URL": database_url,
        "SALESRAMP_SECRET_KEY": "benchmark-only-secret",
        **(settings or {}),
    }


def stop(process: subprocess.Popen[bytes], how: signal.Signals) -> None:
    """Ask a server or worker to stop with ``how``; kill it if it has not within 30 s."""
    process.send_signal(how)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Answer:
    status: int
    body: bytes
    queries: int | None
    location: str | None = None  # where a redirect leads


class Browser:
    """One person's session: cookies kept, redirects not followed (a page must answer 200)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def _open(self, path: str, data: bytes | None = None) -> Answer:
        request = urllib.request.Request(self.base + path, data=data)
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                status, body, headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, body, headers = error.code, error.read(), error.headers
        count = headers.get("X-Query-Count")
        return Answer(status, body, int(count) if count else None, headers.get("Location"))

    def get(self, path: str) -> Answer:
        return self._open(path)

    def csrf_token(self, form_page: str) -> str:
        """The CSRF token the page at ``form_page`` puts in its forms."""
        token = CSRF.search(self.get(form_page).body.decode())
        return token[1] if token else ""

    def post(self, path: str, fields: dict[str, str]) -> Answer:
        return self._open(path, urllib.parse.urlencode(fields).encode())

    def sign_in(self, email: str, password: str) -> Browser:
        fields = {"email": email, "password": password, "csrf_token": self.csrf_token("/login")}
        answer = self.post("/login", fields)
        if answer.status != 302:
            raise RuntimeError(f"could not sign in as {email} ({answer.status})")
        return self
