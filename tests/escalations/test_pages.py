"""The Escalations list and a rep's escalation history: who sees what, filters, query counts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import Role, User
from app.escalations import service
from app.extensions import db
from app.notifications.models import Notification
from app.plans.models import Plan
from app.plans.service import record_progress
from tests.conftest import create_rep, create_team, create_user
from tests.escalations.helpers import TODAY, overdue_commitment, overdue_milestone


@pytest.fixture
def escalated(curriculum) -> dict[str, User]:
    """Two coaches' reps with escalations; the first coach reports to a manager."""
    manager = create_user(Role.COACH, name="Morgan Manager")
    coach = create_user(Role.COACH, name="Casey Coach", coach=manager)
    other_coach = create_user(Role.COACH, name="Dana Elsewhere")
    rep = create_rep(day_of_ramp=40, coach=coach, name="Riley Late")
    rep.team = create_team("Team Late")
    other = create_rep(day_of_ramp=40, coach=other_coach, name="Blake Other")
    overdue_milestone(rep, days_late=12)
    overdue_milestone(other, days_late=4)
    service.run_escalations(today=TODAY)
    db.session.commit()
    return {
        "manager": manager,
        "coach": coach,
        "other_coach": other_coach,
        "rep": rep,
        "other": other,
        "hr": create_user(Role.HR, name="Harper People"),
    }


def _shown(count: int) -> str:
    return f"Showing 1\u2013{count} of {count} escalations"


def _rows(client: FlaskClient, url: str = "/escalations") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def test_hr_sees_every_escalation(escalated, login) -> None:
    page = _rows(login(escalated["hr"]))
    assert "Riley Late" in page and "Blake Other" in page
    assert _shown(3) in page


def test_a_coach_sees_only_their_reps(escalated, login) -> None:
    page = _rows(login(escalated["coach"]))
    assert "Riley Late" in page and "Blake Other" not in page
    assert _shown(2) in page


def test_the_coachs_manager_sees_only_what_was_raised_to_them(escalated, login) -> None:
    page = _rows(login(escalated["manager"]))
    assert "Riley Late" in page and "Manager or HR" in page
    assert _shown(1) in page


def test_reps_have_no_escalations_list(escalated, login) -> None:
    assert login(escalated["rep"]).get("/escalations").status_code == 403


def test_filters_narrow_the_list(escalated, login) -> None:
    client = login(escalated["hr"])
    assert _shown(1) in _rows(client, "/escalations?level=2")
    assert _shown(2) in _rows(client, "/escalations?level=1")
    assert "Blake Other" not in _rows(client, "/escalations?q=riley")
    team = escalated["rep"].team_id
    assert "Blake Other" not in _rows(client, f"/escalations?team={team}")
    assert "No escalations match" in _rows(client, "/escalations?kind=commitment")
    other = escalated["other"].id
    assert "Riley Late" not in _rows(client, f"/escalations?rep={other}")
    # Hand-edited values are ignored, not errors.
    assert _shown(3) in _rows(client, "/escalations?level=9&team=abc&rep=99999999999")


def test_a_done_item_shows_resolved_and_the_open_filter_drops_it(escalated, login) -> None:
    rep = escalated["other"]
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id))
    milestone = min(plan.milestones, key=lambda m: m.due_date)
    record_progress(rep, milestone, note="Done")
    db.session.commit()
    client = login(escalated["hr"])
    resolved = _rows(client, "/escalations?status=resolved")
    assert "Blake Other" in resolved and "Resolved" in resolved and "Riley Late" not in resolved
    assert "Blake Other" not in _rows(client, "/escalations?status=open")


def test_the_reps_page_shows_their_history_to_coach_and_hr_not_to_the_rep(
    escalated, client, login
) -> None:
    rep = escalated["rep"]
    for viewer in ("coach", "hr"):
        page = login(escalated[viewer]).get(f"/reps/{rep.id}").text
        assert 'id="escalations-heading"' in page, viewer
        assert "Casey Coach" in page and "Morgan Manager" in page
        client.post("/logout")
    own = login(rep).get("/ramp").text
    assert 'id="escalations-heading"' not in own
    client.post("/logout")
    # Another coach cannot open the rep's page at all.
    assert login(escalated["other_coach"]).get(f"/reps/{rep.id}").status_code == 403


def test_commitments_link_to_their_debrief(escalated, login) -> None:
    rep = escalated["other"]
    commitment = overdue_commitment(rep, days_late=3)
    service.run_escalations(today=TODAY)
    db.session.commit()
    page = _rows(login(escalated["other_coach"]), "/escalations?kind=commitment")
    assert f'href="/coaching/debriefs/{commitment.debrief_id}"' in page


def test_the_list_asks_as_many_queries_for_50_reps_as_for_5(
    escalated, login, queries_of: Callable[[str], int]
) -> None:
    login(escalated["hr"])
    coach = escalated["coach"]
    few = queries_of("/escalations"), queries_of(f"/reps/{escalated['rep'].id}")
    for _ in range(45):
        rep = create_rep(day_of_ramp=40, coach=coach)
        overdue_milestone(rep, days_late=12)
        overdue_commitment(rep, days_late=12)
    service.run_escalations(today=TODAY)
    db.session.commit()
    assert (queries_of("/escalations"), queries_of(f"/reps/{escalated['rep'].id}")) == few


def test_opening_a_managers_notification_reads_it(escalated, login) -> None:
    manager, rep = escalated["manager"], escalated["rep"]
    (notification,) = db.session.scalars(
        select(Notification).where(Notification.recipient_id == manager.id)
    )
    assert notification.read_at is None
    page = _rows(login(manager), notification.link)
    assert "Only Riley Late's escalations." in page
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).read_at is not None
    assert notification.link == f"/escalations?rep={rep.id}"
