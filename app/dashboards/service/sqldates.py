"""Day arithmetic in SQL that reads the same on SQLite and PostgreSQL.

The dashboards count in the database (how many days a milestone was late, how long a
verification waited, which month a plan started in), so these few expressions compile to each
dialect's own functions: SQLite keeps dates as ISO text (``julianday``, ``strftime``),
PostgreSQL has date types (subtraction gives days, ``to_char`` names the month).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement


class days_between(FunctionElement[int]):
    """Whole days from ``earlier`` to ``later`` (dates or timestamps; the time of day ignored)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


class days_after(FunctionElement[date]):
    """The date ``days`` days after ``day`` (a date column; ``days`` a whole number)."""

    type = Date()
    inherit_cache = True
    name = "days_after"


class date_of(FunctionElement[date]):
    """The calendar day of a timestamp (as stored: UTC), to compare with dates."""

    type = Date()
    inherit_cache = True
    name = "date_of"


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


@compiles(days_after)
def _days_after_sqlite(element: days_after, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = _arguments(element, compiler, **kw)
    return f"date({day}, '+' || ({days}) || ' days')"


@compiles(days_after, "postgresql")
def _days_after_postgresql(element: days_after, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = _arguments(element, compiler, **kw)
    return f"(CAST({day} AS DATE) + CAST({days} AS INTEGER))"


@compiles(date_of)
def _date_of_sqlite(element: date_of, compiler: SQLCompiler, **kw: Any) -> str:
    (moment,) = _arguments(element, compiler, **kw)
    return f"date({moment})"


@compiles(date_of, "postgresql")
def _date_of_postgresql(element: date_of, compiler: SQLCompiler, **kw: Any) -> str:
    (moment,) = _arguments(element, compiler, **kw)
    return f"CAST({moment} AS DATE)"
