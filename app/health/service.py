"""The checks behind ``/healthz``: each says "ok" or what is wrong, never raises."""

from __future__ import annotations

import logging

from sqlalchemy import text

from app.extensions import db
from app.jobs import queue_reachable

log = logging.getLogger(__name__)


def database_status() -> str:
    """ "ok" when the database answers a query; the session is rolled back either way."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        log.exception("the database is unreachable")
        return "unreachable"
    finally:
        db.session.rollback()
    return "ok"


def queue_status() -> str:
    """ "ok" when the job queue's storage (the SQLite file or Redis) answers."""
    return "ok" if queue_reachable() else "unreachable"


def health() -> dict[str, str]:
    """Every check by name, for a load balancer to decide whether to send traffic here."""
    return {"database": database_status(), "queue": queue_status()}
