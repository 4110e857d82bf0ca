"""The large organisation the page benchmark serves: built once, then reused.

On SQLite it is kept under ``instance/bench/``, one file per generator version and size. On
PostgreSQL (``SALESRAMP_BENCH_POSTGRES_URL``) the database is created when missing and rebuilt
when a key file beside the SQLite copies says it holds another version or size.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks.report import note

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "instance" / "bench"
FLASK = [sys.executable, "-m", "flask", "--app", "app"]
BUILD_TIMEOUT = 1800  # seconds: far more than the few minutes 1,000 reps take
RESERVED = ("test", "test_dev")  # the test suites' databases, never touched here


def generator_key(reps: int) -> str:
    from app.demo_large import GENERATOR_VERSION

    return f"large-v{GENERATOR_VERSION}-{reps}"


def _migrate(url: str) -> None:
    """A reused copy is brought up to the current schema, as a production database would be."""
    env = os.environ | {"SALESRAMP_DATABASE_URL": url}
    subprocess.run(
        [*FLASK, "db", "upgrade"], cwd=ROOT, env=env, check=True, timeout=BUILD_TIMEOUT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _build(url: str) -> float:
    """Schema, curriculum and ``flask demo --reps``, as a user would; returns the seconds."""
    env = os.environ | {"SALESRAMP_DATABASE_URL": url}
    env.pop("SALESRAMP_BENCH_QUERY_HEADER", None)
    start = time.perf_counter()
    for args in (["db", "upgrade"], ["curriculum", "load"], ["demo", "--reps", url_reps(url)]):
        subprocess.run(
            [*FLASK, *args], cwd=ROOT, env=env, check=True, timeout=BUILD_TIMEOUT,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return time.perf_counter() - start


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
