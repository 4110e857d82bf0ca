"""``flask metrics import FILE --source NAME``: the service's checks and messages, exit codes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.extensions import db
from app.metrics.demo import SAMPLE_FILES
from app.metrics.models import ActivityFigure, ActivitySource
from tests.metrics.conftest import csv_of, last_monday, make_source


def _count() -> int:
    return db.session.scalar(select(func.count(ActivityFigure.id))) or 0


def test_a_salesforce_export_imports_with_salesforces_own_mapping(
    runner: FlaskCliRunner, sample_reps: dict[str, User]
) -> None:
    path = str(SAMPLE_FILES["Salesforce"])
    result = runner.invoke(args=["metrics", "import", path, "--source", "Salesforce"])
    assert result.exit_code == 0, result.output
    assert "imported 40 rows into Salesforce: 40 new, 0 replaced, 0 removed, 0 unchanged" in (
        result.output
    )
    assert _count() == 40
    again = runner.invoke(args=["metrics", "import", path, "--source", "salesforce"])
    assert "0 new, 0 replaced, 0 removed, 40 unchanged" in again.output
    source = db.session.scalar(select(ActivitySource))
    assert (source.rep_column, source.period.value) == ("Assigned", "week")


def test_bad_rows_exit_1_with_the_pages_messages(
    runner: FlaskCliRunner, make_user: Callable[..., User], tmp_path: Path
) -> None:
    rep = make_user(Role.REP)
    make_source("Sheet")
    future = last_monday(0) + timedelta(days=8)
    data = csv_of((rep.email, last_monday(), 9, 1), (rep.email, future, 1, 0))
    result = runner.invoke(
        args=["metrics", "import", str(_file(tmp_path, data)), "--source", "Sheet"]
    )
    assert result.exit_code == 1
    assert f"Row 3: {future.day} {future:%b %Y} is in the future." in result.output
    assert "1 row cannot be imported; nothing was." in result.output
    assert _count() == 0


def test_a_file_missing_a_mapped_column_exits_1(
    runner: FlaskCliRunner, make_user: Callable[..., User], tmp_path: Path
) -> None:
    make_source("Sheet")
    data = b"Email,Date,Dials\nx@example.com,2026-11-02,3\n"
    result = runner.invoke(
        args=["metrics", "import", str(_file(tmp_path, data)), "--source", "Sheet"]
    )
    assert result.exit_code == 1
    assert "The file has no column 'Meetings' (mapped to Meetings booked)" in result.output


def test_an_unmapped_source_with_unknown_columns_is_not_guessed(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    data = b"Who,When,Calls\nx@example.com,2026-11-02,3\n"
    result = runner.invoke(
        args=["metrics", "import", str(_file(tmp_path, data)), "--source", "New"]
    )
    assert result.exit_code == 1
    assert "map them once on the Import activity page" in result.output


def _file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / f"activity-{len(list(tmp_path.iterdir()))}.csv"
    path.write_bytes(data)
    return path
