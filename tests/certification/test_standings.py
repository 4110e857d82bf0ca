"""The certification standings (the matrix's summary per rep and stage) equal a recomputation
from the raw rows after every write that can change them: assigning and replacing a plan,
importing a cohort's first plans, deciding, failing and correcting attempts, the demo, and
removing a rep. A property test runs random sequences of these against the same check."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.accounts.models import Role, User
from app.certification import service
from app.certification.models import CertificationStanding
from app.errors import DomainError
from app.extensions import db
from app.plans.service import assign_first_plans, assign_plan

from .conftest import today

COLUMNS = ("rep_id", "stage", "due_on", "valid_until", "decided", "passed")


def stored() -> set[tuple[object, ...]]:
    rows = db.session.execute(select(*(getattr(CertificationStanding, c) for c in COLUMNS)))
    return {tuple(row) for row in rows}


def recomputed() -> set[tuple[object, ...]]:
    return {tuple(row) for row in db.session.execute(service.standings_query())}


def standing_of(rep_id: int, stage: str) -> tuple[object, ...]:
    """(due_on, valid_until, decided, passed) as stored; read as columns, since the
    summary is rewritten by statements the session's objects do not see."""
    row = next(row for row in stored() if row[:2] == (rep_id, stage))
    return (row[2], row[3], row[4], row[5])


def assert_in_step() -> None:
    db.session.flush()
    assert stored() == recomputed()


def test_a_new_plan_gives_each_certification_stage_its_first_due_date(make_rep):
    rep = make_rep(day_of_ramp=20)
    assert_in_step()
    mine = {row for row in stored() if row[0] == rep.id}
    assert mine and all(row[2] is not None and row[3] is None for row in mine)


def test_replacing_a_plan_moves_the_due_dates_to_the_new_one(make_rep):
    rep = make_rep(day_of_ramp=20)
    before = {row[1]: row[2] for row in stored() if row[0] == rep.id}
    assign_plan(rep.coach, rep, "ae-ramp", today() - timedelta(days=3))
    assert_in_step()
    after = {row[1]: row[2] for row in stored() if row[0] == rep.id}
    assert after != before


def test_a_cohorts_first_plans(make_user, curriculum):
    coach = make_user(Role.COACH)
    reps = [make_user(Role.REP, coach=coach) for _ in range(3)]
    assign_first_plans(coach, [(rep, "sdr-ramp", today()) for rep in reps])
    assert_in_step()
    assert {row[0] for row in stored()} >= {rep.id for rep in reps}


def test_a_pass_a_fail_and_corrections_between_them(make_rep, assess):
    rep = make_rep(day_of_ramp=30)
    failed = assess(rep.coach, rep, "prospecting", objection_handling=1).attempt
    assert_in_step()
    assert (rep.id, "prospecting") in {row[:2] for row in stored()}
    score = next(s for s in failed.assessments[0].scores if s.criterion_key == "objection-handling")
    service.correct_score(rep.coach, score, 2, "Misread my notes.")
    assert_in_step()
    assert standing_of(rep.id, "prospecting")[1:] == (failed.expires_on, 1, 1)
    service.correct_score(rep.coach, score, 1, "Second look.")
    assert_in_step()
    assert standing_of(rep.id, "prospecting")[1:] == (None, 1, 0)


def test_removing_a_rep_removes_their_standings(make_rep, assess):
    rep = make_rep(day_of_ramp=30)
    assess(rep.coach, rep, "prospecting")
    db.session.commit()
    db.session.execute(delete(User).where(User.id == rep.id))
    db.session.expunge_all()
    assert all(row[0] != rep.id for row in stored())
    assert_in_step()


def test_the_demo_organisation(demo_snapshot, app):
    assert stored()
    assert_in_step()


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["assess", "replan"]),
        st.sampled_from(["prospecting", "discovery"]),
        st.integers(min_value=1, max_value=4),  # the level given on every criterion
        st.integers(min_value=0, max_value=400),  # days ago
    ),
    min_size=1,
    max_size=5,
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_any_sequence_of_writes_keeps_the_standings_in_step(make_rep, assess, operations):
    rep = make_rep(day_of_ramp=60)
    for kind, stage, level, days_ago in operations:
        if kind == "replan":
            plan = "ae-ramp" if days_ago % 2 else "sdr-ramp"
            assign_plan(rep.coach, rep, plan, today() - timedelta(days=days_ago % 90))
            db.session.commit()
        else:
            try:
                assess(rep.coach, rep, stage, level=level, on=today() - timedelta(days=days_ago))
            except DomainError:  # a cooldown refuses it: nothing changes
                db.session.rollback()
        assert_in_step()
