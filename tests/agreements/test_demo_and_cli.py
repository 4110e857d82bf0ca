"""The demo organisation's agreements, and ``flask agreements export``."""

from __future__ import annotations

import csv
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner

from app.agreements import audit
from app.agreements.models import Agreement, AgreementStatus
from app.agreements.service.verification import verify_pdf
from app.extensions import db
from tests.database import Snapshot


def test_the_demo_has_agreements_in_every_state(demo_snapshot: Snapshot, app: Flask) -> None:
    agreements = db.session.query(Agreement).all()
    statuses = {a.status for a in agreements}
    assert statuses == set(AgreementStatus)
    for agreement in agreements:
        assert audit.verify_chain(agreement).intact
        if agreement.status == AgreementStatus.COMPLETED:
            assert agreement.pdf is not None and verify_pdf(agreement.pdf).intact
    declined = next(a for a in agreements if a.status == AgreementStatus.DECLINED)
    assert declined.close_reason


def test_cli_export_writes_every_completed_pdf_and_a_manifest(
    completed: Agreement, make_agreement: object, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make_agreement()  # type: ignore[operator]  # sent, not completed: not exported
    target = tmp_path / "export"
    result = runner.invoke(args=["agreements", "export", str(target)])
    assert result.exit_code == 0, result.output
    assert "Wrote 1 sealed PDFs" in result.output
    rows = list(csv.DictReader((target / "manifest.csv").read_text("utf-8-sig").splitlines()))
    assert [row["agreement_id"] for row in rows] == [str(completed.id)]
    assert (target / rows[0]["file"]).read_bytes() == completed.pdf
    assert rows[0]["pdf_sha256"] == completed.pdf_sha256
