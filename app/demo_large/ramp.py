"""A rep's ramp so far: milestones done, waiting, overdue, and certification attempts."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from app.accounts.models import User
from app.certification import service as certification
from app.certification.demo import _Demo as CertificationDemo
from app.errors import DomainError
from app.plans import service as plans
from app.plans.models import MeasureKind, Milestone, MilestoneStatus

RAMP_DAYS = 90
TWO_ASSESSOR_STAGES = frozenset({"negotiation"})


def play_milestones(
    rep: User, coach: User, milestones: list[Milestone], today: date, rng: random.Random
) -> None:
    """Most past-due milestones done; some waiting for the coach, some overdue, some early."""
    finished = rep.start_date is not None and (today - rep.start_date).days > RAMP_DAYS + 30
    for milestone in milestones:
        if milestone.measure_kind == MeasureKind.CERTIFICATION:
            continue  # completed by passing the certification
        early = today <= milestone.due_date < today + timedelta(days=4) and rng.random() < 0.3
        if milestone.due_date >= today and not early:
            continue
        roll = rng.random()
        if roll < (0.04 if finished else 0.08):  # overdue, a number part-way
            if milestone.measure_kind == MeasureKind.NUMBER and milestone.target:
                plans.record_progress(rep, milestone, value=round(milestone.target * 0.6))
            continue
        value = milestone.target if milestone.measure_kind == MeasureKind.NUMBER else None
        plans.record_progress(rep, milestone, value=value, note="Done; details in the CRM.")
        awaiting = not finished and roll > 0.93
        if milestone.status == MilestoneStatus.SUBMITTED and not awaiting:
            plans.verify(coach, milestone, "Checked. Good work.")
        backdate_milestone(
            milestone, min(milestone.due_date, today) - timedelta(days=rng.randint(0, 3))
        )


def backdate_milestone(milestone: Milestone, day: date) -> None:
    """Make the history read as if it happened over the ramp, not all at seeding time."""
    moment = datetime.combine(day, datetime.min.time()) + timedelta(hours=15)
    for event in milestone.events:
        event.at = moment
    if milestone.completed_at:
        milestone.completed_at = moment
    if milestone.submitted_at:
        milestone.submitted_at = moment


def play_certifications(
    demo: CertificationDemo,
    rep: User,
    coach: User,
    admin: User,
    milestones: list[Milestone],
    today: date,
    rng: random.Random,
) -> None:
    """Each certification due so far: usually assessed, usually passed, sometimes retaken."""
    assert rep.start_date is not None
    stages = [
        (m.certification_stage, m.due_date)
        for m in milestones
        if m.measure_kind == MeasureKind.CERTIFICATION and m.certification_stage
    ]
    for stage, due in stages:
        if due > today + timedelta(days=3) or rng.random() > 0.55:
            continue
        on = min(due - timedelta(days=rng.randint(0, 5)), today)
        for attempt in range(3):
            if on > today or on < rep.start_date:
                break
            passed = rng.random() < (0.75 if attempt == 0 else 0.85)
            if not _attempt(demo, rep, coach, admin, stage, on, passed, rng):
                break
            if passed or rng.random() < 0.4:
                break
            on += timedelta(days=rng.randint(10, 20))


def _attempt(
    demo: CertificationDemo,
    rep: User,
    coach: User,
    admin: User,
    stage: str,
    on: date,
    passed: bool,
    rng: random.Random,
) -> bool:
    """One attempt through the certification service; False when the service refuses it."""
    assert rep.start_date is not None
    day = (on - rep.start_date).days + 1
    spec = certification.rubric_spec(certification.rubric_for(rep, stage))
    keys = [c.key for c in spec.criteria]
    levels = {key: rng.choice((3, 3, 4)) if passed else rng.choice((1, 2, 2, 3)) for key in keys}
    feedback = "Solid, ready for the field." if passed else "Not yet: practise and retake."
    second = admin if stage in TWO_ASSESSOR_STAGES else None
    try:
        demo.assess(coach, rep, stage, day, 3, levels, feedback, second=second)
        if second is not None and rng.random() < 0.9:  # else: waiting for the second assessor
            demo.assess(second, rep, stage, day, 3, levels, "Agree with the first assessor.")
    except DomainError:
        return False
    return True
