"""Timing one page against ``GET /login``: the figures every measured page reports.

The page is fetched by the person who uses it, alternating with an anonymous ``GET /login``
(login, page, login, page, ...) after a warm-up, so a busy moment weighs on both alike.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.report import Figure, emit, note, p95, timed
from benchmarks.server import Answer, Browser

ROUNDS = 15
PAGE_BUDGET_SECONDS = 45.0  # fewer rounds (at least 3) for a page slower than this in total
MIN_ROUNDS = 3
RATIO, P95_RATIO, QUERIES, HTML_KB, PDF_RATIO = 5, 10, 30, 200, 3


@dataclass(frozen=True)
class Page:
    name: str
    who: str  # hr, coach, admin or rep
    path: str
    pdf: bool = False
    download: bool = False  # a CSV or Excel file: no HTML size to hold it to
    # Each view right after someone else's write: the figures a page keeps while the data
    # holds (app/generation.py) are worked out afresh every time.
    after_a_write: bool = False


def _nothing() -> None:
    return None


def _rounds(
    login: Browser, browser: Browser, page: Page, write: Callable[[], None]
) -> tuple[list[float], list[float], Answer]:
    before = write if page.after_a_write else _nothing
    before()  # so that the statements counted are those of a view after a write
    answer = browser.get(page.path)  # warm-up (and the certificate's first render)
    browser.get(page.path)
    login.get("/login")
    login_times: list[float] = []
    page_times: list[float] = []
    started = time.monotonic()
    for round_number in range(ROUNDS):
        if round_number >= MIN_ROUNDS and time.monotonic() - started > PAGE_BUDGET_SECONDS:
            break
        login_times.append(timed(lambda: login.get("/login")))
        before()  # not timed
        page_times.append(timed(lambda: browser.get(page.path)))
    return login_times, page_times, answer


def measure(
    prefix: str,
    login: Browser,
    browser: Browser,
    page: Page,
    write: Callable[[], None] = _nothing,
) -> list[Figure]:
    """Time ``page`` as ``browser``'s person; its figures named ``<prefix>.<page>.<figure>``.
    ``write`` stands for another person's write (for the pages measured after one)."""
    logins, times, answer = _rounds(login, browser, page, write)
    if answer.status != 200:
        note(f"{prefix}.{page.name}: {page.path} answered {answer.status}; not measured")
        return []
    base_time = statistics.median(logins)
    name = f"{prefix}.{page.name}"
    note(
        f"{name}: {page.who} GET {page.path}: median {statistics.median(times) * 1000:.0f}"
        f" ms, /login {base_time * 1000:.0f} ms, {len(times)} rounds"
    )
    ratio = statistics.median(times) / base_time
    figures = [
        emit(Figure(f"{name}.ratio", ratio, "x", "<=", PDF_RATIO if page.pdf else RATIO)),
        emit(Figure(f"{name}.p95_ratio", p95(times) / base_time, "x", "<=", P95_RATIO)),
        emit(Figure(f"{name}.queries", answer.queries or 0, "queries", "<=", QUERIES)),
    ]
    if not (page.pdf or page.download):
        figures.append(emit(Figure(f"{name}.html", len(answer.body) / 1000, "KB", "<=", HTML_KB)))
    return figures
