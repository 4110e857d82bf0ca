"""``make bench``: the agreements benchmarks, then every page at 1,000 reps.

Prints one ``BENCH <name> <value> <unit> target <op> <limit> <PASS|FAIL>`` line per figure
(lines starting with ``#`` are notes for people). The page benchmark runs on SQLite, and on
PostgreSQL too when ``SALESRAMP_BENCH_POSTGRES_URL`` is set. ``SALESRAMP_BENCH_REPS`` changes
the size (default 1,000); ``SALESRAMP_BENCH_ONLY=pages``, ``agreements`` or ``activity`` runs
one part.
Exits 0 even when a figure misses its target: the figures are the result.
"""

from __future__ import annotations

import os
import sys

from benchmarks import activity, agreements, organisation, pages
from benchmarks.report import Figure, emit, note

GENERATE_SECONDS_TARGET = 300


def main() -> int:
    only = os.environ.get("SALESRAMP_BENCH_ONLY", "")
    reps = int(os.environ.get("SALESRAMP_BENCH_REPS") or 1000)
    figures: list[Figure] = []
    if only in ("", "agreements"):
        figures += agreements.run()
    if only in ("", "activity"):
        figures += activity.run()
    if only in ("", "pages"):
        url, seconds = organisation.sqlite_database(reps)
        figures += _generated("generate.sqlite.seconds", seconds, url)
        figures += pages.run(url, "page")
        postgres = os.environ.get("SALESRAMP_BENCH_POSTGRES_URL")
        if postgres:
            url, seconds = organisation.postgres_database(postgres, reps)
            figures += _generated("generate.pg.seconds", seconds, url)
            figures += pages.run(url, "pg.page")
    failed = [f.name for f in figures if not f.passed]
    note(f"{len(figures) - len(failed)} of {len(figures)} figures met their targets")
    return 0


def _generated(name: str, seconds: float | None, url: str) -> list[Figure]:
    if seconds is None:
        note(f"reusing the organisation in {url}")
        return []
    return [emit(Figure(name, seconds, "s", "<=", GENERATE_SECONDS_TARGET))]


if __name__ == "__main__":
    sys.exit(main())
