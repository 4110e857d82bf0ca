"""``make loadtest``: locust against the demo organisation on 127.0.0.1, bounded in time.

For SQLite and PostgreSQL (``SALESRAMP_LOADTEST_POSTGRES_URL``, default database
``bench_load`` on the local server, rebuilt each run), with 2 and then 4 gunicorn workers (4
threads each, as ``make run``) and the job worker beside them, 50 simulated people
(``benchmarks/locustfile.py``) for 60 seconds each. Prints one ``LOAD`` line per run and writes
them to ``instance/loadtest/results.md``. ``SALESRAMP_LOADTEST_USERS``, ``_SECONDS`` and
``_ONLY`` (``sqlite`` or ``postgresql``) change the run. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import csv
import os
import signal
import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks.server import HOST, gunicorn, stop

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "instance" / "loadtest"
FLASK = [sys.executable, "-m", "flask", "--app", "app"]
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_load"
RESERVED = ("test", "test_dev", "postgres")
P95_TARGET_MS = 300
WORKERS = (2, 4)


@dataclass(frozen=True)
class Result:
    label: str
    requests: int
    errors: int
    rps: float
    p50: float
    p95: float
    p99: float
    browsing_p95: float  # without the sign-ins (Argon2id is slow by design)

    @property
    def passed(self) -> bool:
        return self.errors == 0 and self.p95 < P95_TARGET_MS

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return (
            f"LOAD {self.label} rps {self.rps:.1f} p50 {self.p50:.0f} ms p95 {self.p95:.0f} ms "
            f"p99 {self.p99:.0f} ms errors {self.errors} of {self.requests} "
            f"(p95 without sign-in {self.browsing_p95:.0f} ms) "
            f"target errors 0, p95 < {P95_TARGET_MS} ms {verdict}"
        )


def percentile(values: list[float], share: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


def _flask(url: str, *args: str) -> None:
    env = os.environ | {"SALESRAMP_DATABASE_URL": url}
    subprocess.run(
        [*FLASK, *args], cwd=ROOT, env=env, check=True, timeout=600,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _seed(url: str) -> None:
    """The ten-rep demo organisation, as ``make run`` seeds it."""
    for args in (("db", "upgrade"), ("curriculum", "load"), ("demo",)):
        _flask(url, *args)


def sqlite_database() -> str:
    path = OUT / "load.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    _seed(url)
    return url


def postgres_database(url: str) -> str:
    parsed = make_url(url)
    name = parsed.database or ""
    if parsed.host not in (HOST, "localhost") or name in RESERVED or name.startswith("test"):
        raise SystemExit(f"Refusing to use {name!r} on {parsed.host!r}: 127.0.0.1 only, no test DB")
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    _seed(url)
    return url


@contextmanager
def job_worker(url: str) -> Iterator[None]:
    """``flask worker`` beside gunicorn, as ``make run`` starts it (it seals signed agreements)."""
    env = os.environ | {"SALESRAMP_DATABASE_URL": url}
    log = (OUT / "worker.log").open("a")
    process = subprocess.Popen([*FLASK, "worker"], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        yield
    finally:
        stop(process, signal.SIGINT)
        log.close()


def run_locust(base: str, label: str, users: int, seconds: int) -> Result:
    assert base.startswith(f"http://{HOST}:"), "the load test only ever targets 127.0.0.1"
    prefix, timings = OUT / label, OUT / f"{label}.timings.tsv"
    timings.unlink(missing_ok=True)
    subprocess.run(
        [
            sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"),
            "--headless", "--users", str(users), "--spawn-rate", "5",
            "--run-time", f"{seconds}s", "--stop-timeout", "10", "--host", base,
            "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        ],
        cwd=ROOT, timeout=seconds + 180, check=False,
        env=os.environ | {"SALESRAMP_LOADTEST_TIMINGS": str(timings)},
        stdout=subprocess.DEVNULL, stderr=(OUT / f"{label}.log").open("w"),
    )  # fmt: skip
    with (OUT / f"{label}_stats.csv").open() as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    rows = [line.split("\t") for line in timings.read_text().splitlines()]
    every = [float(ms) for _, ms, _ in rows]
    browsing = [float(ms) for name, ms, _ in rows if not name.startswith("/login")]
    return Result(
        label=label,
        requests=len(rows),
        errors=sum(int(failed) for _, _, failed in rows),
        rps=float(total["Requests/s"]),
        p50=percentile(every, 50),
        p95=percentile(every, 95),
        p99=percentile(every, 99),
        browsing_p95=percentile(browsing, 95),
    )


def write_report(results: list[Result], users: int, seconds: int) -> Path:
    report = OUT / "results.md"
    lines = [
        f"# make loadtest, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"{users} simulated people for {seconds} s per run, against 127.0.0.1 "
        f"({os.cpu_count()} CPUs, shared), the ten-rep demo organisation, the job worker running.",
        "",
        "| run | requests/s | p50 ms | p95 ms | p99 ms | p95 without sign-in | errors | requests "
        "| target |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        verdict = "met" if r.passed else "missed"
        lines.append(
            f"| {r.label} | {r.rps:.1f} | {r.p50:.0f} | {r.p95:.0f} | {r.p99:.0f} | "
            f"{r.browsing_p95:.0f} | {r.errors} | {r.requests} | {verdict} |"
        )
    report.write_text("\n".join(lines) + "\n")
    return report


def main() -> int:
    users = int(os.environ.get("SALESRAMP_LOADTEST_USERS") or 50)
    seconds = int(os.environ.get("SALESRAMP_LOADTEST_SECONDS") or 60)
    only = os.environ.get("SALESRAMP_LOADTEST_ONLY", "")
    OUT.mkdir(parents=True, exist_ok=True)
    databases = []
    if only in ("", "sqlite"):
        databases.append(("sqlite", sqlite_database))
    if only in ("", "postgresql"):
        postgres = os.environ.get("SALESRAMP_LOADTEST_POSTGRES_URL") or DEFAULT_POSTGRES
        databases.append(("postgresql", lambda: postgres_database(postgres)))
    results = []
    for kind, prepare in databases:
        print(f"# seeding the demo organisation on {kind}", flush=True)
        url = prepare()
        for workers in WORKERS:
            label = f"{kind}.{workers}-workers"
            print(f"# {label}: {users} users for {seconds} s", flush=True)
            # Idle connections are kept longer than the users' think time (1 to 3 s): a browser
            # silently retries a request on a connection the server just closed; locust's
            # client reports it as a reset instead.
            log = OUT / f"{label}.gunicorn.log"
            server = gunicorn(url, workers=workers, query_header=False, keep_alive=5, log=log)
            with job_worker(url), server as base:
                result = run_locust(base, label, users, seconds)
            print(result.line(), flush=True)
            results.append(result)
    print(f"# written to {write_report(results, users, seconds).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
