"""The plan summaries (All reps' counts per plan) equal a recomputation from the milestones
after every write that can change them: assigning and replacing a plan, reporting progress,
submitting, verifying and sending back, pausing and resuming, certification milestones
completed by a pass, removing a rep, and the demo. A property test runs random sequences of
these against the same check, and the recomputation itself is checked against the milestones
counted one by one in Python."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.accounts.models import Role, User
from app.errors import DomainError
from app.extensions import db
from app.plans import service
from app.plans.models import Milestone, MilestoneStatus, Plan, PlanSummary
from app.plans.service import pausing
from app.plans.service.summaries import COLUMNS
from tests.plans.test_team_page import plan_of


def today() -> date:
    return datetime.now(UTC).date()


def stored() -> set[tuple[object, ...]]:
    rows = db.session.execute(select(*(getattr(PlanSummary, c) for c in COLUMNS)))
    return {tuple(row) for row in rows}


def recomputed() -> set[tuple[object, ...]]:
    return {tuple(row) for row in db.session.execute(service.summaries_query())}


def counted_one_by_one() -> set[tuple[object, ...]]:
    """What each plan's summary should say, from its milestones read as objects."""
    found = set()
    for plan in db.session.scalars(select(Plan)):
        milestones = list(plan.milestones)
        open_dues = sorted(m.due_date for m in milestones if m.status == MilestoneStatus.OPEN)
        firsts = [*open_dues[:3], None, None, None][:3]
        phases = []
        for number in (1, 2, 3):
            in_phase = [m for m in milestones if m.phase == number]
            phases += [sum(m.status == MilestoneStatus.DONE for m in in_phase), len(in_phase)]
        found.add(
            (
                plan.id,
                len(milestones),
                sum(m.status != MilestoneStatus.DONE for m in milestones),
                sum(m.status == MilestoneStatus.SUBMITTED for m in milestones),
                *firsts,
                *phases,
            )
        )
    return found


def assert_in_step() -> None:
    db.session.flush()
    db.session.expire_all()  # the milestones as stored, not as the session last saw them
    assert stored() == recomputed() == counted_one_by_one()


def summary_of(plan: Plan) -> dict[str, object]:
    (row,) = [row for row in stored() if row[0] == plan.id]
    return dict(zip(COLUMNS, row, strict=True))


def test_a_new_plan_has_its_milestones_counted(make_rep):
    rep = make_rep(day_of_ramp=40)
    assert_in_step()
    summary = summary_of(plan_of(rep))
    assert summary["milestones"] == len(plan_of(rep).milestones) > 0
    assert summary["first_open_due"] is not None


def test_reporting_verifying_and_sending_back(make_rep):
    rep = make_rep(day_of_ramp=40)
    plan = plan_of(rep)
    checked = [m for m in plan.milestones if m.measure_kind.value == "checkbox"]
    waits = next(m for m in checked if m.requires_verification)
    done = next(m for m in checked if not m.requires_verification)
    service.record_progress(rep, done)
    service.record_progress(rep, waits)
    assert_in_step()
    assert summary_of(plan)["submitted"] == 1
    service.send_back(rep.coach, waits, "Attach the call notes.")
    assert_in_step()
    assert summary_of(plan)["submitted"] == 0
    service.record_progress(rep, waits)
    service.verify(rep.coach, waits)
    assert_in_step()


def test_a_pause_moves_the_open_due_dates_and_resuming_moves_them_back(make_rep, make_user):
    rep = make_rep(day_of_ramp=20)
    plan = plan_of(rep)
    before = summary_of(plan)["first_open_due"]
    hr = make_user(Role.HR)
    record = pausing.pause_plan(hr, plan, today(), today() + timedelta(days=9), "Leave")
    assert_in_step()
    assert summary_of(plan)["first_open_due"] != before
    pausing.resume_plan(hr, record)
    assert_in_step()


def test_replacing_a_plan_counts_the_new_one_and_keeps_the_old(make_rep):
    rep = make_rep(day_of_ramp=20)
    old = plan_of(rep)
    service.assign_plan(rep.coach, rep, "ae-ramp", today() - timedelta(days=3))
    assert_in_step()
    assert {old.id, plan_of(rep).id} <= {row[0] for row in stored()}


def test_a_milestone_edited_directly_and_one_removed(make_rep):
    """Any ORM write counts, whichever code makes it (the demo sets columns directly)."""
    rep = make_rep(day_of_ramp=50)
    plan = plan_of(rep)
    plan.milestones[0].due_date = today() - timedelta(days=200)
    plan.milestones[1].phase = 3
    assert_in_step()
    db.session.delete(plan.milestones[2])
    assert_in_step()


def test_a_cohorts_first_plans(make_user, curriculum):
    coach = make_user(Role.COACH)
    reps = [make_user(Role.REP, coach=coach) for _ in range(3)]
    service.assign_first_plans(coach, [(rep, "sdr-ramp", today()) for rep in reps])
    assert_in_step()


def test_removing_a_rep_removes_their_plans_summaries(make_rep):
    rep = make_rep(day_of_ramp=30)
    plan_id = plan_of(rep).id
    db.session.commit()
    db.session.execute(delete(User).where(User.id == rep.id))
    db.session.expunge_all()
    assert all(row[0] != plan_id for row in stored())
    assert_in_step()


def test_the_demo_organisation(demo_snapshot, app):
    assert stored()
    assert_in_step()


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["report", "verify", "send back", "move", "pause", "replan"]),
        st.integers(min_value=0, max_value=30),  # which milestone (modulo the plan's)
        st.integers(min_value=-60, max_value=60),  # days
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_any_sequence_of_writes_keeps_the_summaries_in_step(make_rep, make_user, operations):
    rep = make_rep(day_of_ramp=45)
    hr = make_user(Role.HR)
    for kind, index, days in operations:
        plan = plan_of(rep)
        milestone: Milestone = plan.milestones[index % len(plan.milestones)]
        try:
            if kind == "report":
                service.record_progress(rep, milestone, value=milestone.target)
            elif kind == "verify":
                service.verify(rep.coach, milestone)
            elif kind == "send back":
                service.send_back(rep.coach, milestone, "Not yet.")
            elif kind == "move":
                milestone.due_date = today() + timedelta(days=days)
            elif kind == "pause":
                first = today() + timedelta(days=abs(days) % 10)
                pausing.pause_plan(hr, plan, first, first + timedelta(days=5), "Leave")
            else:
                template = "ae-ramp" if days % 2 else "sdr-ramp"
                service.assign_plan(rep.coach, rep, template, today() - timedelta(days=abs(days)))
            db.session.commit()
        except DomainError:  # refused (not reported yet, already done, ...): nothing changes
            db.session.rollback()
        assert_in_step()
