"""The shared CSV writer: formulas neutralised (OWASP), a UTF-8 BOM first."""

from __future__ import annotations

import csv
import io

import pytest

from app.csvfile import BOM, SpreadsheetWriter, neutralise, stream_csv


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_is_prefixed_with_a_quote(start: str) -> None:
    assert neutralise(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


def test_plain_cells_are_kept_as_they_are() -> None:
    assert [neutralise(v) for v in ("Zoë Ångström", "", None, 42, "a=b")] == [
        "Zoë Ångström",
        "",
        "",
        "42",
        "a=b",
    ]


def test_the_written_file_starts_with_a_bom_and_reads_back_neutralised() -> None:
    stream = io.StringIO()
    writer = SpreadsheetWriter(stream, ["name", "note"])
    writer.writeheader()
    writer.writerows([{"name": "Zoë", "note": "@cmd|' /C calc'!A0"}])
    data = stream.getvalue().encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [{"name": "Zoë", "note": "'@cmd|' /C calc'!A0"}]
    assert BOM not in data.decode("utf-8-sig")


def test_a_streamed_file_is_the_same_file_a_chunk_of_rows_at_a_time() -> None:
    rows = [{"name": f"=rep {number}", "note": "Zoë"} for number in range(5)]
    whole = io.StringIO()
    writer = SpreadsheetWriter(whole, ["name", "note"])
    writer.writeheader()
    writer.writerows(rows)
    chunks = list(stream_csv(["name", "note"], iter(rows), rows_per_chunk=2))
    assert len(chunks) == 3  # rows 1-2 with the BOM and header, rows 3-4, row 5
    assert chunks[0].startswith(BOM + "name,note\r\n") and chunks[2].count("\r\n") == 1
    assert "".join(chunks) == whole.getvalue()
