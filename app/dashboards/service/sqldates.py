"""Day arithmetic in SQL that reads the same on SQLite and PostgreSQL.

The dashboards count in the database (how many days a milestone was late, how long a
verification waited, which month a plan started in), so these few expressions compile to each
dialect's own functions: SQLite keeps dates as ISO text (``julianday``, ``strftime``),
PostgreSQL has date types (subtraction gives days, ``to_char`` names the month).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement


class days_between(FunctionElement[int]):
    """Whole days from ``earlier`` to ``later`` (dates or timestamps; the time of day ignored)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


class month_of(FunctionElement[str]):
    """The month of a date as ``YYYY-MM`` text, for grouping."""

    type = String()
    inherit_cache = True
    name = "month_of"


def _arguments(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(clause, **kw) for clause in element.clauses]


@compiles(days_between)
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    # A day's Julian number is its julianday at noon: julianday(x) + 0.5, truncated, is the
    # number of x's date (julianday counts whole milliseconds, so no rounding crosses
    # midnight). One parse of each value, where julianday(date(x)) parses it twice: the
    # coaches' overview reads a few thousand rows.
    later, earlier = _arguments(element, compiler, **kw)
    return (
        f"(CAST(julianday({later}) + 0.5 AS INTEGER) - CAST(julianday({earlier}) + 0.5 AS INTEGER))"
    )


@compiles(days_between, "postgresql")
def _days_between_postgresql(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = _arguments(element, compiler, **kw)
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"


@compiles(month_of)
def _month_of_sqlite(element: month_of, compiler: SQLCompiler, **kw: Any) -> str:
    (day,) = _arguments(element, compiler, **kw)
    return f"strftime('%Y-%m', {day})"


@compiles(month_of, "postgresql")
def _month_of_postgresql(element: month_of, compiler: SQLCompiler, **kw: Any) -> str:
    (day,) = _arguments(element, compiler, **kw)
    return f"to_char({day}, 'YYYY-MM')"
