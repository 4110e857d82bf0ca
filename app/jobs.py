"""The job queue: background work that outlives the request and the web worker (Huey).

Web workers only record what has to be done and enqueue a job once the request commits
(:func:`enqueue_after_commit`); a separate worker process (``flask --app app worker``, started
beside gunicorn by ``make run``) runs it. The queue lives in a SQLite file in ``instance/`` by
default, so one machine needs nothing more, and in Redis when ``SALESRAMP_REDIS_URL`` is set,
so that web workers and job workers on several hosts share it.

A job that raises is retried with exponential backoff (``JOB_RETRY_DELAY`` seconds, doubled
each time, ``JOB_RETRIES`` times); the job itself records the outcome on its domain row, and
tells the last attempt from the others through :class:`Attempt`. A worker killed in the middle
of a job loses it (Huey does not acknowledge): the features register a sweep
(:func:`on_worker_start`, and a periodic job) that retries or fails whatever was left running.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from huey import Huey, RedisHuey, SqliteHuey
from huey.api import Task
from sqlalchemy import delete, make_url, or_, select, update

from app.extensions import db
from app.transaction import after_commit

QUEUE_NAME = "salesramp"
# An idle worker on the SQLite queue (Redis blocks instead) looks for jobs at least this often:
# Huey's default backs off to 10 s, so a manager's export could wait 10 s for 0.3 s of work.
IDLE_POLL_SECONDS = 1.0
_JOBS = "salesramp.jobs"
_STARTERS = "salesramp.worker_start"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attempt:
    """Which attempt of a job this is: the last one records a failure instead of retrying."""

    number: int
    last: bool


# A job's body: runs in an app context with the job's arguments and ``attempt=Attempt(...)``.
Job = Callable[..., None]


def init_queue(app: Flask) -> Huey:
    """Create the app's queue: Redis when configured, else a SQLite file in ``instance/``."""
    immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    name = app.config.get("QUEUE_NAME") or default_queue_name(app.config["SQLALCHEMY_DATABASE_URI"])
    queue: Huey
    if app.config.get("REDIS_URL"):
        queue = RedisHuey(name, url=app.config["REDIS_URL"], immediate=immediate)
    else:
        path = Path(app.config["QUEUE_FILE"])
        path.parent.mkdir(parents=True, exist_ok=True)
        queue = SqliteHuey(name, filename=str(path), immediate=immediate)
    app.extensions["huey"] = queue
    app.extensions[_JOBS] = {}
    app.extensions[_STARTERS] = []
    app.cli.add_command(worker_command)
    return queue


def default_queue_name(database_url: str) -> str:
    """One queue per database: a job names rows by id, so it must run against their database.

    Web and job workers configured with the same database share the queue; a second database
    on the same machine (a benchmark's, say) never receives the first one's jobs. The password
    is left out, so rotating it does not orphan queued jobs.
    """
    where = make_url(database_url).render_as_string(hide_password=True)
    return f"{QUEUE_NAME}-{hashlib.sha256(where.encode()).hexdigest()[:12]}"


def queue_of(app: Flask | None = None) -> Huey:
    target = app or current_app
    queue: Huey = target.extensions["huey"]
    return queue


def register_job(app: Flask, name: str, body: Job) -> None:
    """Make ``body`` a job called ``name``, retried with backoff, run in an app context."""
    retries = int(app.config["JOB_RETRIES"])

    @queue_of(app).task(name=name, retries=retries, context=True)
    def run(*args: Any, task: Task) -> None:
        number = retries - task.retries + 1
        with app.app_context():
            try:
                body(*args, attempt=Attempt(number, last=task.retries == 0))
            except Exception:
                db.session.rollback()
                # Huey waits retry_delay before the next attempt: double it every time.
                task.retry_delay = float(app.config["JOB_RETRY_DELAY"]) * 2 ** (number - 1)
                raise

    app.extensions[_JOBS][name] = run


def enqueue(name: str, *args: Any, app: Flask | None = None) -> None:
    """Put the job ``name`` on the queue now (its rows must already be committed)."""
    target = app or current_app
    target.extensions[_JOBS][name](*args)


def enqueue_after_commit(name: str, *args: Any) -> None:
    """Enqueue once the transaction commits, so the job finds its rows; never on rollback."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    after_commit(lambda: enqueue(name, *args, app=app))


def on_worker_start(app: Flask, starter: Callable[[], object]) -> None:
    """Run ``starter`` (in an app context) each time a worker starts: recover interrupted work."""
    app.extensions[_STARTERS].append(starter)


def recover(app: Flask) -> None:
    """What a starting worker does first: each feature's sweep of work a crash left behind."""
    for starter in app.extensions[_STARTERS]:
        with app.app_context():
            starter()
            db.session.commit()


def commit_progress(model: Any, row_id: int, **values: Any) -> None:
    """Write a job row's progress straight away, in its own commit, for its progress page."""
    db.session.execute(update(model).where(model.id == row_id).values(**values))
    db.session.commit()


def sweep_stale(
    model: Any,
    active: Sequence[Any],
    job_name: str,
    stale_after: timedelta,
    max_attempts: int,
    failed: dict[str, Any],
) -> tuple[int, int]:
    """Queue again, or fail, job rows left ``active`` with no sign of life; (requeued, failed).

    ``model`` has ``status``, ``attempts``, ``heartbeat_at`` and ``created_at``: the job beats
    the heartbeat as it goes, so a row quiet for ``stale_after`` lost its worker (or its job
    was never queued). Each row is claimed with a conditional update on its heartbeat, so two
    workers sweeping at once requeue it once; a row whose attempts are spent gets ``failed``.
    """
    cutoff = _utc_now() - stale_after
    stale = db.session.execute(
        select(model.id, model.attempts, model.heartbeat_at).where(
            model.status.in_(active),
            or_(
                model.heartbeat_at < cutoff,
                model.heartbeat_at.is_(None) & (model.created_at < cutoff),
            ),
        )
    ).all()
    requeued = given_up = 0
    for row_id, attempts, heartbeat in stale:
        claim = update(model).where(
            model.id == row_id,
            model.status.in_(active),
            model.heartbeat_at.is_(None) if heartbeat is None else model.heartbeat_at == heartbeat,
        )
        if attempts >= max_attempts:
            given_up += _claimed(claim.values(**failed, finished_at=_utc_now()))
        elif _claimed(claim.values(heartbeat_at=_utc_now())):
            enqueue_after_commit(job_name, row_id)
            requeued += 1
    db.session.flush()
    return requeued, given_up


def prune_finished(model: Any, finished: Sequence[Any], before: datetime) -> int:
    """Delete job rows that finished (``status`` in ``finished``) before ``before``; how many."""
    result = db.session.execute(
        delete(model).where(model.status.in_(finished), model.finished_at < before)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _claimed(statement: Any) -> int:
    """How many rows a conditional update changed: 0 when another worker got there first."""
    return int(db.session.execute(statement).rowcount)  # type: ignore[attr-defined]


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def queue_reachable(app: Flask | None = None) -> bool:
    """Whether the queue's storage answers (the SQLite file opens, Redis replies)."""
    try:
        queue_of(app).storage.queue_size()
    except Exception:
        log.exception("the job queue is unreachable")
        return False
    return True


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at the same time.")
@with_appcontext
def worker_command(workers: int) -> None:
    """Run the job worker: email, exports, sealing; recovers interrupted jobs first."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    recover(app)
    click.echo(f"SalesRamp job worker: {workers} threads on {type(queue_of(app)).__name__}")
    queue_of(app).create_consumer(
        workers=workers, worker_type="thread", max_delay=IDLE_POLL_SECONDS
    ).run()
