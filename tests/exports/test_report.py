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


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Each time the report's PDF is actually rendered (not served as stored)."""
    from app.exports import report

    rendered: list[str] = []
    real = report.render_pdf

    def counting(template: str, values: dict) -> bytes:
        rendered.append(values["rep_name"])
        return real(template, values)

    monkeypatch.setattr(report, "render_pdf", counting)
    return rendered


def test_an_unchanged_report_is_rendered_once_and_revalidates(rep, login, renders) -> None:
    client = login(rep.coach)
    url = f"/exports/reps/{rep.id}/report.pdf"
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert renders == ["Avery Quinlan"]
    assert first.data == second.data
    etag = first.headers["ETag"]
    assert etag and second.headers["ETag"] == etag
    assert "private" in first.headers["Cache-Control"]

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert renders == ["Avery Quinlan"]


def test_the_report_renders_again_when_what_it_shows_changes(rep, login, renders) -> None:
    client = login(rep.coach)
    url = f"/exports/reps/{rep.id}/report.pdf"
    etag = client.get(url).headers["ETag"]

    plan = plans.active_plan(rep)
    plan.milestones[1].status = MilestoneStatus.DONE
    db.session.commit()

    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert len(renders) == 2
    assert client.get(url).headers["ETag"] == changed.headers["ETag"]
    assert len(renders) == 2


def test_another_reps_change_leaves_the_stored_report_alone(rep, make_rep, login, renders) -> None:
    other = make_rep(name="Blake Other", coach=rep.coach)
    client = login(rep.coach)
    url = f"/exports/reps/{rep.id}/report.pdf"
    etag = client.get(url).headers["ETag"]

    plans.active_plan(other).milestones[0].status = MilestoneStatus.DONE
    db.session.commit()

    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert renders == ["Avery Quinlan"]
