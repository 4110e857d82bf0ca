"""Derived tables kept in step with every write, in the writer's own transaction.

Several features keep a narrow summary of rows that many services write (a plan's milestones
counted, a rep's certification standings, a plan's weeks tallied, a rep's outcome stamp), so
their pages read one row per plan or rep instead of every milestone. They are kept by a session
hook rather than by a call in each service: every ORM write passes through a flush, so no
service, import, CLI command or demo can forget one.

A feature registers a :class:`DerivedTable`: which rows it reads (:class:`Watch`: a model, the
columns whose change counts), how a changed row names the keys of the summary rows it affects
(a plan's id, a rep's id; for a row added by this flush, a function asked after the flush,
once the row has its id), which rows to lock per key, and how to rewrite the summary of some
keys. This module does the rest, once per flush for every table together:

- before the flush, one pass over the added, deleted and changed rows notes each table's keys;
- on PostgreSQL it locks the keys' rows (``FOR NO KEY UPDATE``, the lock an ``UPDATE`` of the
  row takes, in key order) before the flush writes anything, as the services lock a plan or
  rep before writing under it (``app.once.lock``), so two transactions writing under one key
  rewrite its summary one after the other, each from what the other committed, and cannot
  deadlock on the order; keys known only after the flush are locked then. Tables sharing a
  lock (the plans' summaries and tallies) lock once. SQLite has one writer at a time anyway;
- after the flush it rewrites each table's summary of its keys, skipping a table none of
  whose rows changed.

A bulk writer that flushes many times per transaction (the large demo acts out a team's year
through the services, some fifty flushes per rep) can open :func:`batched`: the summaries
rewritten from their rows (by :func:`rewrite`) are then rewritten once, for every key noted,
before the transaction commits, instead of after each flush; the others (the outcome stamps'
bump, a counter) are run as many times per key as flushes noted it, all keys at once per round;
and a row is locked once per transaction rather than before each flush. The same rows and
locks, in about half the statements.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    BindParameter,
    Executable,
    Select,
    Table,
    bindparam,
    delete,
    event,
    insert,
    inspect,
    select,
)
from sqlalchemy.orm import Session, SessionTransaction, UOWTransaction

from app.generation import placed_writes

Later = Callable[[], int | None]
"""A key known only after the flush (the id of a row the flush inserts, or of its parent)."""

_PENDING = "salesramp.derived_pending"
_BATCHED = "salesramp.derived_batched"


@dataclass(frozen=True)
class Watch:
    """The rows of ``model`` a derived table reads, and which of their writes change it.

    ``columns``: the attributes whose change counts (None: any column, not a collection);
    ``added`` and ``deleted``: whether adding or deleting a row counts.
    """

    model: type
    columns: tuple[str, ...] | None = None
    added: bool = True
    deleted: bool = True


@dataclass(frozen=True)
class Lock:
    """The rows (of ``model``, by id) that serialise the writers under one kind of key.

    Kinds are locked in ``rank`` order, the broader row first (a rep, 0, before their plan,
    1), the order in which assessing, assigning and pausing lock them (``app.once.lock``). A
    service that locks a plan itself locks its rep first, or a concurrent writer of the same
    rep could deadlock with it."""

    model: type
    rank: int


@dataclass(frozen=True)
class DerivedTable:
    """A summary kept in step with the rows it watches, rewritten per key after each flush."""

    name: str
    watches: tuple[Watch, ...]
    keys: Callable[[Any], Iterable[int | Later]]
    """The keys a watched row's write affects, before and after it (a row moved from one plan
    to another changes both); a :data:`Later` for a key the flush has yet to give an id."""
    refresh: Callable[[Session, Collection[int]], None]
    """Rewrite the summary of these keys from the rows, in the session's transaction."""
    lock: Lock | None = None
    """The rows locked per key, on PostgreSQL; None when the refresh is safe without (an
    upsert that only counts)."""


_TABLES: list[DerivedTable] = []
_WATCHES: dict[type, list[tuple[DerivedTable, Watch]]] = {}
# The refreshes made by :func:`rewrite`: each rewrites its keys' rows from scratch, so one run
# for the keys of many flushes leaves the same rows as a run after each (a batch may wait).
_REWRITES: set[Callable[[Session, Collection[int]], None]] = set()


def keep(table: DerivedTable) -> None:
    """Keep ``table`` in step with every flush from now on (called once, at import)."""
    if any(known.name == table.name for known in _TABLES):
        raise ValueError(f"derived table {table.name!r} is registered already")
    _TABLES.append(table)
    _WATCHES.clear()  # rebuilt for the models seen, subclasses included


def rewrite(
    table: Table, key: str, columns: list[str], query: Callable[[BindParameter[Any]], Select[Any]]
) -> Callable[[Session, Collection[int]], None]:
    """A refresh that deletes the keys' rows of ``table`` (by its column ``key``) and inserts
    them again from ``query`` (the rows recomputed for the keys it is given, in ``columns``).

    Its two statements are built once, the keys bound as one expanding parameter, rather
    than on every flush: building and hashing a query of some thirty ``CASE`` expressions
    cost more than running it.
    """
    statements: list[Executable] = []

    def refresh(session: Session, keys: Collection[int]) -> None:
        if not keys:
            return
        if not statements:
            ids: BindParameter[Any] = bindparam("derived_keys", expanding=True)
            statements.append(delete(table).where(table.c[key].in_(ids)))
            statements.append(insert(table).from_select(columns, query(ids)))
        connection = session.connection()
        for statement in statements:
            connection.execute(statement, {"derived_keys": sorted(keys)})

    _REWRITES.add(refresh)
    return refresh


@contextmanager
def batched(session: Session) -> Iterator[None]:
    """Rewrite the summaries made by :func:`rewrite` once per commit rather than per flush.

    Every flush still notes its keys and takes its locks; the rewrites wait until the session
    commits (or the block ends, after a last flush), then run once for all the keys noted. The
    other refreshes (a counter's bump) wait too, then run in rounds: the first for every key
    noted, the next for every key noted more than once, and so on, so each key's count is
    what a run per flush would have left.
    Nothing in the block may read those summaries meanwhile: they are behind until then. An
    error out of the block leaves them behind too: roll back then, as after any failed write.
    """
    if _BATCHED in session.info:
        yield
        return
    session.info[_BATCHED] = _Batch()
    try:
        yield
        session.flush()
        _refresh_batched(session)
    finally:
        session.info.pop(_BATCHED, None)


def _refresh_batched(session: Session) -> None:
    batch: _Batch | None = session.info.get(_BATCHED)
    if batch is None:
        return
    # Locked by the flushes that noted them, unless a savepoint's end let the locks go since.
    noted = {name: set(counts) for name, counts in batch.counted.items()} | batch.keys
    _lock(session, _Pending(locked=batch.locked), noted)
    with placed_writes(session):  # rewritten from rows their flushes placed in teams
        for table in _TABLES:
            keys = batch.keys.pop(table.name, None)
            if keys:
                table.refresh(session, keys)
            counts = batch.counted.pop(table.name, None)
            while counts:
                table.refresh(session, set(counts))
                counts = Counter({key: times - 1 for key, times in counts.items() if times > 1})


def previous(row: object, attribute: str) -> set[Any]:
    """The values ``attribute`` held before this flush changed it (a row's former parent)."""
    return {value for value in inspect(row).attrs[attribute].history.deleted if value}


def _watching(model: type) -> list[tuple[DerivedTable, Watch]]:
    found = _WATCHES.get(model)
    if found is None:
        found = [
            (table, watch)
            for table in _TABLES
            for watch in table.watches
            if issubclass(model, watch.model)
        ]
        _WATCHES[model] = found
    return found


@dataclass
class _Pending:
    """What the flush under way (and any earlier one that failed) left to do."""

    keys: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    later: dict[str, list[Later]] = field(default_factory=lambda: defaultdict(list))
    locked: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))


@dataclass
class _Batch:
    """The keys a :func:`batched` block's flushes noted for the rewrites it holds back, and
    the rows locked in this transaction (a lock lasts until it ends: taken once, not per flush).
    """

    keys: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    counted: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    locked: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))


def _counts(session: Session, row: object, watch: Watch, added: bool, deleted: bool) -> bool:
    if added:
        return watch.added
    if deleted:
        return watch.deleted
    if watch.columns is None:
        return session.is_modified(row, include_collections=False)
    state = inspect(row)
    return any(state.attrs[name].history.has_changes() for name in watch.columns)


@event.listens_for(Session, "before_flush")
def _note(session: Session, _context: UOWTransaction, _instances: object) -> None:
    """Note each table's keys in one pass over the rows written, and lock the known ones."""
    if not _TABLES:
        return
    # Each of these builds a set from the session's states: once per flush, not per row.
    added, deleted, dirty = session.new, session.deleted, session.dirty
    pending: _Pending | None = session.info.get(_PENDING)
    if pending is not None:
        pending.locked.clear()  # a failed flush's savepoint may have let its locks go
    for rows, is_added, is_deleted in (
        (added, True, False),
        (deleted, False, True),
        (dirty, False, False),
    ):
        for row in rows:
            watching = _watching(type(row))
            if not watching:
                continue
            noted: set[str] = set()
            for table, watch in watching:
                if table.name in noted or not _counts(session, row, watch, is_added, is_deleted):
                    continue
                noted.add(table.name)
                if pending is None:
                    pending = session.info[_PENDING] = _new_pending(session)
                for key in table.keys(row):
                    if callable(key):
                        pending.later[table.name].append(key)
                    elif key is not None:
                        pending.keys[table.name].add(key)
    if pending is not None:
        _lock(session, pending, pending.keys)


def _new_pending(session: Session) -> _Pending:
    batch: _Batch | None = session.info.get(_BATCHED)
    return _Pending() if batch is None else _Pending(locked=batch.locked)


def _lock(session: Session, pending: _Pending, keys: dict[str, set[int]]) -> None:
    """Lock the rows of the keys not locked yet, one statement per kind of row, in id order."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite lets one transaction write at a time: the flush holds its write lock
    wanted: dict[Lock, set[int]] = {}
    for table in _TABLES:
        if table.lock is not None and keys.get(table.name):
            ids = wanted.setdefault(table.lock, set())
            ids.update(keys[table.name] - pending.locked[table.lock.model.__name__])
    for lock, ids in sorted(wanted.items(), key=lambda item: item[0].rank):
        if ids:
            column: Any = lock.model.id  # type: ignore[attr-defined]
            query = select(column).where(column.in_(sorted(ids))).order_by(column)
            session.connection().execute(query.with_for_update(key_share=True))
            pending.locked[lock.model.__name__].update(ids)


@event.listens_for(Session, "after_flush_postexec")
def _refresh(session: Session, _context: UOWTransaction) -> None:
    """Rewrite the summaries of the keys noted, the new rows' keys now known among them."""
    pending: _Pending | None = session.info.pop(_PENDING, None)
    if pending is None:
        return
    for name, later in pending.later.items():
        pending.keys[name].update(key for find in later if (key := find()) is not None)
    _lock(session, pending, pending.keys)
    batch: _Batch | None = session.info.get(_BATCHED)
    with placed_writes(session):  # rewritten from rows this flush placed in teams
        for table in _TABLES:
            keys = pending.keys.get(table.name)
            if not keys:
                continue
            if batch is None:
                table.refresh(session, keys)
            elif table.refresh in _REWRITES:
                batch.keys[table.name].update(keys)
            else:
                batch.counted[table.name].update(keys)  # once each, however many noted it


@event.listens_for(Session, "before_commit")
def _refresh_before_commit(session: Session) -> None:
    """A batch's rewrites are due before its writes are committed (the commit's own flush
    comes after this hook, so flush first)."""
    if _BATCHED in session.info:
        session.flush()
        _refresh_batched(session)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    """A transaction rolled back with a failed flush's notes: its rows were never written."""
    batch: _Batch | None = session.info.get(_BATCHED)
    if batch is not None and (transaction.nested or transaction.parent is None):
        batch.locked.clear()  # a savepoint rolled back lets its locks go, the end all of them
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        if batch is not None:
            batch.keys.clear()  # rolled back: nothing of theirs was written (committed: done)
            batch.counted.clear()
