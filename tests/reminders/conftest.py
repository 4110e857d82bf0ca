"""A coach and a rep with something of every kind waiting, built through the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from app.accounts.models import Role, User
from app.agreements import service as agreements
from app.certification import service as certification
from app.coaching import service as coaching
from app.coaching.models import Commitment, Debrief, DebriefKind
from app.curriculum.schema import Curriculum
from app.extensions import db
from app.plans.models import Milestone
from app.plans.service import active_plan, record_progress
from tests.agreements.conftest import EVIDENCE, PIP_VALUES
from tests.certification.conftest import levels_for
from tests.conftest import create_rep, create_user


def utc_now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return utc_now().date()


def milestone(rep: User, key: str) -> Milestone:
    plan = active_plan(rep)
    assert plan is not None
    return next(m for m in plan.milestones if m.key == key)


def self_assess(rep: User, curriculum: Curriculum, stage: str = "prospecting") -> None:
    rubric = next(r for r in curriculum.rubrics if r.stage == stage)
    entry = certification.AssessmentEntry(
        scores=levels_for(rubric, 3), evidence_kind=rubric.evidence.kinds[0], assessed_on=today()
    )
    certification.submit_self_assessment(rep, stage, entry, today())


def debrief_with_commitment(
    coach: User, rep: User, held_days_ago: int, due_days_ago: int
) -> Commitment:
    """A debrief recorded ``held_days_ago`` with a commitment that fell due ``due_days_ago``."""
    held_on = today() - timedelta(days=held_days_ago)
    setup = coaching.DebriefSetup(held_on=held_on, kind=DebriefKind.CALL_REVIEW)
    debrief = coaching.create_debrief(coach, rep, setup, held_on)
    entry = coaching.CommitmentEntry(
        "Ask two discovery questions", "In every call", today() - timedelta(days=due_days_ago)
    )
    record = coaching.DebriefRecord(notes={"went_well": "Opening"}, commitments=[entry])
    coaching.record_debrief(coach, debrief, record, held_on - timedelta(days=1))
    return debrief.commitments[0]


def send_agreement(rep: User) -> None:
    hr = create_user(Role.HR)
    draft = agreements.create_draft(hr, rep, "performance-improvement", PIP_VALUES, EVIDENCE)
    agreements.send(hr, draft, EVIDENCE)


@dataclass
class Waiting:
    """A coach with one thing of each kind waiting, of known ages, and their rep."""

    coach: User
    rep: User
    other_rep: User
    verification: Milestone
    unrecorded: Debrief
    commitment: Commitment


@pytest.fixture
def waiting(curriculum: Curriculum) -> Callable[[], Waiting]:
    def build() -> Waiting:
        now = utc_now().replace(tzinfo=None)
        coach = create_user(Role.COACH, name="Casey Coach")
        rep = create_rep(day_of_ramp=20, coach=coach, name="Riley Rep")
        other_rep = create_rep(day_of_ramp=2, coach=coach, name="Olive Other")
        # A milestone submitted three days ago (beyond the 2-day turnaround: late).
        verification = milestone(rep, "product-icp-training")
        record_progress(rep, verification)
        verification.submitted_at = now - timedelta(days=3, hours=1)
        # A commitment due five days ago, never reviewed (late).
        commitment = debrief_with_commitment(coach, rep, held_days_ago=10, due_days_ago=5)
        # A debrief held yesterday without notes (one day: on time).
        setup = coaching.DebriefSetup(
            held_on=today() - timedelta(days=1), kind=DebriefKind.ROLE_PLAY, stage="discovery"
        )
        unrecorded = coaching.create_debrief(coach, other_rep, setup, today())
        unrecorded.created_at = now - timedelta(days=1, hours=2)
        # A self-assessment just now: the coach assesses (less than a day).
        self_assess(other_rep, curriculum)
        db.session.commit()
        return Waiting(coach, rep, other_rep, verification, unrecorded, commitment)

    return build
