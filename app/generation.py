"""The data's generation, and figures kept while it holds.

A dashboard over a thousand reps reads every rep's plan summary, certifications, commitments
and outcomes, and draws fifty teams' heatmap: tens of milliseconds of work for figures that
change only when someone writes. So the database keeps one number, the generation, that every
transaction which wrote anything a page could show raises as it commits, in that transaction
(readers see the new number exactly when they see the new rows). Figures worked out from the
data are then kept, in each process, under the generation and the quarter hour they were
worked out in, and served again until either moves on:

- a write anywhere makes the next view work them out afresh, so a page never shows figures
  older than the last commit it could see; the bookkeeping that reads write (sign-ins, the
  security log, judgements and reports stored as they are read, mail, jobs) raises nothing;
- the statuses and "due by today" are judged on each rep's own day, and every time zone's
  midnight falls on a quarter hour, so nobody's day changes within one;
- a transaction that has itself written is never served kept figures: it would not see its
  own rows in them.

Every write passes through a SQLAlchemy connection, so a connection event notes it, whatever
the service, CLI command or import: nothing has to remember to raise the generation.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from functools import cache
from typing import Any, NamedTuple, TypeVar

from cachetools import LRUCache
from flask import Flask, current_app
from sqlalchemy import BigInteger, Connection, Integer, TextClause, bindparam, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.pool import Pool

from app.extensions import db

T = TypeVar("T")

# Tables whose writes change no figure a page keeps: written by reading a page or by the
# machinery around a request (sign-ins, the security log, stored judgements and reports,
# mail, jobs, webhook deliveries), people's own notifications and settings, or this table
# itself. A page that comes to keep figures read from one of them takes it off this list.
BOOKKEEPING = frozenset(
    {
        "data_generation",
        "notifications",
        "notification_preferences",
        "password_resets",
        "sign_ins",
        "security_events",
        "submissions",
        "outcome_judgements",
        "outcome_milestone_facts",
        "outcome_driver_counts",
        "stored_progress_reports",
        "team_leaderboards",
        "outbound_mails",
        "digests_sent",
        "table_exports",
        "agreement_exports",
        "webhook_deliveries",
        "webhook_attempts",
        "api_tokens",
        "calendar_feeds",
    }
)
KEPT_FIGURES = 64  # sets of figures each process keeps, the least recently used going first
QUARTER_HOUR = 15 * 60  # seconds

_WROTE = "salesramp.wrote"
_EXTENSION = "salesramp.kept_figures"
_MISSING = object()


class DataGeneration(db.Model):  # type: ignore[name-defined]
    """One row: how many transactions have written what pages show, and a random token
    drawn anew by each. Figures are kept under the token, not the count: a database restored
    from a backup counts again from an older number, and would meet figures kept for another
    state of the data under it; a token it holds was only ever drawn for the data it holds."""

    __tablename__ = "data_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    writes: Mapped[int] = mapped_column(BigInteger)
    token: Mapped[int] = mapped_column(BigInteger)


class Generation(NamedTuple):
    writes: int  # 0 before the first write
    token: int


class _KeptFigures:
    """A bounded map shared by the threads of one process."""

    def __init__(self) -> None:
        self.figures: LRUCache[Hashable, Any] = LRUCache(maxsize=KEPT_FIGURES)
        self.lock = threading.Lock()


def init_kept_figures(app: Flask) -> None:
    """Each app keeps its own figures (a test's app starts with none)."""
    app.extensions[_EXTENSION] = _KeptFigures()


def current_generation() -> Generation:
    """The generation this transaction sees."""
    query = select(DataGeneration.writes, DataGeneration.token).where(DataGeneration.id == 1)
    found = db.session.execute(query).first()
    return Generation(found.writes, found.token) if found else Generation(0, 0)


def kept(name: str, key: Hashable, compute: Callable[[], T], now: datetime | None = None) -> T:
    """``compute()``, or what it returned for the same ``name`` and ``key`` in this process
    while the generation and the quarter hour were what they are now.

    ``compute`` must return plain values (no rows bound to a session), never changed after.
    """
    if has_written():
        return compute()
    moment = now or datetime.now(UTC)
    quarter = int(moment.timestamp()) // QUARTER_HOUR
    full_key = (name, key, current_generation().token, quarter)
    store: _KeptFigures = current_app.extensions[_EXTENSION]
    with store.lock:
        found = store.figures.get(full_key, _MISSING)
    if found is not _MISSING:
        kept_value: T = found
        return kept_value
    value = compute()
    with store.lock:
        store.figures[full_key] = value
    return value


def forget_kept_figures() -> None:
    """Drop what this process keeps, so that the next view works its figures out (the query
    count tests count that work, not the kept copy)."""
    store: _KeptFigures = current_app.extensions[_EXTENSION]
    with store.lock:
        store.figures.clear()


def has_written() -> bool:
    """Whether the current transaction has written anything pages show (what the session
    holds unwritten is flushed first, as the next query would)."""
    db.session.flush()
    return bool(db.session.connection().info.get(_WROTE))


def _table_written(statement: Any) -> str | None:
    """The table a DML statement writes ("" when it cannot be told), else None."""
    if getattr(statement, "is_dml", False):
        table = getattr(statement, "table", None)
        return str(getattr(table, "name", ""))
    text = statement.text if isinstance(statement, TextClause) else statement
    if isinstance(text, str):
        verb = text.lstrip()[:6].lower()
        return "" if verb in ("insert", "update", "delete") else None
    return None


@event.listens_for(Engine, "before_execute")
def _note_write(
    connection: Connection, statement: Any, _multi: Any, _params: Any, _options: Any
) -> None:
    table = _table_written(statement)
    if table is not None and table not in BOOKKEEPING:
        connection.info[_WROTE] = True


@event.listens_for(Session, "after_begin")
def _start_unwritten(_session: Session, _transaction: Any, connection: Connection) -> None:
    """A session's transaction starts with no note, whatever ran on its connection before
    (the tests' harness restores a snapshot on the connection it then lends the session)."""
    connection.info.pop(_WROTE, None)


@event.listens_for(Engine, "rollback")
def _forget_writes(connection: Connection) -> None:
    connection.info.pop(_WROTE, None)


@event.listens_for(Engine, "commit")
def _forget_committed(connection: Connection) -> None:
    """A commit the session did not make (it raised the generation before its own)."""
    connection.info.pop(_WROTE, None)


@event.listens_for(Pool, "checkin")
def _forget_returned(_dbapi_connection: Any, record: Any) -> None:
    """However the transaction ended, a connection goes back to the pool with no note."""
    if record is not None:
        record.info.pop(_WROTE, None)


@event.listens_for(Session, "before_commit")
def _raise_generation(session: Session) -> None:
    """Raise the generation as the last write of a transaction that wrote. The commit's own
    flush comes after this hook, so it is made here first. The row's lock is held only
    while the transaction commits: writers queue there, never in an order that deadlocks."""
    if not session.in_transaction():
        return
    session.flush()
    connection = session.connection()
    if not connection.info.pop(_WROTE, False):
        return
    token = secrets.randbits(63)  # a positive BIGINT
    connection.execute(_raise_statement(connection.dialect.name), {"token": token})


@cache
def _raise_statement(dialect_name: str) -> Any:
    """The upsert, built once per dialect."""
    dialect: Any = postgresql if dialect_name == "postgresql" else sqlite
    table = DataGeneration.__table__
    token = bindparam("token", type_=BigInteger)
    insert = dialect.insert(table).values(id=1, writes=1, token=token)
    return insert.on_conflict_do_update(
        index_elements=[table.c.id], set_={"writes": table.c.writes + 1, "token": token}
    )
