"""Exactly once: each form submission is carried out once, and a row changes one request at a time.

Twenty identical POSTs (a double click, a retry, an impatient user) carry the same random key,
rendered as a hidden field when the form was shown. ``first_submission`` claims the key with
``INSERT ... ON CONFLICT DO NOTHING`` on a UNIQUE column: the database itself lets one request
through, makes the others wait until it commits (PostgreSQL waits on the key, SQLite on its one
write lock) and then tells them the key is taken, so they answer with what the first one did
instead of doing it again. A refused or failed request rolls its claim back with everything else,
so the corrected form (which keeps its key) can be sent again.

``lock`` is for requests that are not repeats but race for the same row (two tabs, two people):
it takes the row's write lock for the rest of the transaction and reloads the row, so the
service's checks ("already recorded", "not submitted yet") see what the other request committed.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, Integer, String, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column

from app.errors import Conflict
from app.extensions import db
from app.generation import CHANGES_NOTHING

KEY_LENGTH = 64
T = TypeVar("T")


class Submission(db.Model):  # type: ignore[name-defined]
    """A form submission that was carried out: its key, when, and the row it produced."""

    __tablename__ = "submissions"

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    result_id: Mapped[int | None] = mapped_column(Integer)


def new_key() -> str:
    """A fresh submission key for a form about to be shown."""
    return secrets.token_urlsafe(24)


def first_submission(key: str | None) -> Submission | None:
    """Claim ``key``: None if this request is the first with it, else the earlier submission.

    Without a key (the CLI, the demo, a caller that is not a form) every call is a first one.
    """
    if not key:
        return None
    key = key[:KEY_LENGTH]
    values = {"key": key, "at": datetime.now(UTC).replace(tzinfo=None, microsecond=0)}
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = Submission.__table__
    claim = dialect.insert(table).values(values).on_conflict_do_nothing().returning(table.c.key)
    if db.session.execute(claim).first() is not None:
        return None
    return db.session.scalars(
        select(Submission).where(Submission.key == key).execution_options(populate_existing=True)
    ).one()


def remember_result(key: str | None, result_id: int) -> None:
    """Note the row the first submission produced, for its repeats to answer with."""
    if key:
        db.session.execute(
            update(Submission).where(Submission.key == key[:KEY_LENGTH]).values(result_id=result_id)
        )


def earlier_result(key: str | None, model: type[T]) -> T | None:
    """The ``model`` row an earlier submission with ``key`` created; None if this is the first.

    The first submission notes its row with ``remember_result`` before it ends.
    """
    earlier = first_submission(key)
    if earlier is None:
        return None
    found = db.session.get(model, earlier.result_id) if earlier.result_id is not None else None
    if found is None:  # what it created is gone since: nothing to show, nothing to redo
        raise Conflict("This form was sent already.")
    return found


def lock(row: Any, column: InstrumentedAttribute[Any]) -> None:
    """Hold ``row``'s write lock until the request ends, and reload it as last committed.

    A write of ``column`` to itself: PostgreSQL locks the row, SQLite takes its write lock, so
    a concurrent request for the same row waits here and then sees this one's outcome.
    """
    row = getattr(row, "_get_current_object", lambda: row)()  # ``current_user`` is a proxy
    model = type(row)
    db.session.execute(
        update(model)
        .where(model.id == row.id)
        .values({column.key: column})
        .execution_options(synchronize_session=False, **{CHANGES_NOTHING: True})
    )
    db.session.refresh(row)


def repeated(key: str | None, row: Any, column: InstrumentedAttribute[Any]) -> bool:
    """Claim the submission ``key`` and ``row``'s lock: True if an earlier request did the work.

    The services that change one row start with this. A repeat answers with the row as the
    first request left it; a first submission goes on with the row locked and current.
    """
    earlier = first_submission(key)
    if earlier is not None:
        db.session.refresh(row)
        return True
    lock(row, column)
    return False


def prune(before: datetime) -> int:
    """Forget submissions made before ``before``; how many.

    A key only has to outlive the repeats of its form (a double click, a retry, a tab sent
    again later that day); after the retention period a repeat counts as a new submission.
    """
    result = db.session.execute(delete(Submission).where(Submission.at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
