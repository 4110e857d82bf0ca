"""Reading activity as CRMs write it: numbers, amounts, durations, dates and CSV files.

Pure functions, no database. A value that cannot be read raises ``ValueError`` with the
reason in a person's words; the caller puts the row number in front.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from app.metrics.catalogue import BY_KEY, DATE_FORMATS, Period, Unit

_SEPARATORS = re.compile(r"[\s,_']")  # 1,250 / 1 250 / 1'250
_CURRENCY = re.compile(r"^(?:[$€£]|[A-Z]{3}\s?)")
_DURATION = re.compile(r"^(\d+):([0-5]\d)(?::([0-5]\d))?$")


@dataclass(frozen=True)
class RawRow:
    """One row as a CSV file, the API or the demo gives it, before it is checked.

    ``number`` is how the person finds it again (in a file, the spreadsheet's row: the header
    is row 1); ``values`` maps metric keys to what was written (text, or numbers from JSON).
    """

    number: int
    rep: str
    day: str | date
    values: Mapping[str, str | int | float | None] = field(default_factory=dict)


def parse_value(metric: str, raw: str | int | float | None) -> int | None:
    """A metric's value as stored (revenue in cents, durations in minutes); None if empty."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    unit = BY_KEY[metric].unit
    if isinstance(raw, str) and raw.isdigit() and unit is not Unit.MONEY:  # the usual case
        value = int(raw)
        if value > 2_000_000_000:
            raise ValueError("is too large")
        return value
    if unit is Unit.MONEY:
        return _cents(raw)
    if unit is Unit.MINUTES:
        return _minutes(raw)
    return _count(raw)


def _count(raw: str | int | float) -> int:
    number = _number(raw)
    if not float(number).is_integer():
        raise ValueError("is not a whole number")
    return int(number)


def _cents(raw: str | int | float) -> int:
    text = _CURRENCY.sub("", raw.strip()) if isinstance(raw, str) else raw
    return round(_number(text) * 100)


def _minutes(raw: str | int | float) -> int:
    """Minutes as a number (``90``), or a clock duration (``1:30``, ``01:30:00``)."""
    if isinstance(raw, str) and (clock := _DURATION.match(raw.strip())):
        hours, minutes, seconds = (int(part or 0) for part in clock.groups())
        return hours * 60 + minutes + round(seconds / 60)
    return round(_number(raw))


def _number(raw: str | int | float) -> float:
    if isinstance(raw, bool):
        raise ValueError("is not a number")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        try:
            value = float(_SEPARATORS.sub("", raw.strip()))
        except ValueError:
            raise ValueError("is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("is not a number")
    if value < 0:
        raise ValueError("is negative")
    if value > 2_000_000_000:
        raise ValueError("is too large")
    return value


def parse_day(raw: str | date, date_format: str) -> date:
    """A date written as the source's format says (ISO dates are always understood)."""
    if isinstance(raw, date):
        return raw
    return _parse_day_text(raw.strip(), date_format)


@lru_cache(maxsize=4096)
def _parse_day_text(text: str, date_format: str) -> date:
    """Cached: a file repeats the same few hundred dates ``strptime`` is slow to read."""
    if not text:
        raise ValueError("has no date")
    for pattern in (date_format, "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    example = DATE_FORMATS.get(date_format, date_format).split(" ")[0]
    raise ValueError(f"has the date '{text}', which is not a date like {example}")


def period_start(day: date, period: Period) -> date:
    """The first day of the period holding ``day``: itself, or its week's Monday."""
    return day - timedelta(days=day.weekday()) if period is Period.WEEK else day


def period_words(start: date, period: Period) -> str:
    """ "2 Nov 2026", or "the week of 2 Nov 2026", for messages."""
    shown = f"{start.day} {start:%b %Y}"
    return f"the week of {shown}" if period is Period.WEEK else shown


@dataclass(frozen=True)
class CsvFile:
    headers: list[str]
    rows: list[list[str]]  # the data rows; row i is the file's row i + 2


def read_csv(data: bytes | str) -> CsvFile:
    """A CRM's CSV export: UTF-8 (with or without a BOM) or Windows-1252, comma or semicolon
    separated; blank lines are skipped. Raises ``ValueError`` for a file that is not CSV."""
    text = data if isinstance(data, str) else _decode(data)
    if not text.strip():
        raise ValueError("The file is empty.")
    sample = text[:4096]
    delimiter = (
        ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
    )
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        lines = list(reader)
    except csv.Error as error:
        raise ValueError(f"The file is not a readable CSV file ({error}).") from None
    headers = [header.strip() for header in lines[0]]
    if len([h for h in headers if h]) < 2:
        raise ValueError("The first row should name the columns; this file's names fewer than two.")
    return CsvFile(headers, lines[1:])


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


@dataclass(frozen=True)
class ColumnMap:
    """What a source's mapping says, as plain values (see ``ActivitySource``)."""

    rep_column: str
    date_column: str
    columns: Mapping[str, str]


def missing_columns(headers: list[str], mapping: ColumnMap) -> list[str]:
    """The mapped columns this file does not have, as messages."""
    wanted = [("the rep", mapping.rep_column), ("the date", mapping.date_column)]
    wanted += [(BY_KEY[metric].label, header) for metric, header in mapping.columns.items()]
    return [
        f"The file has no column '{header}' (mapped to {what}): map the source again."
        for what, header in wanted
        if header not in headers
    ]


def raw_rows(csv_file: CsvFile, mapping: ColumnMap) -> list[RawRow]:
    """The file's data rows as ``RawRow``s, by the mapping; blank lines left out."""
    index = {header: i for i, header in enumerate(csv_file.headers)}
    rep_at, day_at = index[mapping.rep_column], index[mapping.date_column]
    metric_at = [(metric, index[header]) for metric, header in mapping.columns.items()]
    width = len(csv_file.headers)
    rows = []
    for offset, cells in enumerate(csv_file.rows):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        rows.append(
            RawRow(
                number=offset + 2,
                rep=cells[rep_at],
                day=cells[day_at],
                values={metric: cells[at] for metric, at in metric_at},
            )
        )
    return rows
