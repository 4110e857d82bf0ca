"""Overdue work to escalate: one rep's milestone or commitment, so many days late."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.coaching import service as coaching
from app.coaching.models import Commitment, DebriefKind
from app.extensions import db
from app.plans.models import Milestone, MilestoneStatus, Plan

TODAY = date(2026, 11, 25)  # a Wednesday


def overdue_milestone(rep: User, days_late: int, today: date = TODAY) -> Milestone:
    """The rep's first milestone due ``days_late`` days before ``today``; the rest not yet due."""
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id, Plan.archived_at.is_(None)))
    assert plan is not None
    first, *others = plan.milestones
    first.due_date = today - timedelta(days=days_late)
    first.status = MilestoneStatus.OPEN
    for milestone in others:
        milestone.due_date = today + timedelta(days=30)
        milestone.status = MilestoneStatus.OPEN
    db.session.commit()
    return first


def overdue_commitment(rep: User, days_late: int, today: date = TODAY) -> Commitment:
    """A recorded debrief's commitment, due ``days_late`` days before ``today``."""
    coach = rep.coach
    assert coach is not None
    held_on = date.today()
    setup = coaching.DebriefSetup(held_on=held_on, kind=DebriefKind.ROLE_PLAY, stage="discovery")
    debrief = coaching.create_debrief(coach, rep, setup, held_on)
    entry = coaching.CommitmentEntry(
        "Ask about impact", "On five calls", held_on + timedelta(days=7)
    )
    coaching.record_debrief(coach, debrief, coaching.DebriefRecord(commitments=[entry]), held_on)
    commitment = debrief.commitments[0]
    commitment.due_on = today - timedelta(days=days_late)
    db.session.commit()
    return commitment


def not_yet_due(rep: User, today: date = TODAY) -> None:
    """Nothing of the rep's is overdue."""
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id, Plan.archived_at.is_(None)))
    assert plan is not None
    for milestone in plan.milestones:
        milestone.due_date = today + timedelta(days=30)
    db.session.commit()
