"""Calendar feeds: RFC 5545 parsed back with icalendar, stable UIDs, the link's lifecycle,
a coach's feed with their reps' items, and never anyone else's."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date, time, timedelta

import icalendar
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import Role, User
from app.calendars import service
from app.calendars.models import CalendarFeed
from app.certification.service import AssessmentEntry, Slot, schedule, submit_assessment
from app.coaching import service as coaching
from app.coaching.models import DebriefKind
from app.extensions import db
from app.plans.models import Plan
from app.plans.service import record_progress
from tests.conftest import create_rep, create_user, shipped_curriculum

_keys = itertools.count()


def _link(client: FlaskClient) -> str:
    """Make the signed-in person's link on the page, and read the feed's path from it."""
    key = f"calendar-link-{next(_keys)}"
    response = client.post("/calendar/regenerate", data={"regenerate-submission_key": key})
    assert response.status_code == 303
    page = client.get("/calendar").text
    match = re.search(r'value="http://localhost(/calendar/feed/[^"]+\.ics)"', page)
    assert match, page
    assert f'href="webcal://localhost{match.group(1)}"' in page
    return match.group(1)


def _fetch(client: FlaskClient, path: str) -> icalendar.Calendar:
    response = client.get(path)
    assert response.status_code == 200
    assert response.content_type == "text/calendar; charset=utf-8"
    body = response.get_data()
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")  # CRLF only
    return icalendar.Calendar.from_ical(body)


def _events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _debrief_with_commitment(coach: User, rep: User, kind: DebriefKind) -> None:
    today = date.today()
    setup = coaching.DebriefSetup(held_on=today, kind=kind, stage="discovery")
    debrief = coaching.create_debrief(coach, rep, setup, today)
    entry = coaching.CommitmentEntry("Ask about impact", "On five calls", today + timedelta(days=7))
    coaching.record_debrief(coach, debrief, coaching.DebriefRecord(commitments=[entry]), today)
    db.session.commit()


@pytest.fixture
def team(curriculum) -> dict[str, User]:
    coach = create_user(Role.COACH, name="Casey Coach")
    rep = create_rep(day_of_ramp=20, coach=coach, name="Riley Rep")
    stranger = create_rep(day_of_ramp=20, name="Sam Stranger")
    _debrief_with_commitment(coach, rep, DebriefKind.ONE_ON_ONE)
    _debrief_with_commitment(stranger.coach, stranger, DebriefKind.ROLE_PLAY)
    return {"coach": coach, "rep": rep, "stranger": stranger}


def test_the_feed_conforms_and_lists_the_reps_dates(team, login) -> None:
    client = login(team["rep"])
    calendar = _fetch(client, _link(client))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//SalesRamp//Calendar feed//EN"
    events = list(calendar.walk("VEVENT"))
    summaries = [str(e["SUMMARY"]) for e in events]
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == team["rep"].id))
    window = date.today() - timedelta(days=service.DAYS_BACK)
    due = [m for m in plan.milestones if m.due_date >= window]
    assert len([s for s in summaries if " due: " in s and "Commitment" not in s]) == len(due)
    assert "Commitment due: Ask about impact" in summaries
    assert "One-on-one with Casey Coach" in summaries
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "LAST-MODIFIED"} <= set(event)
        start = event.decoded("DTSTART")
        assert type(start) is date  # all-day
        assert event.decoded("DTEND") == start + timedelta(days=1)
        assert event.decoded("DTSTAMP").tzinfo is not None  # UTC
        assert str(event["URL"]).startswith("http://localhost/")
    assert not any("Sam Stranger" in s or "Role-play" in s for s in summaries)


def test_uids_are_stable_and_a_change_moves_last_modified(team, login) -> None:
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == team["rep"].id))
    plan.assigned_at -= timedelta(hours=1)  # assigned a while ago (timestamps are to the second)
    db.session.commit()
    client = login(team["rep"])
    path = _link(client)
    first = _events(_fetch(client, path))
    second = _events(_fetch(client, path))
    assert first.keys() == second.keys() and len(first) > 3
    assert {u: e.to_ical() for u, e in first.items()} == {u: e.to_ical() for u, e in second.items()}

    milestone = plan.milestones[0]
    record_progress(team["rep"], milestone, note="Done")
    db.session.commit()
    third = _events(_fetch(client, path))
    assert third.keys() == first.keys()  # updated in place, not duplicated
    uid = next(u for u in first if u.startswith(f"milestone-{milestone.id}@"))
    before, after = first[uid].decoded("LAST-MODIFIED"), third[uid].decoded("LAST-MODIFIED")
    assert after > before
    assert str(third[uid]["SUMMARY"]) != str(first[uid]["SUMMARY"])


def test_a_coach_gets_their_reps_items_named_and_nobody_elses(team, login) -> None:
    client = login(team["coach"])
    summaries = [str(e["SUMMARY"]) for e in _fetch(client, _link(client)).walk("VEVENT")]
    assert "One-on-one with Riley Rep" in summaries
    assert "Riley Rep: Commitment due: Ask about impact" in summaries
    assert any(s.startswith("Riley Rep: Milestone due: ") for s in summaries)
    assert not any("Sam Stranger" in s for s in summaries)
    assert not any("Role-play" in s for s in summaries)


def test_revoking_or_regenerating_makes_the_old_url_404(team, login) -> None:
    client = login(team["rep"])
    old = _link(client)
    new = _link(client)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    response = client.post("/calendar/revoke", data={"revoke-submission_key": "r" * 20})
    assert response.status_code == 303
    assert client.get(new).status_code == 404
    assert "Make my calendar link" in client.get("/calendar").text
    assert db.session.scalar(select(CalendarFeed)) is None


def test_the_same_form_sent_twice_makes_one_link(team, login) -> None:
    client = login(team["rep"])
    data = {"regenerate-submission_key": "same-key-twice-0001"}
    client.post("/calendar/regenerate", data=data)
    token = db.session.scalar(select(CalendarFeed.token))
    client.post("/calendar/regenerate", data=data)
    db.session.expire_all()
    assert db.session.scalar(select(CalendarFeed.token)) == token


def test_the_feed_needs_no_sign_in_but_a_current_token(team, login, client) -> None:
    path = _link(login(team["rep"]))
    client.post("/logout")
    assert client.get(path).status_code == 200
    assert client.get("/calendar/feed/not-a-token.ics").status_code == 404
    assert client.get("/calendar/feed/" + "x" * 300 + ".ics").status_code == 404
    download = client.get(path + "?download=1")
    assert download.headers["Content-Disposition"] == 'attachment; filename="salesramp.ics"'
    team["rep"].active = False
    db.session.commit()
    assert client.get(path).status_code == 404  # a deactivated person's feed stops


def test_a_passed_certification_expiring_is_in_the_feed(team) -> None:
    rubric = shipped_curriculum().rubric("prospecting")
    entry = AssessmentEntry(scores={c.key: 3 for c in rubric.criteria}, evidence_kind="role-play")
    attempt = submit_assessment(
        team["coach"], team["rep"], "prospecting", entry, date.today()
    ).attempt
    db.session.commit()
    events = service.events_for(team["rep"], date.today())
    expiring = [e for e in events if e.uid.startswith("certification-expiry-")]
    assert attempt.expires_on is not None
    assert [(e.on, e.summary) for e in expiring] == [
        (attempt.expires_on, "Certification expires: prospecting")
    ]


def test_a_coachs_feed_asks_as_many_queries_for_50_reps_as_for_5(
    team, login, queries_of: Callable[[str], int]
) -> None:
    path = _link(login(team["coach"]))
    slot = Slot(date.today() + timedelta(days=3), time(9, 0), 30, "Room 3")
    schedule(team["coach"], team["rep"], "prospecting", slot)
    db.session.commit()
    few = queries_of(path)
    for _ in range(45):
        rep = create_rep(day_of_ramp=30, coach=team["coach"])
        _debrief_with_commitment(team["coach"], rep, DebriefKind.CALL_REVIEW)
        schedule(team["coach"], rep, "prospecting", slot)  # a booked assessment each
    db.session.commit()
    assert queries_of(path) == few


def test_dtstamp_is_when_the_item_changed_not_when_fetched(team) -> None:
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == team["rep"].id))
    milestone = plan.milestones[0]
    record_progress(team["rep"], milestone, note="Done")
    db.session.commit()
    changed = milestone.completed_at or milestone.submitted_at
    assert changed is not None
    body = service.to_ical(team["rep"], service.events_for(team["rep"], date.today()), "/", "Org")
    events = _events(icalendar.Calendar.from_ical(body))
    event = next(e for uid, e in events.items() if uid.startswith(f"milestone-{milestone.id}@"))
    assert event.decoded("DTSTAMP").replace(tzinfo=None) == changed.replace(microsecond=0)
