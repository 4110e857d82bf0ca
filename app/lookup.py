"""Finding a record by id for a service: a missing one is a domain error, not None."""

from __future__ import annotations

from typing import TypeVar

from app.errors import NotFound
from app.extensions import db

RecordT = TypeVar("RecordT")


def get_or_not_found(model: type[RecordT], record_id: int, message: str) -> RecordT:
    """The ``model`` row with ``record_id``; ``NotFound(message)`` (a 404 page) when none."""
    record = db.session.get(model, record_id)
    if record is None:
        raise NotFound(message)
    return record
