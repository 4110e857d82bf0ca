"""The exports at 1,000 reps: from the button to the finished file, then the file's download.

Every table is written by the job worker (``app.exports.background``), never in a request. HR
presses each export's button (the POST its page sends, for the whole organisation: gunicorn
records it and queues the job), the job runs, and the benchmark asks for the export's status as
the progress page does until it says the file is written: ``export.<name>.seconds``, the median
of a few runs. The finished file's download is then timed against ``GET /login`` like a page
(``page.export_<name>``).

The job runs in this process, as a caught-up worker runs it: taken from the same queue and run
by the same code (:class:`QueueRunner`). A real ``flask worker`` started on the organisation
would first send the 6,000 emails its build queued and never sent (its start-up sweep), and
the exports would wait behind them; an idle worker on the SQLite queue also takes up to
``app.jobs.IDLE_POLL_SECONDS`` (1 s) to see a new job, which is not counted here.
"""

from __future__ import annotations

import json
import secrets
import statistics
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks.measuring import Page, measure
from benchmarks.report import Figure, emit, note
from benchmarks.server import Browser

# A manager waits on the progress page for the file: a few seconds, like downloading a large
# file. In-process, the largest (a year of activity as Excel) took about 1.5 s of the worker's
# time at 1,000 reps on a loaded 2-core machine, the others 0.3 s to 0.8 s.
EXPORT_SECONDS = 5.0
RUNS = 3
GIVE_UP_SECONDS = 120.0

# (figure name, export, format, the page whose button asks for it)
EXPORTS = (
    ("reps_csv", "reps", "csv", "/team"),
    ("certifications_xlsx", "certifications", "xlsx", "/certifications/team"),
    ("commitments_csv", "commitments", "csv", "/team"),
    ("activity_xlsx", "activity", "xlsx", "/team"),
    ("outcomes_csv", "ramp-outcomes", "csv", "/outcomes/"),
    ("outcomes_xlsx", "ramp-outcomes", "xlsx", "/outcomes/"),
    ("plan_drivers_csv", "plan-drivers", "csv", "/outcomes/drivers"),
)


class QueueRunner:
    """Runs what the served app queued, as a ``flask worker`` thread would, in this process."""

    def __init__(self, database_url: str, settings: dict[str, str]) -> None:
        from app import create_app
        from app.jobs import queue_of

        self.app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": database_url,
                "EXPORT_DIR": Path(settings["SALESRAMP_EXPORT_DIR"]),
                "QUEUE_NAME": settings["SALESRAMP_QUEUE_NAME"],
            }
        )
        self.queue: Any = queue_of(self.app)

    def run_queued(self) -> int:
        """Run every job waiting in the queue; how many."""
        count = 0
        while (task := self.queue.dequeue()) is not None:
            self.queue.execute(task)
            count += 1
        return count


def settings(export_dir: str) -> dict[str, str]:
    """The served app's settings for the exports: where files go, and a queue of this run's own
    (so only the jobs this run queues are run here)."""
    return {
        "SALESRAMP_EXPORT_DIR": export_dir,
        "SALESRAMP_QUEUE_NAME": f"salesramp-bench-{secrets.token_hex(6)}",
    }


def run(
    prefix: str, database_url: str, served: dict[str, str], login: Browser, hr: Browser
) -> list[Figure]:
    """Each export as HR: ``<db>export.<name>.seconds``, then ``<prefix>.export_<name>.*``.

    ``served``: the :func:`settings` the app is served with."""
    database = prefix.removesuffix("page")  # "" on SQLite, "pg." on PostgreSQL
    worker = QueueRunner(database_url, served)
    try:
        return _measure_all(database, prefix, worker, login, hr)
    finally:
        worker.queue.flush()  # nothing of this run's queue is left in instance/


def _measure_all(
    database: str, prefix: str, worker: QueueRunner, login: Browser, hr: Browser
) -> list[Figure]:
    figures: list[Figure] = []
    for key, name, fmt, page in EXPORTS:
        name_of = f"{database}export.{key}.seconds"
        runs = [_written(worker, hr, name, fmt, page) for _ in range(RUNS)]
        finished = [(seconds, url) for seconds, url in runs if url]
        if len(finished) < RUNS:
            note(f"{database}export.{key}: {RUNS - len(finished)} of {RUNS} runs failed")
            figures.append(emit(Figure(name_of, GIVE_UP_SECONDS, "s", "<=", EXPORT_SECONDS)))
            continue
        seconds = statistics.median(s for s, _url in finished)
        written = ", ".join(f"{s:.2f}" for s, _url in finished)
        note(f"{database}export.{key}: POST /exports/{name}.{fmt}/start to written: {written} s")
        figures.append(emit(Figure(name_of, seconds, "s", "<=", EXPORT_SECONDS)))
        download = Page(f"export_{key}", "hr", finished[-1][1], download=True)
        figures += measure(prefix, login, hr, download)
    return figures


def _written(worker: QueueRunner, hr: Browser, name: str, fmt: str, page: str) -> tuple[float, str]:
    """Seconds from the button to the written file, and the file's URL ("" if it failed)."""
    token = hr.csrf_token(page)
    start = time.perf_counter()
    answer = hr.post(f"/exports/{name}.{fmt}/start", {"csrf_token": token})
    if answer.status != 303 or not answer.location:
        note(f"POST /exports/{name}.{fmt}/start answered {answer.status}")
        return 0.0, ""
    status_url = urlsplit(answer.location).path + "/status"
    while time.perf_counter() - start < GIVE_UP_SECONDS:
        worker.run_queued()  # retries included: a failed attempt is queued again
        status = json.loads(hr.get(status_url).body)
        if status["status"] == "done":
            return time.perf_counter() - start, str(status["download"])
        if status["status"] == "failed":
            note(f"the export of {name}.{fmt} failed: {status['error']}")
            return 0.0, ""
        time.sleep(0.02)
    return GIVE_UP_SECONDS, ""
