"""Every CSV the app writes: safe to open in a spreadsheet, and read there with its accents.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel
and LibreOffice, so a rep's name typed as ``=HYPERLINK(...)`` would run when HR opens an export.
As OWASP advises ("CSV Injection"), such a cell is prefixed with a single quote, which the
spreadsheet shows as text. The file starts with a UTF-8 byte order mark, without which Excel
reads UTF-8 as a legacy code page and garbles every accented name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """The cell's text, with a leading ``'`` if a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class SpreadsheetWriter(csv.DictWriter):
    """A ``csv.DictWriter`` that writes the BOM first and neutralises every cell it writes."""

    def __init__(self, stream: Any, fieldnames: Sequence[str]) -> None:
        stream.write(BOM)
        super().__init__(stream, fieldnames=fieldnames, lineterminator="\r\n")

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: neutralise(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def stream_csv(
    fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any]], rows_per_chunk: int = 200
) -> Iterator[str]:
    """What a :class:`SpreadsheetWriter` writes, as chunks of text for a streamed response.

    Only one chunk of rows is held at a time, so a download of a long log does not build the
    whole file in the web worker's memory first.
    """
    buffer = io.StringIO()
    writer = SpreadsheetWriter(buffer, fieldnames)
    writer.writeheader()
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % rows_per_chunk == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
