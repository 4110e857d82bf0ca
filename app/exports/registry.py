"""The exports registry: one entry per table, so a new export is one ``register`` call.

An :class:`Export` names a builder: a plain function given the acting user, the page's query
arguments (its filters and sort, exactly as in the page's URL) and the actor's today, that
returns a :class:`Table` (typed column definitions and rows). The builder checks access
through the feature's own services, so an export shows what the page shows and nothing more.
The writers (``app.exports.writing``) turn any table into RFC 4180 CSV or a typed XLSX sheet.

Every table is written by the job worker (``app.exports.background``), never in a web request:
each one grows with the organisation (a row per rep, per commitment, per rep and week; the
plan drivers' few rows read every rep's outcomes), and at 1,000 reps building one took 60 ms
to 440 ms of a web worker's time. The page's button queues it and a progress page offers it.

Another feature adds its table with::

    register(Export("ramp-outcomes", "Ramp outcomes", build_outcomes, "outcomes.index", check))
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.accounts.models import User
from app.errors import NotFound


class Kind(enum.StrEnum):
    """How a column's values are typed in Excel (CSV writes them all as text)."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"  # a decimal (a score, revenue)
    PERCENT = "percent"  # an integer from 0 to 100, as the page shows it
    DATE = "date"


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    kind: Kind = Kind.TEXT
    width: int = 12  # Excel's column width, in characters


@dataclass(frozen=True)
class Table:
    columns: Sequence[Column]
    rows: Iterable[Mapping[str, Any]]


Builder = Callable[[User, Mapping[str, str], date], Table]


@dataclass(frozen=True)
class Export:
    name: str  # in the URL: /exports/<name>.csv
    title: str  # the sheet's name and the file's
    build: Builder
    page: str  # the endpoint of the page the export mirrors
    check: Callable[[User], None]  # raises NotAllowed unless the actor may read the table


_EXPORTS: dict[str, Export] = {}


def register(export: Export) -> Export:
    """Add an export; a second one under the same name is a programming error."""
    if export.name in _EXPORTS:
        raise ValueError(f"an export named {export.name!r} is registered already")
    _EXPORTS[export.name] = export
    return export


def export_named(name: str) -> Export:
    found = _EXPORTS.get(name)
    if found is None:
        raise NotFound("There is no such export.")
    return found


def registered() -> list[Export]:
    return list(_EXPORTS.values())
