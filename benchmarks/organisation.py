"""The large organisation the page benchmark serves: built once, then reused.

On SQLite it is kept under ``instance/bench/``, one file per generator version and size. On
PostgreSQL (``SALESRAMP_BENCH_POSTGRES_URL``) the database is created when missing and rebuilt
when a key file beside the SQLite copies says it holds another version or size.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks.report import note

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "instance" / "bench"
FLASK = [sys.executable, "-m", "flask", "--app", "app"]
# A build is not timed out as a whole: 1,000 reps took 207 s on SQLite and 520 s on PostgreSQL
# built side by side on a quiet machine (30 Nov 2026), but 2,742 s on PostgreSQL on a loaded
# one, and any fixed limit fails a build that is slow but sound. It is stopped only when it
# falls silent: the demo prints a line per team of about twenty reps and per 250 reps of
# activity, passed on here as notes, so a slow build shows how far it has come.
SILENCE_LIMIT = 900  # seconds without a line from the build
# ``db upgrade`` of a reused copy prints nothing; a lock it waits for (a server still holding
# the database) must not hang the benchmark for ever.
MIGRATE_TIMEOUT = 1800
RESERVED = ("test", "test_dev")  # the test suites' databases, never touched here


def generator_key(reps: int) -> str:
    from app.demo_large import GENERATOR_VERSION

    return f"large-v{GENERATOR_VERSION}-{reps}"


def _migrate(url: str) -> None:
    """A reused copy is brought up to the current schema, as a production database would be."""
    env = os.environ | {"SALESRAMP_DATABASE_URL": url}
    subprocess.run(
        [*FLASK, "db", "upgrade"], cwd=ROOT, env=env, check=True, timeout=MIGRATE_TIMEOUT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _build(url: str) -> float:
    """Schema, curriculum and ``flask demo --reps``, as a user would; returns the seconds."""
    env = os.environ | {"SALESRAMP_DATABASE_URL": url}
    env.pop("SALESRAMP_BENCH_QUERY_HEADER", None)
    start = time.perf_counter()
    _run_step(["db", "upgrade"], env, show=False)
    _run_step(["curriculum", "load"], env, show=False)
    _run_step(["demo", "--reps", url_reps(url)], env, show=True)
    return time.perf_counter() - start


def _run_step(args: list[str], env: dict[str, str], *, show: bool) -> None:
    """One ``flask`` command of the build, its output lines as notes when ``show``; stopped
    (and the benchmark with it) only after ``SILENCE_LIMIT`` seconds without a line."""
    command = [*FLASK, *args]
    lines: queue.Queue[str | None] = queue.Queue()
    # Unbuffered: a pipe would otherwise hold the progress lines until the end.
    with subprocess.Popen(
        command, cwd=ROOT, env=env | {"PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
        while (line := _next_line(lines, process, args)) is not None:
            if show and line.strip():
                note(f"build: {line.strip()}")
        if process.wait() != 0:
            raise subprocess.CalledProcessError(process.returncode, command)


def _read_lines(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _next_line(
    lines: queue.Queue[str | None], process: subprocess.Popen[str], args: list[str]
) -> str | None:
    try:
        return lines.get(timeout=SILENCE_LIMIT)
    except queue.Empty:
        process.kill()
        raise SystemExit(
            f"flask {' '.join(args)} printed nothing for {SILENCE_LIMIT} s: stopped as stuck"
        ) from None


_REPS: dict[str, int] = {}


def url_reps(url: str) -> str:
    return str(_REPS[url])


def sqlite_database(reps: int) -> tuple[str, float | None]:
    """The SQLite URL of the organisation, and how long building it took (None: reused)."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    final = BENCH_DIR / f"{generator_key(reps)}.sqlite3"
    if final.exists():
        _migrate(f"sqlite:///{final}")
        return f"sqlite:///{final}", None
    scratch = final.with_suffix(".building")
    scratch.unlink(missing_ok=True)
    url = f"sqlite:///{scratch}"
    _REPS[url] = reps
    note(f"building {reps} reps on SQLite (cached afterwards in {final.relative_to(ROOT)})")
    seconds = _build(url)
    scratch.rename(final)
    return f"sqlite:///{final}", seconds


def postgres_database(url: str, reps: int) -> tuple[str, float | None]:
    """The PostgreSQL database at ``url`` holding the organisation; building it when needed."""
    parsed = make_url(url)
    name = parsed.database or ""
    if not name or name in RESERVED or name.startswith("test_gw"):
        raise SystemExit(f"Refusing to use the database {name!r}: the test suites use it.")
    key_file = BENCH_DIR / f"postgres-{name}.key"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if key_file.exists() and key_file.read_text() == generator_key(reps) and _reps_in(url) == reps:
        _migrate(url)
        _analyse(url)
        return url, None
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    key_file.unlink(missing_ok=True)
    _REPS[url] = reps
    note(f"building {reps} reps on PostgreSQL database {name!r}")
    seconds = _build(url)
    _analyse(url)
    key_file.write_text(generator_key(reps))
    return url, seconds


def _analyse(url: str) -> None:
    """Statistics and a visibility map, as autovacuum keeps them in production: a database
    filled a minute ago has neither, and its planner guesses one row per table."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def _reps_in(url: str) -> int | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(
                text("SELECT count(*) FROM users WHERE email LIKE 'rep%@large.salesramp'")
            )
    except Exception:
        return None
    finally:
        engine.dispose()
