"""The test database: the schema is built once per run, and every test starts from a snapshot.

A *snapshot* is a database state saved once and restored before each test that asks for it:
the empty schema, the schema with the shipped curriculum stored, or an expensive world a module
builds once (the access matrix's people, the seeded demo, a sealed agreement).

* On SQLite a snapshot is a database file; restoring it copies the file over the test's own
  database (a fraction of a millisecond, against about 250 ms for ``create_all``).
* On PostgreSQL a snapshot is what is committed in the database; each test runs inside an
  outer transaction that is rolled back afterwards (the pattern of Indico's
  ``indico/testing/fixtures/database.py``): the app's commits only release savepoints. A test
  that needs real commits seen by other connections (a live server, threads) runs outside that
  transaction, and the database is emptied and rebuilt with DELETE after it.
"""

from __future__ import annotations

import enum
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import MetaData, delete
from sqlalchemy.engine import Connection

from app.curriculum.service import store_curriculum
from app.extensions import db

# Tables whose rows are the curriculum: kept in the PostgreSQL base snapshot.
CURRICULUM_TABLES = frozenset(
    {
        "stages",
        "plan_templates",
        "rubric_templates",
        "scenario_templates",
        "agreement_templates",
        "outcome_definitions",
        "quest_templates",
        "points_rules",
    }
)


class Commits(enum.Enum):
    """How a test's commits reach the database."""

    ROLLED_BACK = "inside an outer transaction, rolled back after the test"
    REAL = "committed for real, so other connections and threads see them"


@dataclass(eq=False)
class Snapshot:
    """A database state: ``build`` runs once on top of ``parent`` and its result is kept."""

    name: str
    parent: Snapshot | None = None
    build: Callable[[], Any] | None = None
    value: Any = None  # what ``build`` returned, e.g. the ids of the people it made
    path: Path | None = None  # SQLite: the saved file
    built: bool = False

    def lineage(self) -> list[Snapshot]:
        """This snapshot and its ancestors, the root first."""
        chain: list[Snapshot] = []
        node: Snapshot | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


@dataclass
class TestDatabase:
    """One app and one database for the whole run; see the module docstring."""

    app: Flask
    url: str
    workdir: Path
    curriculum: Any
    empty: Snapshot = field(init=False)
    with_curriculum: Snapshot = field(init=False)
    _committed: Snapshot | None = None  # PostgreSQL: what the database holds now
    _snapshots: dict[str, Snapshot] = field(default_factory=dict)
    _engines: dict[Any, Any] | None = None

    __test__ = False  # not a test class, whatever its name says

    def __post_init__(self) -> None:
        self.empty = Snapshot("empty")
        self.with_curriculum = Snapshot(
            "curriculum", self.empty, lambda: store_curriculum(self.curriculum)
        )

    @property
    def is_postgresql(self) -> bool:
        return self.url.startswith("postgresql")

    @property
    def sqlite_path(self) -> Path:
        return Path(self.url.removeprefix("sqlite:///"))

    # --- building -----------------------------------------------------------------------------

    def create_schema(self) -> None:
        """Once per run: every table, from the models."""
        with self.app.app_context():
            if self.is_postgresql:
                db.session.configure(join_transaction_mode="create_savepoint")
                self._drop_every_table()  # an earlier run's tables may have an older shape
                db.create_all()
                self._committed = self.empty
            else:
                db.create_all()
                self._save(self.empty)
            self.empty.built = True

    def snapshot(
        self, name: str, build: Callable[[], Any], parent: Snapshot | None = None
    ) -> Snapshot:
        """A snapshot built lazily, the first time a test needs it, on top of ``parent``.

        Asking again by the same name gives the same snapshot, so a module fixture set up
        again (pytest-xdist may interleave modules on a worker) does not build it twice.
        """
        if name not in self._snapshots:
            self._snapshots[name] = Snapshot(name, parent or self.with_curriculum, build)
        return self._snapshots[name]

    def _ensure_built(self, snapshot: Snapshot) -> None:
        """SQLite: make sure the snapshot's file exists (its ancestors' first)."""
        if snapshot.built:
            return
        assert snapshot.parent is not None and snapshot.build is not None
        self._ensure_built(snapshot.parent)
        self._copy_over_database(snapshot.parent)
        snapshot.value = self._run_build(snapshot)
        self._save(snapshot)
        snapshot.built = True

    def _run_build(self, snapshot: Snapshot) -> Any:
        assert snapshot.build is not None
        with self.app.app_context():
            value = snapshot.build()
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        return value

    def _save(self, snapshot: Snapshot) -> None:
        with self.app.app_context():
            db.engine.dispose()
        snapshot.path = self.workdir / f"{snapshot.name}.sqlite3"
        shutil.copyfile(self.sqlite_path, snapshot.path)

    def _copy_over_database(self, snapshot: Snapshot) -> None:
        with self.app.app_context():
            db.engine.dispose()
        for suffix in ("-wal", "-shm"):
            self.sqlite_path.with_name(self.sqlite_path.name + suffix).unlink(missing_ok=True)
        assert snapshot.path is not None
        shutil.copyfile(snapshot.path, self.sqlite_path)

    # --- PostgreSQL: what is committed ------------------------------------------------------------

    def _commit_state(self, target: Snapshot) -> None:
        """Make ``target`` what the database holds, rebuilding only what differs."""
        if self._committed is target:
            return
        with self.app.app_context():
            if self._committed is None:  # unknown: a test committed for real
                db.create_all()
                self._delete_rows(keep=frozenset())
                start = 1
            elif target is self.empty:
                self._delete_rows(keep=frozenset())
                start = 1
            elif self._committed is self.empty:
                start = 1
            else:  # the curriculum, or another snapshot built on it
                self._delete_rows(keep=CURRICULUM_TABLES)
                start = 2
            db.session.remove()
        for node in target.lineage()[start:]:
            node.value = self._run_build(node)
            node.built = True
        self._committed = target

    @staticmethod
    def _drop_every_table() -> None:
        """Whatever an earlier run (or another branch's schema) left in the database."""
        existing = MetaData()
        existing.reflect(bind=db.engine)
        existing.drop_all(bind=db.engine)

    def _delete_rows(self, keep: frozenset[str]) -> None:
        with db.engine.begin() as connection:
            self._delete_from(connection, keep)

    @staticmethod
    def _delete_from(connection: Connection, keep: frozenset[str]) -> None:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in keep:
                connection.execute(delete(table))

    def forget_committed(self) -> None:
        """A test wrote through a connection of its own: rebuild before the next test."""
        self._committed = None

    # --- one test ---------------------------------------------------------------------------------

    @contextmanager
    def test(self, snapshot: Snapshot, commits: Commits) -> Iterator[Flask]:
        """Run one test on ``snapshot``, in a fresh app context, and restore the app after."""
        config = dict(self.app.config)
        try:
            if self.is_postgresql:
                with self._postgresql_test(snapshot, commits):
                    yield self.app
            else:
                self._ensure_built(snapshot)
                self._copy_over_database(snapshot)
                with self.app.app_context():
                    try:
                        yield self.app
                    finally:
                        db.session.remove()
                        db.engine.dispose()
        finally:
            self.app.config.clear()
            self.app.config.update(config)

    @contextmanager
    def _postgresql_test(self, snapshot: Snapshot, commits: Commits) -> Iterator[None]:
        if commits is Commits.REAL:
            self._commit_state(snapshot)
        else:  # the empty snapshot is the curriculum's, with the curriculum deleted in the test
            self._commit_state(self.with_curriculum if snapshot is self.empty else snapshot)
        with self.app.app_context():
            if commits is Commits.REAL:
                try:
                    yield
                finally:
                    db.session.remove()
                    self._committed = None  # whatever the test committed must go
                return
            engines = db._app_engines[self.app]  # type: ignore[attr-defined]
            engine = engines[None]
            connection = engine.connect()
            outer = connection.begin()
            if snapshot is self.empty:
                self._delete_from(connection, keep=frozenset())
            db.session.remove()
            engines[None] = connection  # the session joins the outer transaction
            try:
                yield
            finally:
                db.session.remove()
                engines[None] = engine
                outer.rollback()
                connection.close()
