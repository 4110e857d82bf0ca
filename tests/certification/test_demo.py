"""The demo organisation's certifications: every state a coach meets, and pages that render."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.service import authenticate, local_today
from app.certification import service
from app.certification.models import Assessment, CertificationAttempt, ScoreCorrection
from app.certification.status import CertificationStatus
from app.extensions import db
from app.plans.models import MeasureKind, Milestone, MilestoneStatus


@pytest.fixture
def seeded(demo_snapshot, app):
    return authenticate("admin@demo.salesramp", "demo")


def test_the_demo_has_every_certification_status(seeded):
    admin = seeded
    today = local_today(admin)
    team = service.team_certifications(admin, today)
    cells = list(team.cells.values())
    statuses = {cell.status for cell in cells}
    assert statuses == set(CertificationStatus)
    failed = [c for c in cells if c.status == CertificationStatus.NOT_PASSED]
    assert any(c.reading.next_attempt_from and c.reading.next_attempt_from > today for c in failed)
    passed = [c for c in cells if c.status == CertificationStatus.PASSED]
    assert all(c.reading.expires_on and c.reading.expires_on >= today for c in passed)
    assert any(rate.decided and rate.percent < 100 for rate in team.pass_rates)
    assert team.upcoming


def test_the_demo_has_self_assessments_second_assessors_and_a_correction(seeded):
    assessments = db.session.scalars(select(Assessment)).all()
    assert sum(a.is_self for a in assessments) >= 3
    attempts = db.session.scalars(select(CertificationAttempt)).all()
    assert any(len(a.submitted_assessor_assessments) >= 2 for a in attempts)
    assert any(a.pending_assessor_assessments for a in attempts)  # waiting for the second
    correction = db.session.scalars(select(ScoreCorrection)).one()
    assert correction.reason and correction.old_level != correction.new_level
    report = service.calibration_report(seeded, "discovery")
    assert report.attempts >= 2
    assert any(lean.label.startswith("scores") for _, lean in report.leans)


def test_passed_certifications_completed_their_milestones(seeded):
    milestones = db.session.scalars(
        select(Milestone).where(Milestone.measure_kind == MeasureKind.CERTIFICATION)
    ).all()
    done = [m for m in milestones if m.status == MilestoneStatus.DONE]
    assert done
    for milestone in done:
        assert [e.action for e in milestone.events] == ["certified"]
        assert milestone.completed_at.date() <= local_today(milestone.plan.rep)


def test_every_demo_certification_page_renders(seeded, client, login):
    from tests.conftest import password_hash

    # demo people have the password "demo"; give the admin the test password to sign in
    seeded.password_hash = password_hash()
    db.session.commit()
    client = login(seeded)
    assert client.get("/certifications/team").status_code == 200
    for attempt in db.session.scalars(select(CertificationAttempt)):
        assert client.get(f"/certifications/attempts/{attempt.id}").status_code == 200
        url = f"/certifications/reps/{attempt.rep_id}/{attempt.stage}"
        assert client.get(url).status_code == 200
    for key in ("discovery", "demo", "negotiation"):
        assert client.get(f"/certifications/calibration/{key}").status_code == 200
