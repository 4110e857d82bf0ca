"""Date arithmetic in SQL, the same on SQLite and PostgreSQL (which spell it differently)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func

from app.extensions import db


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def day_after(day: Any) -> Any:
    """The DATE after ``day``: a timestamp before it falls on ``day`` or earlier."""
    if _postgres():
        return day + 1
    return func.date(day, "+1 day")
