"""The coaches' overview counts each coach's oldest verification or assessment in SQL instead of
building every coach's work queue: after any sequence of writes it equals the oldest of those in
the coach's own queue (the recomputation from the raw rows), for every coach at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.accounts.models import Role
from app.certification import service as certification
from app.dashboards import service
from app.errors import DomainError
from app.extensions import db
from app.pagination import PageRequest
from app.plans.models import MilestoneStatus
from app.plans.service import active_plan, record_progress, verify
from app.reminders.workqueue import WaitingKind, work_queues
from tests.certification.conftest import levels_for
from tests.conftest import create_rep, create_user
from tests.reminders.conftest import self_assess

KINDS = {WaitingKind.VERIFICATION, WaitingKind.ASSESSMENT}


def _now() -> datetime:
    return datetime.now(UTC)


def assert_oldest_is_the_queues(coaches) -> None:
    db.session.flush()
    now = _now()
    rows = {
        row.coach_id: row for row in service.coach_rows([(c.id, c.full_name) for c in coaches], now)
    }
    for coach_id, queue in work_queues(coaches, now).items():
        first = next((item for item in queue.items if item.kind in KINDS), None)
        oldest = rows[coach_id].oldest
        expected = (first.age_days, first.late) if first else None
        assert ((oldest.age_days, oldest.late) if oldest else None) == expected, coach_id


def _submit(rep, hours_ago: int) -> None:
    plan = active_plan(rep)
    assert plan is not None
    waiting = [
        m for m in plan.milestones if m.requires_verification and m.status == MilestoneStatus.OPEN
    ]
    if waiting:
        record_progress(rep, waiting[0])
        waiting[0].submitted_at = _now().replace(tzinfo=None) - timedelta(hours=hours_ago)


def _verify(rep) -> None:
    plan = active_plan(rep)
    assert plan is not None
    submitted = [m for m in plan.milestones if m.status == MilestoneStatus.SUBMITTED]
    if submitted:
        verify(rep.coach, submitted[0])


def _assess_inviting(rep, stage: str, second, curriculum) -> None:
    rubric = next(r for r in curriculum.rubrics if r.stage == stage)
    entry = certification.AssessmentEntry(
        scores=levels_for(rubric, 3),
        evidence_kind=rubric.evidence.kinds[0],
        evidence_url="https://example.com/call",
        assessed_on=_now().date(),
    )
    certification.submit_assessment(
        rep.coach, rep, stage, entry, _now().date(), second_assessor=second
    )


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["submit", "verify", "self-assess", "invite", "leave", "move"]),
        st.integers(min_value=0, max_value=2),  # which rep
        st.sampled_from(["prospecting", "discovery"]),
        st.integers(min_value=0, max_value=24 * 9),  # hours ago
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_any_sequence_of_writes_keeps_the_oldest_waiting_the_queues(curriculum, operations):
    first, second = (
        create_user(Role.COACH, name="Ada First"),
        create_user(Role.COACH, name="Bo Second"),
    )
    reps = [create_rep(day_of_ramp=30, coach=first), create_rep(day_of_ramp=30, coach=first)]
    reps.append(create_rep(day_of_ramp=30, coach=second))
    coaches = [first, second]
    db.session.commit()
    for kind, which, stage, hours_ago in operations:
        rep = reps[which]
        other = second if rep.coach_id == first.id else first
        try:
            if kind == "submit":
                _submit(rep, hours_ago)
            elif kind == "verify":
                _verify(rep)
            elif kind == "self-assess":
                self_assess(rep, curriculum, stage)
            elif kind == "invite":
                _assess_inviting(rep, stage, other, curriculum)
            elif kind == "leave":
                rep.active = False
            else:
                rep.coach = other
            db.session.commit()
        except DomainError:  # refused (already assessed, cooling down): nothing changes
            db.session.rollback()
        assert_oldest_is_the_queues(coaches)


def test_the_overview_shows_the_oldest_verification_or_assessment(curriculum):
    coach = create_user(Role.COACH, name="Casey Coach")
    rep, other = create_rep(day_of_ramp=20, coach=coach), create_rep(day_of_ramp=20, coach=coach)
    _submit(rep, hours_ago=3 * 24 + 1)  # beyond the 2-day turnaround: late
    self_assess(other, curriculum)  # just now
    db.session.commit()

    page = service.coaches_page(create_user(Role.HR), PageRequest(sort="oldest"))

    row = next(r for r in page.items if r.coach_id == coach.id)
    assert row.oldest is not None and (row.oldest.age_days, row.oldest.late) == (3, True)
    assert_oldest_is_the_queues([coach])
