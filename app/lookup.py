"""Finding a record by id for a service: a missing one is a domain error, not None."""

from __future__ import annotations

from typing import TypeVar

from app.errors import NotFound
from app.extensions import db

RecordT = TypeVar("RecordT")

# The largest id a table can hold: ids are INTEGER columns, 32-bit on PostgreSQL, which raises
# on a larger number (SQLite would take 64 bits, but one bound for both keeps them alike).
MAX_ID = 2**31 - 1


def parse_id(value: str | None) -> int | None:
    """An id typed into a URL or form (ASCII digits, 1 to ``MAX_ID``), or None for anything else.

    A hand-edited ``?team=99999999999999999999`` must read as "no such team", not reach the
    database as a number PostgreSQL refuses (a 500).
    """
    if not value or not value.isascii() or not value.isdigit() or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def get_or_not_found(model: type[RecordT], record_id: int, message: str) -> RecordT:
    """The ``model`` row with ``record_id``; ``NotFound(message)`` (a 404 page) when none."""
    record = db.session.get(model, record_id) if 0 < record_id <= MAX_ID else None
    if record is None:
        raise NotFound(message)
    return record
