"""Work that must wait until the request's transaction is committed, and what it read once.

Services only ``flush()``; the web layer commits once at the end of a request (see
``app.web``). Some work may only start once the rows it reads are committed: a background
thread reading a job row, for example. A service registers it with :func:`after_commit`; it
runs right after the next successful commit of the same session and is dropped on rollback.

Several parts of one page often read the same rows (the sales stages, a rep's active plan):
:func:`remembered` reads them once per transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db

_KEY = "salesramp.after_commit"
_KEPT = "salesramp.kept_whatever_happens"
_REMEMBERED = "salesramp.remembered"
T = TypeVar("T")


def after_commit(callback: Callable[[], object]) -> None:
    """Run ``callback`` once the current transaction commits; never if it rolls back."""
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any query still drops the callback
    session.info.setdefault(_KEY, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_callbacks(session: Session) -> None:
    for callback in session.info.pop(_KEY, []):
        callback()


@event.listens_for(Session, "after_soft_rollback")
def _drop_callbacks(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint in it
        session.info.pop(_KEY, None)


def keep_whatever_happens(row: object) -> None:
    """Save ``row`` when the request ends, even if the request's own writes are rolled back.

    A refused request discards its writes, but the record that it was refused (the security
    log) must stay; the web layer adds these rows after its commit or its rollback.
    """
    db.session().info.setdefault(_KEPT, []).append(row)


def take_kept_rows() -> list[object]:
    """The rows :func:`keep_whatever_happens` was given since the last call, and forget them."""
    rows: list[object] = db.session().info.pop(_KEPT, [])
    return rows


def remembered(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, asked once per transaction under ``name``.

    Forgotten when the transaction ends, so the next unit of work reads afresh; a service
    that changes what is remembered within the same transaction calls :func:`forget`.
    """
    cache: dict[str, Any] = db.session().info.setdefault(_REMEMBERED, {})
    if name not in cache:
        cache[name] = compute()
    found: T = cache[name]
    return found


def forget(name: str) -> None:
    """Drop what :func:`remembered` holds under ``name`` (it has just changed)."""
    db.session().info.get(_REMEMBERED, {}).pop(name, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_remembered(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_REMEMBERED, None)
