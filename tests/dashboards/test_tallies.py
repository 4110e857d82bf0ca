"""The plans' week tallies (the heatmap's summary) equal a recomputation from the milestones
after every write that can change them: assigning and replacing a plan, reporting, verifying
and sending back milestones, pausing and resuming a plan, columns set directly (the demo),
removing a rep. And the heatmap read from them equals one counted from the raw rows. A
property test runs random sequences of these writes against both checks."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.accounts.models import Role, User
from app.dashboards import service
from app.dashboards.models import PLAN_WEEKS, plan_week_tallies
from app.dashboards.service.tallies import tallies_query
from app.errors import DomainError
from app.extensions import db
from app.plans import service as plans
from app.plans.models import MeasureKind, Milestone, MilestoneStatus, Plan
from app.plans.service import assigning
from app.plans.service.pausing import current_pause, pause_plan, resume_plan


def stored() -> set[tuple[object, ...]]:
    return {tuple(row) for row in db.session.execute(select(plan_week_tallies))}


def recomputed() -> set[tuple[object, ...]]:
    return {tuple(row) for row in db.session.execute(tallies_query())}


def heatmap_from_milestones(coach: User) -> dict[str, list[tuple[int, int]]]:
    """(due, on time) per plan week of each of the coach's reps, counted from the raw rows as
    the page explains it: due before today, done or submitted by the due date."""
    today = datetime.now(UTC).date()
    cells: dict[str, list[tuple[int, int]]] = defaultdict(lambda: [(0, 0)] * PLAN_WEEKS)
    query = (
        select(User.full_name, Milestone)
        .join(Plan, Plan.id == Milestone.plan_id)
        .join(User, User.id == Plan.rep_id)
        .where(User.coach_id == coach.id, Plan.archived_at.is_(None))
    )
    for name, milestone in db.session.execute(query):
        if milestone.due_date >= today:
            continue
        week = min((milestone.due_day - 1) // 7 + 1, PLAN_WEEKS)
        acted = milestone.submitted_at or milestone.completed_at
        timely = milestone.status != MilestoneStatus.OPEN and acted is not None
        timely = timely and acted.date() <= milestone.due_date
        due, done = cells[name][week - 1]
        cells[name][week - 1] = (due + 1, done + int(timely))
    return dict(cells)


def heatmap_shown(coach: User) -> dict[str, list[tuple[int, int]]]:
    heatmap = service.ramp_dashboard(coach, service.Filters()).heatmap
    return {row.label: [(cell.due, cell.on_time) for cell in row.cells] for row in heatmap.rows}


def assert_in_step(coach: User | None = None) -> None:
    db.session.flush()
    assert stored() == recomputed()
    if coach is not None:
        assert heatmap_shown(coach) == heatmap_from_milestones(coach)


def milestones_of(rep: User, status: MilestoneStatus) -> list[Milestone]:
    plan = plans.active_plan(rep)
    assert plan is not None
    return [m for m in plan.milestones if m.status == status]


def test_a_new_plan_is_tallied_and_its_weeks_fill_as_the_rep_reports(make_rep):
    rep = make_rep(day_of_ramp=20)
    assert_in_step(rep.coach)
    plan = plans.active_plan(rep)
    row = next(row for row in stored() if row[0] == plan.id)
    assert sum(row[1 : 1 + PLAN_WEEKS]) == len(plan.milestones)  # every milestone in a week
    assert sum(row[1 + PLAN_WEEKS :]) == 0  # nothing done yet
    ahead = next(m for m in plan.milestones if m.due_date > datetime.now(UTC).date())
    ahead.status, ahead.completed_at = MilestoneStatus.DONE, assigning.now()  # early
    db.session.commit()
    assert_in_step(rep.coach)
    assert sum(next(r for r in stored() if r[0] == plan.id)[1 + PLAN_WEEKS :]) == 1


def test_removing_a_rep_removes_their_tallies(make_rep):
    rep = make_rep(day_of_ramp=30)
    plan_id = plans.active_plan(rep).id
    db.session.execute(delete(User).where(User.id == rep.id))
    db.session.expunge_all()
    assert all(row[0] != plan_id for row in stored())
    assert_in_step()


def test_the_demo_organisation(demo_snapshot, app):
    assert stored()
    assert_in_step()


def report(rep: User, pick: int) -> None:
    """The rep reports one of their open milestones (a number one reaches its target)."""
    candidates = [
        m for m in milestones_of(rep, MilestoneStatus.OPEN)
        if m.measure_kind != MeasureKind.CERTIFICATION
    ]  # fmt: skip
    if candidates:
        milestone = candidates[pick % len(candidates)]
        value = milestone.target if milestone.measure_kind == MeasureKind.NUMBER else None
        plans.record_progress(rep, milestone, value=value, note="done")


def _write(rep: User, hr: User, kind: str, pick: int) -> None:
    coach = rep.coach
    if kind == "report":
        report(rep, pick)
    elif kind in ("verify", "send back"):
        waiting = milestones_of(rep, MilestoneStatus.SUBMITTED)
        if waiting:
            milestone = waiting[pick % len(waiting)]
            if kind == "verify":
                plans.verify(coach, milestone)
            else:
                plans.send_back(coach, milestone, "Show the notes")
    elif kind == "backdate":  # as the demo does: a column set directly
        done = milestones_of(rep, MilestoneStatus.DONE)
        if done:
            milestone = done[pick % len(done)]
            milestone.completed_at = datetime.combine(
                milestone.due_date + timedelta(days=pick % 5 - 2), datetime.min.time()
            )
    elif kind == "pause":
        today = datetime.now(UTC).date()
        first = today + timedelta(days=pick % 3)
        pause_plan(hr, plans.active_plan(rep), first, first + timedelta(days=5), "Leave")
    elif kind == "resume":
        plan = plans.active_plan(rep)
        pause = current_pause(plan)
        if pause is not None:
            resume_plan(hr, pause)
    elif kind == "replan":
        start = datetime.now(UTC).date() - timedelta(days=pick % 100)
        plans.assign_plan(coach, rep, "ae-ramp" if pick % 2 else "sdr-ramp", start)
    db.session.commit()


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["report", "verify", "send back", "backdate", "pause", "resume", "replan"]),
        st.integers(min_value=0, max_value=200),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_any_sequence_of_writes_keeps_the_tallies_and_the_heatmap_exact(
    make_rep, make_user, operations
):
    rep = make_rep(day_of_ramp=40)
    hr = make_user(Role.HR)
    for kind, pick in operations:
        try:
            _write(rep, hr, kind, pick)
        except DomainError:  # refused (a pause overlapping another): nothing changes
            db.session.rollback()
        assert_in_step(rep.coach)
