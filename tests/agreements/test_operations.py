"""``flask backup``/``restore`` and ``flask agreements verify-all``: a backup restores whole,
and every sealed PDF and audit trail is checked, tampering reported with a non-zero exit."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select, update

from app.agreements.models import Agreement, AgreementEvent
from app.agreements.service import completed_ids, write_zip
from app.csvfile import BOM
from app.extensions import db


def _is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def test_verify_all_passes_on_intact_agreements(
    runner: FlaskCliRunner, completed: Agreement
) -> None:
    result = runner.invoke(args=["agreements", "verify-all"])
    assert result.exit_code == 0, result.output
    assert "Checked 1 sealed PDFs and 1 audit trails: all intact." in result.output


def test_verify_all_fails_on_a_tampered_pdf(runner: FlaskCliRunner, completed: Agreement) -> None:
    tampered = completed.pdf.replace(b"Ava Chen", b"Eva Chen", 1)  # type: ignore[union-attr]
    db.session.execute(update(Agreement).where(Agreement.id == completed.id).values(pdf=tampered))
    db.session.commit()
    result = runner.invoke(args=["agreements", "verify-all"])
    assert result.exit_code == 1
    assert (
        f"FAILED agreement {completed.id} ({completed.verification_code}): sealed PDF: Not intact"
        in result.output
    )


def test_verify_all_fails_on_an_altered_audit_event(
    runner: FlaskCliRunner, completed: Agreement
) -> None:
    db.session.execute(
        update(AgreementEvent)
        .where(AgreementEvent.agreement_id == completed.id, AgreementEvent.seq == 2)
        .values(ip_address="10.9.9.9")
    )
    db.session.commit()
    result = runner.invoke(args=["agreements", "verify-all"])
    assert result.exit_code == 1
    assert "audit trail broken: event 2 was altered after it was recorded" in result.output


@pytest.mark.real_commits
def test_a_backup_restores_whole_and_verifies(
    app: Flask, runner: FlaskCliRunner, completed: Agreement, tmp_path: Path
) -> None:
    if not _is_sqlite():
        pytest.skip("the SQLite backup; PostgreSQL's is pg_dump (see the next test)")
    agreement_id, backup = completed.id, tmp_path / "salesramp-backup.sqlite3"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    assert backup.stat().st_mode & 0o777 == 0o600
    # Damage after the backup: an audit event deleted from the middle of the trail.
    db.session.execute(
        AgreementEvent.__table__.delete().where(
            AgreementEvent.agreement_id == agreement_id, AgreementEvent.seq == 2
        )
    )
    db.session.commit()
    assert runner.invoke(args=["agreements", "verify-all"]).exit_code == 1
    result = runner.invoke(args=["restore", str(backup)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["agreements", "verify-all"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Agreement.pdf_sha256).where(Agreement.id == agreement_id))


def test_restore_refuses_a_file_that_is_not_a_salesramp_database(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    if not _is_sqlite():
        pytest.skip("restore is for SQLite")
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not a database")
    result = runner.invoke(args=["restore", str(stranger)])
    assert result.exit_code == 1 and "is not a SalesRamp database" in result.output


def test_backup_on_postgresql_says_to_use_pg_dump(app: Flask, tmp_path: Path) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://u@127.0.0.1/salesramp"
    for command in (["backup", str(tmp_path / "b")], ["restore", __file__]):
        result = app.test_cli_runner().invoke(args=command)
        assert result.exit_code == 2 and "pg_dump" in result.output, result.output


def test_the_export_manifest_is_spreadsheet_safe(completed: Agreement) -> None:
    completed.rep.full_name = '=HYPERLINK("http://x","Ava")'
    db.session.commit()
    buffer = io.BytesIO()
    write_zip(completed_ids(), buffer)
    manifest = zipfile.ZipFile(buffer).read("manifest.csv").decode("utf-8")
    assert manifest.startswith(BOM)
    [row] = list(csv.DictReader(io.StringIO(manifest.removeprefix(BOM))))
    assert row["rep"] == '\'=HYPERLINK("http://x","Ava")'


def test_the_export_manifest_states_its_times_in_utc(completed: Agreement) -> None:
    """A manifest leaves the app: ISO 8601 with ``Z``, never the zone of whoever exported it."""
    buffer = io.BytesIO()
    write_zip(completed_ids(), buffer)
    manifest = zipfile.ZipFile(buffer).read("manifest.csv").decode("utf-8")
    [row] = list(csv.DictReader(io.StringIO(manifest.removeprefix(BOM))))
    assert completed.sent_at is not None and completed.completed_at is not None
    assert row["sent_at"] == f"{completed.sent_at:%Y-%m-%d %H:%M:%S}Z"
    assert row["completed_at"] == f"{completed.completed_at:%Y-%m-%d %H:%M:%S}Z"
