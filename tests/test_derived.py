"""Two transactions writing under one rep or plan at once leave the derived tables (the
certification standings, the plans' summaries and week tallies, the outcome stamps) equal to
a recomputation from the raw rows: the flush hook (``app.derived``) locks the rep's or plan's
row first, so the second rewrites the summary after the first commits, from what it wrote.

PostgreSQL only (``SALESRAMP_TEST_DATABASE_URL``): SQLite lets one transaction write at a time.
"""

from __future__ import annotations

import queue
import time
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.certification.models import CertificationAttempt, CertificationStanding, RubricTemplate
from app.certification.service import standings_query
from app.dashboards.models import plan_week_tallies
from app.dashboards.service.tallies import tallies_query
from app.extensions import db
from app.outcomes.models import OutcomeStamp
from app.plans.models import Milestone, MilestoneStatus, Plan, PlanSummary
from app.plans.service.summaries import COLUMNS, summaries_query
from tests.concurrency import together
from tests.conftest import create_rep

STANDING = ("rep_id", "stage", "due_on", "valid_until", "decided", "passed")
# Long enough for the other transaction to reach its flush while this one holds its locks.
HOLD_SECONDS = 0.5


@pytest.fixture(autouse=True)
def _postgresql_only(app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the derived tables' locks matter on PostgreSQL")


def _rows(query: object) -> set[tuple[object, ...]]:
    return {tuple(row) for row in db.session.execute(query)}  # type: ignore[call-overload]


def assert_in_step() -> None:
    standings = select(*(getattr(CertificationStanding, name) for name in STANDING))
    assert _rows(standings) == _rows(standings_query())
    summaries = select(*(getattr(PlanSummary, name) for name in COLUMNS))
    assert _rows(summaries) == _rows(summaries_query())
    assert _rows(select(plan_week_tallies)) == _rows(tallies_query())


def _stamp(rep_id: int) -> int:
    return db.session.scalar(select(OutcomeStamp.stamp).where(OutcomeStamp.rep_id == rep_id)) or 0


def _each_in_turn(app: Flask, write: object, arguments: list[object]) -> list[object]:
    """Run ``write(argument)`` for each argument at once, each in a transaction of its own
    that flushes, holds its locks a moment and commits."""
    todo: queue.Queue[object] = queue.Queue()
    for argument in arguments:
        todo.put(argument)

    def work() -> None:
        write(todo.get_nowait())  # type: ignore[operator]
        db.session.flush()
        time.sleep(HOLD_SECONDS)
        db.session.commit()

    return together(app, work, times=len(arguments))  # type: ignore[arg-type]


@pytest.mark.real_commits
def test_two_attempts_for_one_rep_at_once_leave_their_standings_right(
    app: Flask, curriculum
) -> None:
    rep = create_rep(day_of_ramp=40)
    rubric_id = db.session.scalar(select(RubricTemplate.id).limit(1))
    stages = db.session.scalars(
        select(Milestone.certification_stage)
        .join(Plan)
        .where(Plan.rep_id == rep.id, Milestone.certification_stage.is_not(None))
        .distinct()
        .limit(2)
    ).all()
    assert len(stages) == 2
    rep_id = rep.id
    now = datetime.now(UTC).replace(tzinfo=None)

    def decide(stage: object) -> None:
        attempt = CertificationAttempt(
            rep_id=rep_id,
            stage=stage,
            rubric_id=rubric_id,
            opened_at=now,
            decided_at=now,
            passed=True,
            expires_on=now.date() + timedelta(days=180),
        )
        db.session.add(attempt)

    outcomes = _each_in_turn(app, decide, list(stages))
    assert outcomes == [None, None]
    assert_in_step()
    passed = select(CertificationStanding.stage).where(
        CertificationStanding.rep_id == rep_id, CertificationStanding.passed == 1
    )
    assert set(db.session.scalars(passed)) == set(stages)


@pytest.mark.real_commits
def test_two_milestones_of_one_plan_written_at_once_leave_its_summaries_right(
    app: Flask, curriculum
) -> None:
    rep = create_rep(day_of_ramp=40)
    milestones = db.session.scalars(
        select(Milestone.id)
        .join(Plan)
        .where(Plan.rep_id == rep.id, Milestone.certification_stage.is_not(None))
        .order_by(Milestone.id)
        .limit(2)
    ).all()
    rep_id = rep.id
    before = _stamp(rep_id)

    def complete_and_move(milestone_id: object) -> None:
        milestone = db.session.get(Milestone, milestone_id)
        assert milestone is not None
        milestone.status = MilestoneStatus.DONE
        milestone.completed_at = datetime.now(UTC).replace(tzinfo=None)
        milestone.due_date = milestone.due_date - timedelta(days=3)

    outcomes = _each_in_turn(app, complete_and_move, list(milestones))
    assert outcomes == [None, None]
    assert_in_step()
    assert _stamp(rep_id) == before + 2


@pytest.mark.real_commits
def test_a_pause_and_an_assessment_of_one_rep_at_once_both_succeed(app: Flask, curriculum) -> None:
    """Assessing locks the rep, then (its flush) the plan; pausing moves certification
    milestones, whose standings lock the rep. Pausing locks the rep before the plan, so the two
    take turns instead of deadlocking (PostgreSQL would fail one of them)."""
    from datetime import date

    from app import once
    from app.accounts.models import Role, User
    from app.plans.service import pausing
    from tests.conftest import create_user

    rep = create_rep(day_of_ramp=40)
    hr_id = create_user(Role.HR).id
    rep_id = rep.id
    plan_id = db.session.scalar(select(Plan.id).where(Plan.rep_id == rep_id))
    milestone_id = db.session.scalar(
        select(Milestone.id).where(Milestone.plan_id == plan_id).order_by(Milestone.id).limit(1)
    )
    today = date.today()
    lanes: queue.Queue[str] = queue.Queue()
    lanes.put("assess")
    lanes.put("pause")

    def write() -> None:
        if lanes.get_nowait() == "assess":
            once.lock(db.session.get(User, rep_id), User.active)  # as assessing does
            time.sleep(HOLD_SECONDS)  # the pause starts meanwhile
            milestone = db.session.get(Milestone, milestone_id)
            assert milestone is not None
            milestone.status = MilestoneStatus.DONE  # the flush locks the plan
        else:
            time.sleep(HOLD_SECONDS / 5)
            hr, plan = db.session.get(User, hr_id), db.session.get(Plan, plan_id)
            assert hr is not None and plan is not None
            pausing.pause_plan(hr, plan, today, today + timedelta(days=6), "Leave")
        db.session.flush()
        db.session.commit()

    outcomes = together(app, write, times=2)
    assert outcomes == [None, None]
    assert_in_step()
