"""``flask backup FILE`` and ``flask restore FILE``: the SQLite database, copied while it serves.

Both use SQLite's online backup API (``sqlite3.Connection.backup``), which copies a consistent
snapshot page by page while other connections go on reading and writing, and which writes the
restored pages into the live database in one transaction: readers see the old database or the
new one, never a mix, and the WAL file cannot be left describing the wrong database (as it
could after copying a file over the live one). On PostgreSQL use ``pg_dump`` and
``pg_restore``: the commands say so and exit with status 2.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from app.extensions import db

POSTGRESQL_HINT = (
    "This database is PostgreSQL: back it up with pg_dump "
    "(pg_dump --format=custom --file=FILE DATABASE_URL) and restore it with pg_restore "
    "(pg_restore --clean --if-exists --dbname=DATABASE_URL FILE)."
)


def _sqlite_path() -> Path:
    """The live SQLite database file; exits with the pg_dump hint for any other database."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        click.echo(POSTGRESQL_HINT, err=True)
        raise click.exceptions.Exit(2)
    return Path(url.database)


def _missing_tables(path: Path) -> list[str]:
    """The app's tables that the SQLite file at ``path`` lacks (all of them if it is not one)."""
    expected = sorted(db.metadata.tables)
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
                return expected
            rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            present = {name for (name,) in rows}
    except sqlite3.DatabaseError:  # not an SQLite file at all
        return expected
    return [name for name in expected if name not in present]


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Copy the SQLite database into FILE (readable by the owner only), while it serves."""
    source_path = _sqlite_path()
    partial = file.with_name(f".{file.name}.part")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    try:
        with (
            closing(sqlite3.connect(source_path)) as source,
            closing(sqlite3.connect(partial)) as target,
        ):
            source.backup(target)
        os.replace(partial, file)  # a FILE that exists is always a whole backup
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"Backed up {source_path} to {file}.")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(file: Path) -> None:
    """Replace the SQLite database's content with the backup in FILE, in one transaction."""
    target_path = _sqlite_path()
    missing = _missing_tables(file)
    if missing:
        click.echo(
            f"{file} is not a SalesRamp database (no {', '.join(missing[:5])} "
            f"{'table' if len(missing) == 1 else 'tables'}); nothing was restored.",
            err=True,
        )
        raise click.exceptions.Exit(1)
    db.session.remove()
    db.engine.dispose()  # this process's own connections must not hold the old pages
    with (
        closing(sqlite3.connect(f"file:{file}?mode=ro", uri=True)) as source,
        closing(sqlite3.connect(target_path, timeout=30)) as target,
    ):
        source.backup(target)  # all pages in one step: one write transaction on the target
    click.echo(f"Restored {target_path} from {file}.")
