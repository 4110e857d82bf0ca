"""Query counts are a behaviour: the ramp, team, people, coaching and escalations pages ask as many
queries with 50 reps (and a long history) as with 5, and never more than 30.

The 5-rep world, with history (plans with milestones done, waiting and overdue, debriefs with
commitments, notifications), is a module snapshot; the test counts every page, adds 45 reps
with the same history (and more debriefs and notifications for the rep and coach measured),
and counts again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.accounts.models import Role, Team, User
from app.agreements import service as agreements
from app.api import service as api_tokens
from app.certification import service as certification
from app.coaching import service as coaching
from app.coaching.models import DebriefKind
from app.escalations import service as escalations
from app.extensions import db
from app.invitations.models import Invitation
from app.mail import queue_mail
from app.notices.models import NoticeEpisode
from app.plans.models import MilestoneStatus, Plan
from tests.conftest import PASSWORD, create_rep, create_team, create_user
from tests.database import Snapshot, TestDatabase
from tests.notices.world import PIP_VALUES
from tests.querycount import count_pages, counting_queries

MAX_QUERIES = 30


@dataclass(frozen=True)
class WorldIds:
    rep: int
    coach: int
    hr: int
    admin: int


def _with_history(rep: User, coach: User, debriefs: int = 2) -> None:
    """Milestones done, waiting for the coach and overdue; recorded debriefs with commitments."""
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id))
    assert plan is not None
    plan.milestones[0].status = MilestoneStatus.DONE
    plan.milestones[1].status = MilestoneStatus.SUBMITTED
    today = date.today()
    for number in range(debriefs):
        held_on = today - timedelta(days=number)
        setup = coaching.DebriefSetup(
            held_on=held_on, kind=DebriefKind.ROLE_PLAY, stage="discovery"
        )
        debrief = coaching.create_debrief(coach, rep, setup, held_on)
        entries = [
            coaching.CommitmentEntry(
                f"Action {n}", f"Measure {n}", today + timedelta(days=7), None, n
            )
            for n in range(2)
        ]
        record = coaching.DebriefRecord(notes={"went_well": "Clear opening"}, commitments=entries)
        coaching.record_debrief(coach, debrief, record, held_on)
    coaching.notify(coach, "test", f"{rep.full_name} did something", "/coaching/mine")
    queue_mail(  # the admin's outbox grows with the organisation too
        to=rep.email,
        to_name=rep.full_name,
        template="password_reset",
        subject="Reset your SalesRamp password",
        reason="Asked for on the sign-in page.",
        link="http://127.0.0.1:5000/",
        minutes=30,
    )
    escalations.run_escalations()  # the overdue milestones raised to the coach (and beyond)
    # An assessment booked for this week: on the coach's work queue and the rep's pages.
    slot = certification.Slot(date.today() + timedelta(days=2), time(10, 0), 60, "Room 1")
    certification.schedule(coach, rep, "prospecting", slot)
    _under_notice(rep)
    db.session.commit()


def _under_notice(rep: User) -> None:
    """A written notice drafted under the rep's improvement agreement, on HR's notices list."""
    pip = agreements.draft_for_hr(rep, "performance-improvement", PIP_VALUES, "query counts")
    notice_values = {**agreements.initial_values("written-notice"), "condition": "At risk"}
    notice_values |= {"agreement_title": pip.title, "agreement_signed": date.today().isoformat()}
    notice_values |= {"clause_heading": "If the targets are missed", "clause_text": "It ends."}
    notice = agreements.draft_for_hr(rep, "written-notice", notice_values | {"evidence": "- x"}, "")
    db.session.add(
        NoticeEpisode(
            rep_id=rep.id,
            agreement_id=pip.id,
            condition_key="status-at_risk-14",
            condition_label="At risk for 14 days",
            clause="If the targets are missed",
            started_on=date.today(),
            evidence=["Recorded as at risk on 14 days"],
            notice_id=notice.id,
            created_at=notice.created_at,
        )
    )


def _add_reps(coach: User, count: int, start: int) -> None:
    """Reps with history; every other one the measured coach's, and teams and coaches grow
    with them (a team per 5 reps, a coach per 10), as a real organisation's do."""
    team = other_coach = None
    for number in range(start, start + count):
        if team is None or number % 5 == 0:
            team = create_team(f"Team {number:03d}")
        if other_coach is None or number % 10 == 0:
            other_coach = create_user(Role.COACH, name=f"Coach {number:03d}", team=team)
        their_coach = coach if number % 2 else other_coach
        rep = create_rep(day_of_ramp=5 + number % 80, coach=their_coach, name=f"Rep {number:03d}")
        rep.team = team
        _with_history(rep, their_coach, debriefs=1)
        _invite_new_hire(number, team, their_coach)


def _invite_new_hire(number: int, team: Team, coach: User) -> None:
    """A new hire invited (some accepted, some expired) for each rep: People and Invitations
    show each one's invitation."""
    hire = create_user(Role.REP, name=f"Hire {number:03d}", coach=coach, team=team)
    sent = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=9 if number % 4 == 1 else 1)
    if number % 3:
        hire.password_hash = ""  # not accepted yet
    invitation = Invitation(
        user=hire,
        token_hash=f"{number:064d}",
        invited_by=coach,
        created_at=sent,
        sent_at=sent,
        expires_at=sent + timedelta(days=7),
        sends=1,
        accepted_at=None if number % 3 else sent,
    )
    db.session.add(invitation)
    db.session.commit()


def _build_world() -> WorldIds:
    coach = create_user(Role.COACH, name="Casey Coach")
    rep = create_rep(day_of_ramp=40, coach=coach, name="Riley Measured")
    rep.team = coach.team = create_team("Team Measured")
    _with_history(rep, coach)
    _add_reps(coach, 4, start=1)
    return WorldIds(
        rep=rep.id,
        coach=coach.id,
        hr=create_user(Role.HR, name="Harper People").id,
        admin=create_user(Role.ADMIN, name="Alex Admin").id,
    )


@pytest.fixture(scope="module")
def five_reps_snapshot(test_database: TestDatabase) -> Snapshot:
    return test_database.snapshot("query-counts-five-reps", _build_world)


def _pages(ids: WorldIds) -> dict[str, tuple[int, str]]:
    """Each page measured: who looks at it, and its URL."""
    return {
        "team as HR": (ids.hr, "/team"),
        "team as HR, sorted by status, page 1": (ids.hr, "/team?sort=-status"),
        "team as coach": (ids.coach, "/team"),
        "my ramp": (ids.rep, "/ramp"),
        "a rep's ramp": (ids.coach, f"/reps/{ids.rep}"),
        "people": (ids.admin, "/admin/people"),
        "people as HR, by team": (ids.hr, "/admin/people?sort=team"),
        "teams": (ids.admin, "/admin/teams"),
        "invitations": (ids.admin, "/admin/invitations"),
        "invitations, expired": (ids.admin, "/admin/invitations?status=expired&sort=name"),
        "single sign-on settings": (ids.admin, "/admin/single-sign-on"),
        "my debriefs": (ids.rep, "/coaching/mine"),
        "a rep's debriefs": (ids.coach, f"/coaching/reps/{ids.rep}"),
        "notifications": (ids.coach, "/coaching/notifications"),
        "one-on-one prep": (ids.coach, f"/coaching/reps/{ids.rep}/one-on-one"),
        "outbox": (ids.admin, "/admin/outbox"),
        "work queue": (ids.coach, "/work"),
        "notification settings": (ids.rep, "/account/notifications"),
        "escalations as HR": (ids.hr, "/escalations"),
        "escalations as HR, open, by rep": (ids.hr, "/escalations?status=open&sort=rep"),
        "escalations as coach": (ids.coach, "/escalations"),
        "written notices as HR": (ids.hr, "/notices"),
        "written notices as HR, drafts, by rep": (ids.hr, "/notices?status=draft&sort=rep"),
        "my calendar link": (ids.rep, "/calendar"),
        "my certifications": (ids.rep, "/certifications/mine"),
        "a rep's certification, as coach": (
            ids.coach,
            f"/certifications/reps/{ids.rep}/prospecting",
        ),
        "cohort imports": (ids.admin, "/admin/people/import"),
        "ramp outcomes as HR": (ids.hr, "/outcomes/"),
        "ramp outcomes as coach, by score, a cohort": (
            ids.coach,
            f"/outcomes/?sort=-score&by=quarter&cohort={date.today():%Y-%m}",
        ),
        "my numbers": (ids.rep, "/outcomes/mine"),
        "a rep's numbers": (ids.coach, f"/outcomes/reps/{ids.rep}?metric=meetings_booked"),
        "dashboard as HR": (ids.hr, "/dashboard"),
        "dashboard as HR, this month's cohort compared": (
            ids.hr,
            f"/dashboard?cohort={date.today():%Y-%m}&role=SDR",
        ),
        "dashboard as coach": (ids.coach, "/dashboard"),
        "coaches": (ids.hr, "/dashboard/coaches?sort=-cadence"),
        "a coach's accountability": (ids.coach, f"/dashboard/coaches/{ids.coach}"),
    }


def _count_pages(app: Flask, ids: WorldIds) -> dict[str, int]:
    return count_pages(app, _pages(ids), PASSWORD)


def test_pages_ask_as_many_queries_for_50_reps_as_for_5(five_reps_snapshot, app):
    ids: WorldIds = five_reps_snapshot.value
    with_five = _count_pages(app, ids)

    coach = db.session.get(User, ids.coach)
    _add_reps(coach, 45, start=5)
    _with_history(db.session.get(User, ids.rep), coach, debriefs=6)
    with_fifty = _count_pages(app, ids)

    assert with_fifty == with_five
    assert {name: n for name, n in with_fifty.items() if n > MAX_QUERIES} == {}


# --- the JSON API: a token per person, each endpoint counted as its pages are -----------------


def _api_calls(ids: WorldIds) -> dict[str, tuple[int, str, str]]:
    """Each API call measured: who calls it, the method and the URL."""
    rep = f"/api/v1/people/{ids.rep}"
    return {
        "api: me": (ids.rep, "GET", "/api/v1/me"),
        "api: people as HR": (ids.hr, "GET", "/api/v1/people"),
        "api: people as coach": (ids.coach, "GET", "/api/v1/people?per_page=10"),
        "api: a person": (ids.coach, "GET", rep),
        "api: plan": (ids.coach, "GET", rep + "/plan"),
        "api: certifications": (ids.hr, "GET", rep + "/certifications"),
        "api: commitments": (ids.coach, "GET", rep + "/commitments"),
        "api: activity": (ids.rep, "GET", rep + "/activity?weeks=52"),
        "api: agreements": (ids.hr, "GET", rep + "/agreements"),
        "api: push activity": (ids.hr, "POST", "/api/v1/activity"),
    }


def _count_api(app: Flask, ids: WorldIds, tokens: dict[int, str]) -> dict[str, int]:
    rep_email = db.session.get(User, ids.rep).email
    row = {"rep_email": rep_email, "date": date.today().isoformat(), "dials": 7}
    push = {"source": "Query count CRM", "period": "day", "rows": [row]}
    client = app.test_client()
    counts = {}
    for name, (user_id, method, url) in _api_calls(ids).items():
        if user_id not in tokens:
            made = api_tokens.create_token(db.session.get(User, user_id), "query counts")
            assert made is not None
            db.session.commit()
            tokens[user_id] = made.secret
        headers = {"Authorization": f"Bearer {tokens[user_id]}"}
        body = {"json": push} if method == "POST" else {}
        client.open(url, method=method, headers=headers, **body)  # warms, writes the last use
        db.session.remove()
        with counting_queries() as statements:
            response = client.open(url, method=method, headers=headers, **body)
        assert response.status_code == 200, (name, response.get_data(as_text=True))
        counts[name] = len(statements)
    return counts


def test_the_api_asks_as_many_queries_for_50_reps_as_for_5(five_reps_snapshot, app):
    ids: WorldIds = five_reps_snapshot.value
    tokens: dict[int, str] = {}
    with_five = _count_api(app, ids, tokens)

    coach = db.session.get(User, ids.coach)
    _add_reps(coach, 45, start=5)
    _with_history(db.session.get(User, ids.rep), coach, debriefs=6)
    with_fifty = _count_api(app, ids, tokens)

    assert with_fifty == with_five
    assert {name: n for name, n in with_fifty.items() if n > MAX_QUERIES} == {}
