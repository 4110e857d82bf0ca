"""Counting the SQL statements a page asks: query counts are a behaviour, tested like one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


class Statements(list[str]):
    """The SQL statements run inside ``counting_queries``, in order (their count: ``len``)."""


@contextmanager
def counting_queries() -> Iterator[Statements]:
    """Record every statement any engine runs until the block ends (savepoints left out)."""
    seen = Statements()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)
