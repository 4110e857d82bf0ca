"""The rep's progress report (PDF) says what the rep's pages say, to whoever may see them."""

from __future__ import annotations

import re
import subprocess
from html import unescape

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.plans import service as plans
from app.plans.models import MilestoneStatus
from tests.conftest import PASSWORD


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(text.split())


def _words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def rep(make_rep):
    rep = make_rep(day_of_ramp=20, name="Avery Quinlan")
    plan = plans.active_plan(rep)
    plan.milestones[0].status = MilestoneStatus.DONE
    db.session.commit()
    return rep


def test_the_report_says_what_the_ramp_page_says(rep, login, tmp_path) -> None:
    client = login(rep.coach)
    response = client.get(f"/exports/reps/{rep.id}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = _pdf_text(response.data, tmp_path)
    page = _words(client.get(f"/reps/{rep.id}").text)

    plan = plans.active_plan(rep)
    summary = plans.ramp_of(rep.coach, rep)
    assert "Avery Quinlan" in text
    assert plan.template.title in text and plan.template.title in page
    assert f"day {summary.day}" in text
    status = summary.status.value.capitalize()
    assert status in text and status in page
    for phase in summary.phases:
        assert f"{phase.done} of {phase.total} done ({phase.percent}%)" in text
    for milestone in plan.milestones[:5]:
        assert milestone.title in text and milestone.title in page
    assert "Certifications" in text and "Commitments" in text


def test_the_report_is_for_whoever_may_see_the_rep(app, rep, make_user, make_rep, login) -> None:
    client = login(make_user(Role.HR))
    assert client.get(f"/exports/reps/{rep.id}/report.pdf").status_code == 200
    other = app.test_client()
    other_rep = make_rep(name="Blake Other")
    other.post("/login", data={"email": other_rep.email, "password": PASSWORD})
    assert other.get(f"/exports/reps/{rep.id}/report.pdf").status_code == 403
