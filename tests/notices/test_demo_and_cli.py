"""The demo's notices (one signed and sealed, one drafted for HR) and ``flask notices sweep``."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from app.agreements.models import Agreement, AgreementStatus
from app.agreements.service.verification import verify_pdf
from app.curriculum.models import AgreementKind
from app.extensions import db
from app.notices.models import NoticeEpisode
from tests.database import Snapshot


def test_the_demo_has_a_signed_notice_and_a_drafted_one(
    demo_snapshot: Snapshot, app: Flask, runner: FlaskCliRunner
) -> None:
    notices = db.session.scalars(
        select(Agreement).where(Agreement.kind == AgreementKind.NOTICE).order_by(Agreement.id)
    ).all()
    assert {n.status for n in notices} == {AgreementStatus.COMPLETED, AgreementStatus.DRAFT}
    assert {n.rep.full_name for n in notices} == {"Diego Alvarez"}
    signed = next(n for n in notices if n.status == AgreementStatus.COMPLETED)
    assert signed.pdf is not None and verify_pdf(signed.pdf).intact
    labels = set(db.session.scalars(select(NoticeEpisode.condition_label)))
    assert labels == {"At risk for 14 days", "2 failed certifications"}

    result = runner.invoke(args=["notices", "sweep"])  # the same day again: nothing new
    assert result.exit_code == 0, result.output
    assert "notices drafted: 0" in result.output
