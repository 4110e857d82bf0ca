"""Writing a :class:`Table` as CSV (RFC 4180, via ``app.csvfile``) or as an Excel sheet.

CSV: comma-separated, CRLF line ends, quoted where needed (RFC 4180), UTF-8 with a byte
order mark so Excel reads accents, and every cell a spreadsheet would run as a formula
prefixed with ``'`` (``app.csvfile``). Dates are ISO 8601.

XLSX (XlsxWriter): numbers as numbers, dates as dates, text written with ``write_string``
(never read as a formula, so nothing needs neutralising), the header row frozen and filtered,
column widths from the column definitions.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

import xlsxwriter

from app.csvfile import stream_csv
from app.exports.registry import Column, Kind, Table

SHEET_NAME_LIMIT = 31  # Excel's


def csv_chunks(table: Table) -> Iterator[str]:
    headings = [column.heading for column in table.columns]
    rows = (
        {column.heading: _csv_value(row.get(column.key)) for column in table.columns}
        for row in table.rows
    )
    return stream_csv(headings, rows)


def _csv_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def xlsx_bytes(table: Table, title: str) -> bytes:
    """The whole workbook (one sheet), built in memory."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(title[:SHEET_NAME_LIMIT])
    bold = workbook.add_format({"bold": True})
    formats = {
        Kind.DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
        Kind.NUMBER: workbook.add_format({"num_format": "0.00"}),
        Kind.INTEGER: workbook.add_format({"num_format": "0"}),
        Kind.PERCENT: workbook.add_format({"num_format": "0"}),
    }
    for index, column in enumerate(table.columns):
        sheet.write_string(0, index, column.heading, bold)
        sheet.set_column(index, index, column.width)
    count = 0
    for count, row in enumerate(table.rows, start=1):
        for index, column in enumerate(table.columns):
            _write(sheet, count, index, column, row, formats)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), len(table.columns) - 1)
    workbook.close()
    return buffer.getvalue()


def _write(
    sheet: Any, row_number: int, index: int, column: Column, row: Mapping[str, Any], formats: Any
) -> None:
    value = row.get(column.key)
    if value is None or value == "":
        return
    if column.kind is Kind.DATE and isinstance(value, date):
        sheet.write_datetime(row_number, index, value, formats[Kind.DATE])
    elif column.kind is not Kind.TEXT and isinstance(value, int | float):
        sheet.write_number(row_number, index, value, formats[column.kind])
    else:
        sheet.write_string(row_number, index, str(value))
