"""The buddy pages over HTTP: the buddy sees the new hire's plan progress and their check-ins,
and never their debriefs, scores, certification results, numbers or agreements."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.agreements import service as agreements
from app.agreements.audit import Evidence
from app.agreements.models import Agreement
from app.buddies import service
from app.buddies.models import BuddyCheckIn, BuddyPairing
from app.certification.models import CertificationAttempt
from app.certification.service import AssessmentEntry, submit_assessment
from app.coaching import service as coaching
from app.coaching.models import Debrief, DebriefKind
from app.extensions import db
from app.plans.models import Plan
from tests.buddies.conftest import People
from tests.conftest import shipped_curriculum

DEBRIEF_NOTE = "Talks over the prospect in discovery"
COMMITMENT = "Ask three impact questions per call"
AGREEMENT_GAP = "Meetings booked: 2 a week against 6."


@pytest.fixture
def paired(people: People) -> BuddyPairing:
    """Nina paired with Pat from her first day, with a debrief, a certification result and an
    agreement of hers that Pat must never see."""
    pairing = service.pair(people.coach, people.rep, people.peer)
    pairing.paired_on = db.session.scalar(
        select(Plan.start_date).where(Plan.rep_id == people.rep.id)
    )
    today = date.today()
    setup = coaching.DebriefSetup(today, DebriefKind.ROLE_PLAY, "discovery")
    debrief = coaching.create_debrief(people.coach, people.rep, setup, today)
    entry = coaching.CommitmentEntry(COMMITMENT, "Five calls", today + timedelta(days=7))
    record = coaching.DebriefRecord(notes={"went_well": DEBRIEF_NOTE}, commitments=[entry])
    coaching.record_debrief(people.coach, debrief, record, today)
    rubric = shipped_curriculum().rubric("prospecting")
    scores = AssessmentEntry(scores={c.key: 3 for c in rubric.criteria}, evidence_kind="role-play")
    submit_assessment(people.coach, people.rep, "prospecting", scores, today)
    values = {
        "gap_summary": AGREEMENT_GAP,
        "support_offered": "Two call reviews a week.",
        "improvement_targets": "6 meetings a week",
        "period_start": "2027-01-04",
        "period_end": "2027-02-26",
        "review_dates": "every Friday",
        "consequences": "Employment may end.",
    }
    evidence = Evidence.system("buddy tests")
    agreement = agreements.create_draft(
        people.hr, people.rep, "performance-improvement", values, evidence
    )
    agreements.send(people.hr, agreement, evidence)
    db.session.commit()
    return pairing


def _private_urls(people: People) -> list[str]:
    rep = people.rep
    debrief_id = db.session.scalar(select(Debrief.id).where(Debrief.rep_id == rep.id))
    attempt_id = db.session.scalar(
        select(CertificationAttempt.id).where(CertificationAttempt.rep_id == rep.id)
    )
    agreement_id = db.session.scalar(select(Agreement.id).where(Agreement.rep_id == rep.id))
    milestone_id = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id)).milestones[0].id
    return [
        f"/reps/{rep.id}",
        f"/milestones/{milestone_id}",
        f"/coaching/reps/{rep.id}",
        f"/coaching/debriefs/{debrief_id}",
        f"/coaching/reps/{rep.id}/one-on-one",
        f"/certifications/reps/{rep.id}",
        f"/certifications/reps/{rep.id}/prospecting",
        f"/certifications/attempts/{attempt_id}",
        f"/outcomes/reps/{rep.id}",
        f"/agreements/{agreement_id}",
        f"/agreements/{agreement_id}/print",
        f"/agreements/{agreement_id}/download",
    ]


def test_the_buddy_is_refused_the_new_hires_debriefs_scores_and_agreements(
    paired, people: People, login
):
    client = login(people.peer)
    for url in _private_urls(people):
        assert client.get(url).status_code in (403, 404), url


def test_the_buddys_pages_show_progress_and_none_of_the_private_records(
    paired, people: People, login
):
    client = login(people.peer)
    page = client.get(f"/buddies/{paired.id}").get_data(as_text=True)
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == people.rep.id))
    assert plan.milestones[0].title in page
    assert "Nina Newhire" in page and "plan progress" in page
    listing = client.get("/buddies").get_data(as_text=True)
    calendar = client.get("/calendar").get_data(as_text=True)
    for html in (page, listing, calendar):
        for secret in (DEBRIEF_NOTE, COMMITMENT, AGREEMENT_GAP, "Performance improvement"):
            assert secret not in html
        assert "/coaching/" not in html.split("<main", 1)[-1]
        assert "/certifications/attempts" not in html
    assert "Record a check-in" in page
    assert "Unpair" not in page  # the buddy does not manage the pairing


def test_the_coach_pairs_from_the_suggestions(people: People, login):
    client = login(people.coach)
    page = client.get(f"/buddies/pair/{people.rep.id}").get_data(as_text=True)
    assert "Suggested peers" in page and "Pat Peer" in page
    response = client.post(f"/buddies/pair/{people.rep.id}", data={"buddy_id": str(people.peer.id)})
    assert response.status_code == 302
    pairing = db.session.scalar(select(BuddyPairing))
    assert pairing.buddy_id == people.peer.id
    assert "Nina Newhire" in client.get("/buddies").get_data(as_text=True)


def test_a_bad_pairing_form_is_shown_again_with_the_message(people: People, login):
    client = login(people.coach)
    response = client.post(f"/buddies/pair/{people.rep.id}", data={"buddy_id": str(people.rep.id)})
    assert response.status_code == 400
    assert "cannot be their own buddy" in response.get_data(as_text=True)
    for forged in ("999999", "x"):
        response = client.post(f"/buddies/pair/{people.rep.id}", data={"buddy_id": forged})
        assert response.status_code == 400
        assert "Choose a peer from the list" in response.get_data(as_text=True)
    assert client.get(f"/buddies/pair/{people.rep.id}").status_code == 200
    client.post("/logout")
    assert login(people.peer).get(f"/buddies/pair/{people.rep.id}").status_code == 403


def test_both_record_and_see_the_check_in_and_a_bad_one_re_renders(paired, people: People, login):
    client = login(people.rep)
    today = date.today().isoformat()
    bad = client.post(f"/buddies/{paired.id}/check-ins", data={"held_on": today, "worked_on": ""})
    assert bad.status_code == 400 and "What I worked on" in bad.get_data(as_text=True)
    data = {
        "held_on": today,
        "worked_on": "Discovery calls",
        "blockers": "Pricing questions",
        "will_do": "Book two meetings\nShadow Pat",
        "submission_key": "same-key-twice-000000",
    }
    for _ in range(2):  # a double click records one check-in
        assert client.post(f"/buddies/{paired.id}/check-ins", data=data).status_code == 302
    assert db.session.scalar(select(db.func.count(BuddyCheckIn.id))) == 1
    client.post("/logout")
    buddy_view = login(people.peer).get(f"/buddies/{paired.id}").get_data(as_text=True)
    assert "Pricing questions" in buddy_view and "Shadow Pat" in buddy_view


def test_strangers_get_403_and_unknown_pairings_404(paired, people: People, login):
    for stranger in (people.ae, people.other_coach):
        assert login(stranger).get(f"/buddies/{paired.id}").status_code == 403
        login(stranger).post("/logout")
    assert login(people.hr).get("/buddies/999999").status_code == 404


def test_the_coach_unpairs_with_a_reason(paired, people: People, login):
    client = login(people.coach)
    refused = client.post(f"/buddies/{paired.id}/end", data={"end-reason": ""})
    assert refused.status_code == 400
    assert (
        client.post(f"/buddies/{paired.id}/end", data={"end-reason": "Pat left"}).status_code == 302
    )
    db.session.refresh(paired)
    assert paired.end_reason == "Pat left"
    client.post("/logout")
    assert (
        login(people.peer).post(f"/buddies/{paired.id}/end", data={"end-reason": "x"}).status_code
        == 403
    )
