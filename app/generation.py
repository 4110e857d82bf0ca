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

Figures over a whole organisation are sums and merges of each team's share (the dashboard's
counts, heatmap rows, the first ten of each team). So each team has a token too, drawn anew
by every transaction that wrote rows of that team's reps, and
:func:`app.teamshares.kept_by_team` works out again only the shares of the teams written to.
Which team a row belongs to is told by the
feature that owns it (:func:`scoped`), for the rows an ORM flush writes. A write that cannot
be placed in teams (a model nobody scoped, a Core statement outside a flush: an import, a
bulk update) draws the broad token, and every team's share is worked out again.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from itertools import chain
from typing import Any, NamedTuple, TypeVar

from cachetools import LRUCache
from flask import Flask, current_app
from sqlalchemy import (
    BigInteger,
    Connection,
    Integer,
    TextClause,
    bindparam,
    event,
    inspect,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, UOWTransaction, mapped_column
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
        "team_generations",
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
_BROAD = "salesramp.wrote_broadly"  # a write no team's token can stand for
_TEAMS = "salesramp.teams_written"  # the teams written to (0: reps with no team)
_LATER = "salesramp.teams_later"  # rows' teams known only once the flush has run
_FLUSHING = "salesramp.flushing"
CHANGES_NOTHING = "salesramp_changes_nothing"
"""An execution option for a statement that writes a row to itself (to lock it)."""
NO_TEAM = 0
_EXTENSION = "salesramp.kept_figures"
MISSING = object()


class DataGeneration(db.Model):  # type: ignore[name-defined]
    """One row: how many transactions have written what pages show, and a random token
    drawn anew by each. Figures are kept under the token, not the count: a database restored
    from a backup counts again from an older number, and would meet figures kept for another
    state of the data under it; a token it holds was only ever drawn for the data it holds."""

    __tablename__ = "data_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    writes: Mapped[int] = mapped_column(BigInteger)
    token: Mapped[int] = mapped_column(BigInteger)
    # Drawn anew only by writes that cannot be placed in teams: every team's share is stale.
    broad_token: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class TeamGeneration(db.Model):  # type: ignore[name-defined]
    """A token per team (:data:`NO_TEAM` for the reps without one), drawn anew by each
    transaction that wrote rows of the team's reps. A team without a row has token 0."""

    __tablename__ = "team_generations"

    team_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    token: Mapped[int] = mapped_column(BigInteger)


TeamOf = int | None | Callable[[], int | None]
"""A written row's team (None: no team), or a function telling it once the flush has run (a
row the flush inserts knows its parent only then)."""
ScopeOf = Callable[[Any], Iterable[TeamOf]]
_SCOPES: dict[type, ScopeOf] = {}
_SCOPE_FOUND: dict[type, ScopeOf | None] = {}


def scoped(model: type, teams_of: ScopeOf) -> None:
    """Rows of ``model`` belong to the teams ``teams_of(row)`` names, before and after the
    write (a row moved to another team's rep belongs to both). Registered by the feature
    that owns the model; rows of a model never registered are written broadly."""
    _SCOPES[model] = teams_of
    _SCOPE_FOUND.clear()


def _scope_of(model: type) -> ScopeOf | None:
    if model not in _SCOPE_FOUND:
        _SCOPE_FOUND[model] = next(
            (_SCOPES[base] for base in model.__mro__ if base in _SCOPES), None
        )
    return _SCOPE_FOUND[model]


class Generation(NamedTuple):
    writes: int  # 0 before the first write
    token: int


class KeptFigures:
    """Bounded maps shared by the threads of one process. The teams' shares have their own:
    figures kept whole are keyed by the generation, so every write adds entries that push
    out older ones, and would push out the shares, which outlive writes by design."""

    def __init__(self) -> None:
        self.figures: LRUCache[Hashable, Any] = LRUCache(maxsize=KEPT_FIGURES)
        self.shares: LRUCache[Hashable, Any] = LRUCache(maxsize=KEPT_FIGURES)
        # The time zones people are in, as read in a quarter hour (app.teamshares' clock).
        self.zones: tuple[int, tuple[str, ...]] | None = None
        self.lock = threading.Lock()


def kept_store() -> KeptFigures:
    """This process's kept figures (:mod:`app.teamshares` keeps the teams' shares there)."""
    store: KeptFigures = current_app.extensions[_EXTENSION]
    return store


def init_kept_figures(app: Flask) -> None:
    """Each app keeps its own figures (a test's app starts with none)."""
    app.extensions[_EXTENSION] = KeptFigures()


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
    store = kept_store()
    with store.lock:
        found = store.figures.get(full_key, MISSING)
    if found is not MISSING:
        kept_value: T = found
        return kept_value
    value = compute()
    with store.lock:
        store.figures[full_key] = value
    return value


def forget_kept_figures() -> None:
    """Drop what this process keeps, so that the next view works its figures out (the query
    count tests count that work, not the kept copy)."""
    store = kept_store()
    with store.lock:
        store.figures.clear()
        store.shares.clear()
        store.zones = None


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
    connection: Connection, statement: Any, _multi: Any, _params: Any, options: Any
) -> None:
    table = _table_written(statement)
    if table is None or table in BOOKKEEPING or _changes_nothing(statement, options):
        return
    connection.info[_WROTE] = True
    if not connection.info.get(_FLUSHING):  # the flush's rows are placed in teams
        connection.info[_BROAD] = True


def _changes_nothing(statement: Any, options: Any) -> bool:
    own = getattr(statement, "_execution_options", None) or {}
    return bool(own.get(CHANGES_NOTHING) or (options or {}).get(CHANGES_NOTHING))


@event.listens_for(Session, "before_flush")
def _place_rows(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """Note the teams of the rows this flush writes (a row nobody scoped: a broad write);
    the statements of the flush, and the derived tables it rewrites, are then placed."""
    info = session.connection().info
    info[_FLUSHING] = True
    session.info[_FLUSHING] = info  # for a flush that fails
    teams: set[int] = info.setdefault(_TEAMS, set())
    later: list[Callable[[], int | None]] = info.setdefault(_LATER, [])
    changed = (row for row in session.dirty if session.is_modified(row))
    for row in chain(session.new, changed, session.deleted):
        if inspect(row).mapper.persist_selectable.name in BOOKKEEPING:
            continue
        teams_of = _scope_of(type(row))
        if teams_of is None:
            info[_BROAD] = True
            continue
        for team in teams_of(row):
            if callable(team):
                later.append(team)
            else:
                teams.add(NO_TEAM if team is None else team)


@contextmanager
def placed_writes(session: Session) -> Iterator[None]:
    """Writes made within are placed already: the derived tables (:mod:`app.derived`)
    rewritten from the rows a flush placed in their teams (or wrote broadly)."""
    info = session.connection().info
    flushing = info.get(_FLUSHING)
    info[_FLUSHING] = True
    try:
        yield
    finally:
        if not flushing:
            info.pop(_FLUSHING, None)


@event.listens_for(Session, "after_flush_postexec")
def _placed(session: Session, _flush: UOWTransaction) -> None:
    info = session.connection().info
    later: list[Callable[[], int | None]] = info.pop(_LATER, [])
    teams: set[int] = info.setdefault(_TEAMS, set())
    teams.update(NO_TEAM if (team := told()) is None else team for told in later)
    info.pop(_FLUSHING, None)
    session.info.pop(_FLUSHING, None)


@event.listens_for(Session, "after_soft_rollback")
def _flush_failed(session: Session, _transaction: Any) -> None:
    """A flush that failed ends here: what runs next is not the flush's."""
    info = session.info.pop(_FLUSHING, None)
    if info is not None:
        info.pop(_FLUSHING, None)
        info.pop(_LATER, None)


@event.listens_for(Session, "after_begin")
def _start_unwritten(_session: Session, _transaction: Any, connection: Connection) -> None:
    """A session's transaction starts with no note, whatever ran on its connection before
    (the tests' harness restores a snapshot on the connection it then lends the session)."""
    _forget(connection.info)


def _forget(info: dict[Any, Any]) -> None:
    for note in (_WROTE, _BROAD, _TEAMS, _LATER, _FLUSHING):
        info.pop(note, None)


@event.listens_for(Engine, "rollback")
def _forget_writes(connection: Connection) -> None:
    _forget(connection.info)


@event.listens_for(Engine, "commit")
def _forget_committed(connection: Connection) -> None:
    """A commit the session did not make (it raised the generation before its own)."""
    _forget(connection.info)


@event.listens_for(Pool, "checkin")
def _forget_returned(_dbapi_connection: Any, record: Any) -> None:
    """However the transaction ended, a connection goes back to the pool with no note."""
    if record is not None:
        _forget(record.info)


@event.listens_for(Session, "before_commit")
def _raise_generation(session: Session) -> None:
    """Raise the generation as the last write of a transaction that wrote. The commit's own
    flush comes after this hook, so it is made here first. The row's lock is held only
    while the transaction commits: writers queue there, never in an order that deadlocks."""
    if not session.in_transaction():
        return
    session.flush()
    connection = session.connection()
    info = connection.info
    if not info.pop(_WROTE, False):
        return
    token = secrets.randbits(63)  # a positive BIGINT
    broadly = bool(info.pop(_BROAD, False))
    teams = sorted(info.pop(_TEAMS, ()))  # in order: two writers lock teams alike
    dialect = connection.dialect.name
    if teams and not broadly:
        rows = [{"team_id": team, "token": token} for team in teams]
        connection.execute(_raise_teams_statement(dialect), rows)
    connection.execute(_raise_statement(dialect, broadly), {"token": token})


@cache
def _raise_statement(dialect_name: str, broadly: bool) -> Any:
    """The upsert, built once per dialect (and whether it draws the broad token too)."""
    dialect: Any = postgresql if dialect_name == "postgresql" else sqlite
    table = DataGeneration.__table__
    token = bindparam("token", type_=BigInteger)
    insert = dialect.insert(table).values(id=1, writes=1, token=token, broad_token=token)
    changes = {"writes": table.c.writes + 1, "token": token}
    if broadly:
        changes["broad_token"] = token
    return insert.on_conflict_do_update(index_elements=[table.c.id], set_=changes)


@cache
def _raise_teams_statement(dialect_name: str) -> Any:
    """The teams' upsert (one row per team written to), built once per dialect."""
    dialect: Any = postgresql if dialect_name == "postgresql" else sqlite
    table = TeamGeneration.__table__
    insert = dialect.insert(table)
    return insert.on_conflict_do_update(
        index_elements=[table.c.team_id], set_={"token": insert.excluded.token}
    )
