"""The Nu Html Checker over every HTML page the tests render, once per run.

Every HTML response the app sends during the run (through the test client, or to headless
Chromium from the browser journeys' live server) is written to a folder; when the run ends, one
``java -jar vnu.jar --errors-only`` call validates them all (the JVM is slow to start, so it
starts once). Any error fails the run, and each message names the page, the test that rendered
it and the error.

vnu.jar comes from the ``vnu-jar`` npm package (``npm ci --ignore-scripts``, as ``.ci/run``
does) and runs on Debian's Java (``default-jre-headless``). Without either the check is skipped
with a note, unless ``SALESRAMP_REQUIRE_HTML_CHECK=1`` (as in CI) makes that a failure.
``-p no:tests.htmlcheck`` turns the check off for a run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, request, request_finished

from app.config import PROJECT_ROOT

VNU_JAR = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
REQUIRED = "SALESRAMP_REQUIRE_HTML_CHECK"
PAGES_DIR_KEY = "salesramp_html_pages"
# A form's CSRF token differs on every render; pages equal but for it are checked once.
CSRF_VALUE = re.compile(rb'(name="csrf_token"[^>]*value=")[^"]*"')


@dataclass(frozen=True)
class Page:
    """One rendered page: where it came from, for the messages."""

    file: str
    method: str
    url: str
    status: int
    test: str


def _missing_tools() -> list[str]:
    missing = []
    if shutil.which("java") is None:
        missing.append("java (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        missing.append(f"{VNU_JAR.relative_to(PROJECT_ROOT)} (npm ci --ignore-scripts)")
    return missing


class PageCollector:
    """Writes each distinct HTML response of this process into ``folder``."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self.folder = folder / "pages"
        self.folder.mkdir(exist_ok=True)
        self.prefix = prefix
        self.manifest = folder / f"{prefix}.jsonl"
        self.seen: set[str] = set()
        self.lock = threading.Lock()  # the live server answers from threads

    def record(self, sender: Flask, response: Response, **_: Any) -> None:
        """``request_finished`` receiver: keep the page if it is HTML and not seen before."""
        if response.mimetype != "text/html" or response.is_streamed:
            return
        body = response.get_data()
        digest = hashlib.sha256(CSRF_VALUE.sub(rb'\1"', body)).hexdigest()
        with self.lock:
            if digest in self.seen:
                return
            self.seen.add(digest)
            name = f"{self.prefix}-{len(self.seen):05d}.html"
            (self.folder / name).write_bytes(body)
            page = Page(
                file=name,
                method=request.method,
                url=request.full_path.rstrip("?"),
                status=response.status_code,
                test=os.environ.get("PYTEST_CURRENT_TEST", "?").rsplit(" (", 1)[0],
            )
            with self.manifest.open("a", encoding="utf-8") as out:
                out.write(json.dumps(page.__dict__) + "\n")


_collector_key = pytest.StashKey[PageCollector]()
_folder_key = pytest.StashKey[Path]()
_missing_key = pytest.StashKey[list[str]]()
_report_key = pytest.StashKey[list[str]]()


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    """Start collecting pages into a folder the controller owns (shared with xdist workers)."""
    if _is_worker(config):
        given = config.workerinput  # type: ignore[attr-defined]
        if PAGES_DIR_KEY not in given:
            return  # the controller found no checker: nothing to collect
        folder, prefix = Path(given[PAGES_DIR_KEY]), given["workerid"]
    else:
        missing = _missing_tools()
        config.stash[_missing_key] = missing
        if missing:
            return
        folder = Path(tempfile.mkdtemp(prefix="salesramp-html-"))
        config.stash[_folder_key] = folder
        prefix = "main"
    collector = PageCollector(folder, prefix)
    config.stash[_collector_key] = collector
    request_finished.connect(collector.record)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist: each worker writes into the controller's folder."""
    folder = node.config.stash.get(_folder_key, None)
    if folder is not None:
        node.workerinput[PAGES_DIR_KEY] = str(folder)


def pytest_unconfigure(config: pytest.Config) -> None:
    collector = config.stash.get(_collector_key, None)
    if collector is not None:
        request_finished.disconnect(collector.record)
    folder = config.stash.get(_folder_key, None)
    if folder is not None and not os.environ.get("SALESRAMP_KEEP_HTML_PAGES"):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """After the last test: validate every collected page in one vnu run."""
    config = session.config
    if _is_worker(config) or exitstatus == pytest.ExitCode.INTERRUPTED:
        return
    missing = config.stash.get(_missing_key, [])
    if missing:
        if os.environ.get(REQUIRED) == "1":
            config.stash[_report_key] = [f"{REQUIRED}=1 but missing: {', '.join(missing)}"]
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        else:
            config.stash[_report_key] = [f"HTML check skipped: missing {', '.join(missing)}"]
        return
    folder = config.stash[_folder_key]
    pages = _pages_in(folder)
    if not pages:
        return
    started = time.monotonic()
    errors = validate(folder / "pages", pages)
    checked = f"{len(pages)} pages in {time.monotonic() - started:.1f} s"
    if errors:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        config.stash[_report_key] = [f"Nu Html Checker: {len(errors)} errors ({checked})", *errors]
    else:
        config.stash[_report_key] = [f"Nu Html Checker: no errors ({checked})"]


def _pages_in(folder: Path) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for manifest in sorted(folder.glob("*.jsonl")):
        for line in manifest.read_text(encoding="utf-8").splitlines():
            page = Page(**json.loads(line))
            pages[page.file] = page
    return pages


def validate(folder: Path, pages: dict[str, Page]) -> list[str]:
    """Every error vnu finds in ``folder``, each naming its page, test, line and message."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        return [f"vnu failed (exit {result.returncode}): {result.stderr or result.stdout}"]
    errors = []
    messages.sort(key=lambda m: (m.get("url", ""), m.get("lastLine", 0)))
    for message in messages:
        page = pages.get(Path(message.get("url", "")).name)
        where = f"{page.method} {page.url} ({page.status}) in {page.test}" if page else "?"
        line = message.get("lastLine", "?")
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"{where}: line {line}: {message['message']}  [{extract}]")
    return errors


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    report = config.stash.get(_report_key, None)
    if report:
        terminalreporter.section("HTML check")
        for line in report:
            terminalreporter.write_line(line)
