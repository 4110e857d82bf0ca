"""Certifications at scale: the matrix, calibration, the assess form and a rep's page ask as
many queries for 50 reps as for 5, and the matrix shows the statuses the per-rep pages show.

One world of 50 reps with history is built once for the module (``scale_snapshot``): all
coached by one coach, five in team North and 45 in team South. "Five reps" is the same world
with team South's people made inactive and their attempts deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from app.accounts.models import Role, User
from app.certification import service
from app.certification.models import CertificationAttempt
from app.extensions import db
from app.pagination import PageRequest
from tests.conftest import create_rep, create_team, create_user, shipped_curriculum
from tests.database import Snapshot, TestDatabase

from .conftest import levels_for, today

NORTH_REPS = 5
ALL_REPS = 50
MAX_QUERIES = 30


def _rubric(stage: str):
    return next(r for r in shipped_curriculum().rubrics if r.stage == stage)


def _assess(actor: User, rep: User, stage: str, level: int = 3, on: date | None = None,
            second: User | None = None, **overrides: int) -> None:  # fmt: skip
    spec = _rubric(stage)
    entry = service.AssessmentEntry(
        scores=levels_for(spec, level, **overrides),
        evidence_kind=spec.evidence.kinds[0],
        evidence_url="https://example.com/call"
        if spec.evidence.kinds[0] == "recorded-call"
        else "",
        assessed_on=on or today(),
    )
    service.submit_assessment(actor, rep, stage, entry, today(), second_assessor=second)
    db.session.commit()


@dataclass(frozen=True)
class ScaleIds:
    coach: int
    hr: int
    admin: int
    north: int
    south: int
    north_rep: int  # an AE rep of team North with a two-assessor discovery attempt


def _build() -> ScaleIds:
    north, south = create_team("North"), create_team("South")
    coach = create_user(Role.COACH, name="Casey Coach", team=north)
    peers = [create_user(Role.COACH, team=north if i < 2 else south) for i in range(6)]
    admin = create_user(Role.ADMIN, name="Alex Admin", team=north)
    hr = create_user(Role.HR, name="Harper People", team=north)
    prospecting_days = _rubric("prospecting").validity_days
    north_rep = None
    for i in range(ALL_REPS):
        team = north if i < NORTH_REPS else south
        if i % 2:  # an AE: discovery scored by two assessors (calibration), some failing
            rep = create_rep(day_of_ramp=40, plan="ae-ramp", coach=coach, name=f"Rep {i:02d}")
            peer = peers[i % len(peers)]
            _assess(coach, rep, "discovery", level=3, second=peer)
            _assess(peer, rep, "discovery", level=4 if i % 3 else 1)
            north_rep = north_rep or rep
        else:  # an SDR: a self-assessment, then passed, failed, expiring or nothing yet
            rep = create_rep(day_of_ramp=20 + i % 7, coach=coach, name=f"Rep {i:02d}")
            entry = service.AssessmentEntry(
                scores=levels_for(_rubric("prospecting"), 3),
                evidence_kind=_rubric("prospecting").evidence.kinds[0],
                assessed_on=today(),
            )
            service.submit_self_assessment(rep, "prospecting", entry, today())
            db.session.commit()
            if i % 8 == 0:
                _assess(coach, rep, "prospecting")
            elif i % 8 == 2:
                _assess(coach, rep, "prospecting", objection_handling=1)
            elif i % 8 == 4:
                on = today() - timedelta(days=prospecting_days - 5)
                _assess(coach, rep, "prospecting", on=on)
        rep.team = team
        db.session.commit()
    assert north_rep is not None
    return ScaleIds(coach.id, hr.id, admin.id, north.id, south.id, north_rep.id)


@pytest.fixture(scope="module")
def scale_snapshot(test_database: TestDatabase) -> Snapshot:
    return test_database.snapshot("certification-scale", _build)


@pytest.fixture
def ids(scale_snapshot: Snapshot, app) -> ScaleIds:
    return scale_snapshot.value


def shrink_to_north(ids: ScaleIds) -> None:
    """Team South leaves: its people inactive, its reps' attempts gone; five reps remain."""
    south = select(User.id).where(User.team_id == ids.south)
    for attempt in db.session.scalars(
        select(CertificationAttempt).where(CertificationAttempt.rep_id.in_(south))
    ):
        db.session.delete(attempt)
    db.session.execute(update(User).where(User.team_id == ids.south).values(active=False))
    db.session.commit()
    db.session.expire_all()


def counts(ids: ScaleIds, queries_of, login, user_id: int, url: str) -> tuple[int, int]:
    login(db.session.get(User, user_id))
    many = queries_of(url)
    shrink_to_north(ids)
    few = queries_of(url)
    return few, many


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("hr", "/certifications/team"),
        ("hr", "/certifications/team?stage=prospecting&q=Rep"),
        ("coach", "/certifications/team"),
        ("admin", "/certifications/calibration/discovery"),
        ("coach", "/certifications/calibration/discovery"),
        ("coach", "/certifications/reps/{north_rep}"),
        ("admin", "/certifications/reps/{north_rep}/demo/assess"),
        ("coach", "/certifications/reps/{north_rep}/discovery/assess"),
        ("hr", "/certifications/team?team={north}&per_page=2&page=2"),
        ("coach", "/certifications/team?q=rep&sort=-name"),
    ],
)
def test_query_counts_do_not_grow_with_the_reps(ids, queries_of, login, who, url):
    few, many = counts(ids, queries_of, login, getattr(ids, who), url.format(**vars(ids)))
    assert few == many
    assert many <= MAX_QUERIES


def test_the_matrix_pages_by_fifty(ids, login):
    client = login(db.session.get(User, ids.hr))
    first = client.get("/certifications/team")
    assert "Showing 1\u201350 of 50 reps" in first.text
    assert first.text.count("<tr data-rep=") == 50
    second = client.get("/certifications/team?per_page=20&page=2")
    assert "Showing 21\u201340 of 50 reps" in second.text
    assert 'rel="next"' in second.text and 'rel="prev"' in second.text
    backwards = client.get("/certifications/team?sort=-name")
    assert backwards.text.index("Rep 49") < backwards.text.index("Rep 00")


def test_filters_by_team_name_and_stage(ids, login):
    client = login(db.session.get(User, ids.hr))
    north = client.get(f"/certifications/team?team={ids.north}")
    assert "Showing 1\u20135 of 5 reps" in north.text
    named = client.get("/certifications/team?q=rep+1")
    assert "of 10 reps" in named.text  # Rep 10 to Rep 19
    one_stage = client.get("/certifications/team?stage=discovery")
    header = one_stage.text.split("<thead>")[2].split("</thead>")[0]
    assert "Discovery" in header and "Prospecting" not in header
    assert "of 50 reps" in one_stage.text


# --- the matrix shows what every rep's own page shows ----------------------------------------


def test_the_matrix_agrees_with_each_reps_certifications(ids):
    hr = db.session.get(User, ids.hr)
    day = today()
    team = service.team_certifications(hr, day)
    assert len(team.reps) == ALL_REPS
    expected_upcoming = []
    for rep in team.reps:
        for key in team.stage_keys:
            own = service.certification_of(hr, rep, key, day)
            cell = team.cells[(rep.id, key)]
            assert service.reading_of(hr, rep, key, day) == own.reading, (rep.full_name, key)
            assert (cell.reading, cell.due_date, cell.best_average) == (
                own.reading,
                own.due_date,
                own.best_average,
            ), (rep.full_name, key)
            expected_upcoming += service.upcoming_of(own, day)
    expected_upcoming.sort(key=lambda u: (u.on, u.certification.rep.full_name))
    assert [
        (u.certification.rep.id, u.certification.stage, u.kind, u.on) for u in team.upcoming
    ] == [(u.certification.rep.id, u.certification.stage, u.kind, u.on) for u in expected_upcoming][
        : service.UPCOMING_SHOWN
    ]
    assert team.upcoming_total == len(expected_upcoming)
    assert {u.kind for u in expected_upcoming} >= {"due", "expiring"}
    for rate in team.pass_rates:
        certs = [service.certification_of(hr, rep, rate.stage, day) for rep in team.reps]
        decided = [a for c in certs for a in c.decided_attempts]
        assert (rate.decided, rate.passed, rate.reps_certified) == (
            len(decided),
            sum(1 for a in decided if a.passed),
            sum(c.status == "passed" for c in certs),
        ), rate.stage


def test_pass_rates_and_due_dates_count_every_rep_not_just_the_page(ids):
    hr = db.session.get(User, ids.hr)
    whole = service.team_certifications(hr, today())
    paged = service.team_certifications(hr, today(), page_request=PageRequest(per_page=5))
    assert len(paged.reps) == 5 and paged.page.total == ALL_REPS
    assert paged.pass_rates == whole.pass_rates
    assert paged.upcoming_total == whole.upcoming_total


# --- the second assessor ---------------------------------------------------------------------


def test_the_second_assessor_query_keeps_to_the_rule(ids):
    coach, rep = db.session.get(User, ids.coach), db.session.get(User, ids.north_rep)
    create_user(Role.COACH, active=False)
    create_user(Role.COACH, Role.REP)
    everyone = db.session.scalars(select(User)).all()
    for actor in (coach, db.session.get(User, ids.admin)):
        by_rule = {u.id for u in everyone if service.can_be_second_assessor(u, rep, actor)}
        in_sql = set(
            db.session.scalars(select(User.id).where(service.second_assessor_condition(rep, actor)))
        )
        assert in_sql == by_rule
        assert {u.id for u in service.second_assessor_choices(actor, rep)} == by_rule
