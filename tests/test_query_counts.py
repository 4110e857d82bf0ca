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
from app.buddies import service as buddies
from app.certification import service as certification
from app.coaching import service as coaching
from app.coaching.models import DebriefKind
from app.disputes import service as disputes
from app.disputes.models import DisputeStatus, ItemKind
from app.escalations import service as escalations
from app.extensions import db
from app.invitations.models import Invitation
from app.mail import queue_mail
from app.notices.models import NoticeEpisode
from app.plans.models import MilestoneStatus, Plan
from app.quests import service as quests
from app.quests.leaderboard import Privacy
from app.recognition import service as recognition
from app.surveys import service as surveys
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
        # Disputes grow with the debriefs: each one disputed, every other one decided.
        dispute = disputes.open_dispute(rep, ItemKind.DEBRIEF, debrief.id, "Not what I said")
        if number % 2:
            disputes.resolve_dispute(coach, dispute, DisputeStatus.UPHELD, "Agreed.")
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
    _listening_history(rep, coach, plan, today)
    escalations.run_escalations()  # the overdue milestones raised to the coach (and beyond)
    # An assessment booked for this week: on the coach's work queue and the rep's pages.
    slot = certification.Slot(date.today() + timedelta(days=2), time(10, 0), 60, "Room 1")
    certification.schedule(coach, rep, "prospecting", slot)
    _under_notice(rep)
    db.session.commit()


def _pair_everyone() -> None:
    """Every rep with a plan and no buddy is buddied by the next rep (so each buddies one),
    paired from the plan's start, with a check-in held and the lapse check run."""
    plans = list(
        db.session.scalars(select(Plan).where(Plan.archived_at.is_(None)).order_by(Plan.id))
    )
    for number, plan in enumerate(plans):
        if buddies.active_pairing_of(plan.rep) is None:
            _with_buddy(plan, plans[(number + 1) % len(plans)].rep)
    buddies.run_lapse_alerts()
    db.session.commit()


def _replace_buddy(rep_id: int, buddy_name: str) -> None:
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep_id, Plan.archived_at.is_(None)))
    assert plan is not None
    _with_buddy(plan, db.session.scalar(select(User).where(User.full_name == buddy_name)))
    db.session.commit()


def _with_buddy(plan: Plan, buddy: User) -> None:
    rep = plan.rep
    assert rep.coach is not None
    pairing = buddies.pair(rep.coach, rep, buddy)
    pairing.paired_on = plan.start_date
    entry = buddies.CheckInEntry(date.today(), "Calls", "Pricing", ["Book two", "Shadow one"])
    buddies.record_check_in(buddy, pairing, entry)


def _listening_history(rep: User, coach: User, plan: Plan, today: date) -> None:
    """Recognition for the milestone done, the debriefs rated, the pulse survey answered."""
    recognition.give_recognition(coach, rep, f"milestone:{plan.milestones[0].id}", "Well done")
    for debrief in coaching.debriefs_of(coach, rep):
        if debrief.is_recorded and surveys.rating_of(debrief) is None:
            surveys.rate_debrief(rep, debrief, 4, "Useful", today)
    for checkpoint in surveys.due_pulses(rep, today):
        ratings = dict.fromkeys(
            ("plan_clear", "plan_useful", "workload", "coaching_useful", "coach_available"), 4
        )
        surveys.answer_pulse(rep, checkpoint, ratings, today)


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
        if number % 7 == 0:  # some on leave: paused, whatever is overdue
            plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id))
            assert plan is not None
            plan.paused_from = date.today() - timedelta(days=2)
            plan.paused_until = date.today() + timedelta(days=5)
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
    _pair_everyone()
    _replace_buddy(rep.id, "Rep 003")  # a pairing history, as the measured page shows
    measured_team = rep.team
    assert measured_team is not None
    quests.set_leaderboard(coach, measured_team, enabled=True, privacy=Privacy.NEIGHBOURS)
    db.session.commit()
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
    team_id = db.session.get(User, ids.rep).team_id
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
        "plan and ramp time as HR": (ids.hr, "/outcomes/drivers?sort=-difference"),
        "plan and ramp time as coach, a role": (ids.coach, "/outcomes/drivers?role=SDR"),
        "my numbers": (ids.rep, "/outcomes/mine"),
        "a rep's numbers": (ids.coach, f"/outcomes/reps/{ids.rep}?metric=meetings_booked"),
        "dashboard as HR": (ids.hr, "/dashboard"),
        "dashboard as HR, this month's cohort compared": (
            ids.hr,
            f"/dashboard?cohort={date.today():%Y-%m}&role=SDR",
        ),
        "dashboard as coach": (ids.coach, "/dashboard"),
        "coaches": (ids.hr, "/dashboard/coaches?sort=-cadence"),
        "disputes as HR": (ids.hr, "/disputes"),
        "disputes as HR, resolved": (ids.hr, "/disputes?show=resolved"),
        "disputes as coach": (ids.coach, "/disputes"),
        "my disputes": (ids.rep, "/disputes?show=resolved"),
        "a coach's accountability": (ids.coach, f"/dashboard/coaches/{ids.coach}"),
        "recognition feed as coach": (ids.coach, "/recognition/"),
        "recognition feed as HR": (ids.hr, "/recognition/"),
        "a rep's recognition, as coach": (ids.coach, f"/recognition/reps/{ids.rep}"),
        "my recognition": (ids.rep, f"/recognition/reps/{ids.rep}"),
        "my pulse surveys": (ids.rep, "/surveys/mine"),
        "pulse results as HR": (ids.hr, "/surveys/results"),
        "pulse results as HR, a cohort on day 30": (
            ids.hr,
            f"/surveys/results?role=SDR&checkpoint=30&cohort={date.today():%Y-%m}",
        ),
        "debrief ratings by coach": (ids.admin, "/surveys/ratings"),
        "a coach's debrief ratings": (ids.coach, f"/surveys/ratings/coaches/{ids.coach}"),
        "my quests and points": (ids.rep, "/quests/mine"),
        "a team's quests as coach": (ids.coach, f"/quests/teams/{team_id}"),
        "a team's quests as HR": (ids.hr, f"/quests/teams/{team_id}"),
        "leaderboard as rep": (ids.rep, f"/quests/teams/{team_id}/leaderboard"),
        "leaderboard as coach": (ids.coach, f"/quests/teams/{team_id}/leaderboard"),
        **_buddy_pages(ids),
    }


def _buddy_pages(ids: WorldIds) -> dict[str, tuple[int, str]]:
    pairing = buddies.active_pairing_of(db.session.get(User, ids.rep))
    assert pairing is not None
    return {
        "buddies as coach": (ids.coach, "/buddies"),
        "buddies as HR, active, by new hire": (ids.hr, "/buddies?status=active&sort=rep"),
        "buddies as a rep": (ids.rep, "/buddies"),
        "pair a buddy": (ids.coach, f"/buddies/pair/{ids.rep}"),
        "pair a buddy, peers found by name": (ids.coach, f"/buddies/pair/{ids.rep}?q=rep&page=2"),
        "a pairing as its buddy": (pairing.buddy_id, f"/buddies/{pairing.id}"),
        "a pairing as the coach": (ids.coach, f"/buddies/{pairing.id}"),
    }


def _count_pages(app: Flask, ids: WorldIds) -> dict[str, int]:
    return count_pages(app, _pages(ids), PASSWORD)


def test_pages_ask_as_many_queries_for_50_reps_as_for_5(five_reps_snapshot, app):
    ids: WorldIds = five_reps_snapshot.value
    with_five = _count_pages(app, ids)

    coach = db.session.get(User, ids.coach)
    _add_reps(coach, 45, start=5)
    _with_history(db.session.get(User, ids.rep), coach, debriefs=6)
    _pair_everyone()
    _replace_buddy(ids.rep, "Rep 010")  # a longer pairing history
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
