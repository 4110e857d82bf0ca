"""Coaching pages: each bad commitment refused next to its field, the loop through the pages,
charts with their data tables, the printable one-on-one, and the unread count in the nav."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.coaching import service
from app.coaching.models import Debrief
from app.config import PROJECT_ROOT
from app.extensions import db
from tests.coaching.conftest import commitment

TODAY = date.today()
TOMORROW = (TODAY + timedelta(days=1)).isoformat()


def _error_of(html: str, field_id: str) -> str:
    match = re.search(rf'id="{re.escape(field_id)}-error"[^>]*>([^<]*)<', html)
    return match.group(1).strip() if match else ""


@pytest.fixture
def open_debrief(coach, rep, make_debrief) -> Debrief:
    return make_debrief(coach, rep, record=False)


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (
            {"action": "Ask about impact", "due_on": TOMORROW},
            "measure",
            "Say how you will both know",
        ),
        (
            {"action": "Ask about impact", "measure": "Five calls"},
            "due_on",
            "Give the date it is due.",
        ),
        (
            {"action": "Ask", "measure": "Five calls", "due_on": TODAY.isoformat()},
            "due_on",
            "The due date must be in the future.",
        ),
        (
            {"action": "Ask", "measure": "Five calls", "due_on": "2020-01-01"},
            "due_on",
            "The due date must be in the future.",
        ),
        ({"measure": "Five calls", "due_on": TOMORROW}, "action", "Say what the rep will do."),
        ({"action": "Ask", "measure": "Five", "due_on": "soon"}, "due_on", "Not a valid date"),
    ],
)
def test_a_commitment_that_is_not_smart_is_refused_next_to_the_field(
    client, login, coach, open_debrief, row, field, message
) -> None:
    login(coach)
    blank = {"action": "", "measure": "", "due_on": "", "criterion": ""}  # as a browser sends it
    data = {f"commitments-0-{key}": value for key, value in blank.items()}
    data.update({f"commitments-1-{key}": value for key, value in row.items()})
    response = client.post(f"/coaching/debriefs/{open_debrief.id}/record", data=data)
    assert response.status_code == 200
    assert message in _error_of(response.text, f"commitments-1-{field}")
    db.session.refresh(open_debrief)
    assert not open_debrief.is_recorded


def test_a_debrief_without_any_commitment_is_refused(client, login, coach, open_debrief) -> None:
    login(coach)
    response = client.post(f"/coaching/debriefs/{open_debrief.id}/record", data={})
    assert "End the debrief with at least one commitment." in response.text


def test_blank_rows_are_ignored_and_several_commitments_are_kept(
    client, login, coach, rep, open_debrief
) -> None:
    login(coach)
    data = {
        "went_well": "Calm under pressure",
        "score-questioning": "2",
        "commitments-0-action": "Ask two impact questions",
        "commitments-0-measure": "Call notes of five calls",
        "commitments-0-due_on": TOMORROW,
        "commitments-0-criterion": "questioning",
        "commitments-2-action": "Summarise before pitching",
        "commitments-2-measure": "Coach listens to two calls",
        "commitments-2-due_on": TOMORROW,
    }
    response = client.post(f"/coaching/debriefs/{open_debrief.id}/record", data=data)
    assert response.status_code == 303, response.text
    db.session.refresh(open_debrief)
    assert [c.action for c in open_debrief.commitments] == [
        "Ask two impact questions",
        "Summarise before pitching",
    ]
    assert open_debrief.commitments[0].criterion_key == "questioning"
    assert open_debrief.levels() == {"questioning": 2}
    assert service.unread_count(rep) == 2


def test_the_loop_through_the_pages(client, login, coach, rep, make_debrief) -> None:
    login(coach)
    setup = {"held_on": TODAY.isoformat(), "kind": "role-play", "stage": "discovery",
             "scenario": "discovery-first-call-cfo"}  # fmt: skip
    response = client.post(f"/coaching/reps/{rep.id}/new", data=setup)
    assert response.status_code == 303
    debrief_url = response.location
    debrief = db.session.scalars(db.select(Debrief)).one()

    client.post("/logout")
    login(rep)
    page = client.get("/coaching/mine").text
    assert 'id="unread-count"' in page
    page = client.get(debrief_url).text
    assert "Elena Brooks" in page  # the scenario's buyer
    response = client.post(f"{debrief_url}/reflection", data={"went_well": "Kept my calm"})
    assert response.status_code == 303
    assert 'id="unread-count"' not in client.get("/coaching/mine").text

    client.post("/logout")
    login(coach)
    page = client.get(f"{debrief_url}/record").text
    assert "Kept my calm" in page
    assert page.index("Open commitments") < page.index("Kept my calm")
    data = {"commitments-0-action": "Quantify the close delay", "commitments-0-measure": "3 calls",
            "commitments-0-due_on": TOMORROW}  # fmt: skip
    assert client.post(f"{debrief_url}/record", data=data).status_code == 303

    client.post("/logout")
    login(rep)
    page = client.get(debrief_url).text
    assert "Quantify the close delay" in page and "acknowledge" in page
    assert client.post(f"{debrief_url}/acknowledge").status_code == 303
    response = client.post(f"{debrief_url}/follow-up", data={"follow_up": ""})
    assert response.status_code == 400
    assert "Write what you changed" in _error_of(response.text, "follow_up")
    client.post(f"{debrief_url}/follow-up", data={"follow_up": "I now ask what it costs them."})
    db.session.refresh(debrief)
    assert debrief.acknowledged_at is not None and debrief.follow_up

    client.post("/logout")
    login(coach)
    page = client.get(f"/coaching/reps/{rep.id}/new").text
    assert "Quantify the close delay" in page
    commitment_id = debrief.commitments[0].id
    response = client.post(
        f"/coaching/commitments/{commitment_id}/review",
        data={
            f"commitment-{commitment_id}-outcome": "missed",
            "next": f"/coaching/reps/{rep.id}/new",
        },
    )
    assert response.status_code == 400  # a missed commitment needs a note
    assert "Say what happened" in response.text
    response = client.post(
        f"/coaching/commitments/{commitment_id}/review",
        data={
            f"commitment-{commitment_id}-outcome": "kept",
            "next": f"/coaching/reps/{rep.id}/new",
        },
    )
    assert response.status_code == 303
    assert response.location == f"/coaching/reps/{rep.id}/new"
    assert "No open commitments" in client.get(response.location).text


def test_progress_page_has_charts_with_titles_and_data_tables(
    client, login, coach, rep, make_debrief
) -> None:
    for days, level in ((14, 2), (7, 2), (0, 3)):
        held_on = TODAY - timedelta(days=days)
        make_debrief(coach, rep, held_on=held_on, scores={"questioning": level},
                     commitments=[commitment(today=held_on)])  # fmt: skip
    login(coach)
    page = client.get(f"/coaching/reps/{rep.id}").text
    assert '<svg class="chart"' in page and "<desc" in page
    assert "Discovery: level per criterion" in page  # the table's caption
    assert "No repeated gaps" in page  # the last score closed it


def test_the_one_on_one_page_prints(client, login, coach, rep, make_debrief) -> None:
    make_debrief(coach, rep)
    login(coach)
    page = client.get(f"/coaching/reps/{rep.id}/one-on-one").text
    for heading in ("Open commitments", "Repeated gaps", "Overdue plan milestones",
                    "Certifications due", "The last three debriefs"):  # fmt: skip
        assert heading in page
    css = (PROJECT_ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert ".follow-through .review-form { display: none !important; }" in css


def test_once_answered_the_debrief_no_longer_asks_for_the_answers(
    client, login, coach, rep, make_debrief
) -> None:
    debrief = make_debrief(coach, rep, record=False)
    db.session.commit()
    login(rep)
    url = f"/coaching/debriefs/{debrief.id}"
    assert "Answer the questions first" in client.get(url).text
    assert client.post(f"{url}/reflection", data={"went_well": "Kept my calm"}).status_code == 303
    page = client.get(url).text
    assert "Answer the questions first" not in page
    assert "Your answers are saved" in page


def test_the_record_page_names_the_rubric_with_its_stage_as_written(
    client, login, coach, rep, make_debrief
) -> None:
    """The stage's name as the curriculum writes it, not lowered from the rubric's title."""
    debrief = make_debrief(coach, rep, record=False, stage="discovery")
    db.session.commit()
    page = login(coach).get(f"/coaching/debriefs/{debrief.id}/record").text
    assert "Scores on the Discovery certification" in page
