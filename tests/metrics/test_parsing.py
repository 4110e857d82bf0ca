"""Reading CRM values and files: numbers, amounts, durations, dates, encodings."""

from __future__ import annotations

from datetime import date

import pytest

from app.curriculum.fields import ACTIVITY_METRICS
from app.metrics.catalogue import METRICS, PRESETS, Period, preset_for
from app.metrics.parsing import ColumnMap, parse_day, parse_value, period_start, raw_rows, read_csv


def test_the_catalogue_and_the_curriculum_name_the_same_metrics() -> None:
    assert tuple(metric.key for metric in METRICS) == ACTIVITY_METRICS


@pytest.mark.parametrize(
    ("metric", "raw", "stored"),
    [
        ("dials", "12", 12),
        ("dials", " 1,250 ", 1250),
        ("dials", 7, 7),
        ("dials", "", None),
        ("dials", None, None),
        ("revenue", "$12,500.50", 1250050),
        ("revenue", "USD 99", 9900),
        ("revenue", 10.5, 1050),
        ("call_minutes", "90", 90),
        ("call_minutes", "1:30", 90),
        ("call_minutes", "01:02:40", 63),
    ],
)
def test_values_are_read_as_crms_write_them(metric: str, raw: object, stored: int | None) -> None:
    assert parse_value(metric, raw) == stored  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("abc", "is not a number"),
        ("-3", "is negative"),
        ("2.5", "is not a whole number"),
        ("nan", "is not a number"),
        (True, "is not a number"),
    ],
)
def test_unreadable_values_say_why(raw: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_value("dials", raw)  # type: ignore[arg-type]


def test_dates_in_the_sources_format_or_iso() -> None:
    assert parse_day("11/2/2026", "%m/%d/%Y") == date(2026, 11, 2)
    assert parse_day("2026-11-02", "%m/%d/%Y") == date(2026, 11, 2)
    assert parse_day("2.11.2026", "%d.%m.%Y") == date(2026, 11, 2)
    with pytest.raises(ValueError, match="not a date like 11/2/2026"):
        parse_day("31/31/2026", "%m/%d/%Y")
    with pytest.raises(ValueError, match="has no date"):
        parse_day(" ", "%Y-%m-%d")


def test_a_week_is_stored_as_its_monday() -> None:
    assert period_start(date(2026, 11, 5), Period.WEEK) == date(2026, 11, 2)
    assert period_start(date(2026, 11, 5), Period.DAY) == date(2026, 11, 5)


def test_csv_with_bom_semicolons_windows_encoding_and_blank_lines() -> None:
    data = "\ufeffEmail;Date;Dials\r\nzoë@example.com;2026-11-02;3\r\n\r\n;;\r\n".encode()
    parsed = read_csv(data)
    assert parsed.headers == ["Email", "Date", "Dials"]
    rows = raw_rows(parsed, ColumnMap("Email", "Date", {"dials": "Dials"}))
    assert [(r.number, r.rep, r.values["dials"]) for r in rows] == [(2, "zoë@example.com", "3")]
    legacy = read_csv("Owner,Week,Calls\nZoë Faure,11/2/2026,4\n".encode("cp1252"))
    assert legacy.rows[0][0] == "Zoë Faure"


def test_files_that_are_not_csv_are_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        read_csv(b"  \n")
    with pytest.raises(ValueError, match="name the columns"):
        read_csv(b"just one line of text\n")


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_each_sample_file_is_recognised_as_its_crm(preset: object) -> None:
    from app.metrics.demo import SAMPLE_FILES

    headers = read_csv(SAMPLE_FILES[preset.name].read_bytes()).headers  # type: ignore[attr-defined]
    assert preset_for(headers) is preset
    assert set(preset.columns.values()) <= set(headers)  # type: ignore[attr-defined]
