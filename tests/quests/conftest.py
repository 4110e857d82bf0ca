"""A team for the quests tests: a coach, SDRs on the team and a rep elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from app.accounts.models import Role, Team, User
from app.certification.models import CertificationAttempt
from app.curriculum.models import RubricTemplate
from app.extensions import db
from app.plans.models import MeasureKind, Milestone, Plan
from app.plans.service import record_progress
from tests.conftest import create_rep, create_team, create_user


@dataclass(frozen=True)
class QuestTeam:
    team: Team
    coach: User
    first: User  # Quinn Firstrep, an SDR
    second: User  # Petra Secondrep, an SDR
    outsider: User  # a rep of another team and coach


@pytest.fixture
def quest_team(app: Flask, curriculum: object) -> QuestTeam:
    team = create_team("Team Quest")
    coach = create_user(Role.COACH, name="Casey Questcoach", team=team)
    first = create_rep(day_of_ramp=20, coach=coach, name="Quinn Firstrep")
    second = create_rep(day_of_ramp=25, coach=coach, name="Petra Secondrep")
    first.team = second.team = team
    outsider = create_rep(day_of_ramp=20, name="Olive Outsider")
    outsider.team = create_team("Team Elsewhere")
    db.session.commit()
    return QuestTeam(team, coach, first, second, outsider)


def certify(rep: User, stage: str = "prospecting") -> None:
    """A passed certification on ``stage``, decided now (the certification tests go through the
    scoring; here only the result matters)."""
    rubric = db.session.scalar(
        select(RubricTemplate).where(RubricTemplate.stage == stage, RubricTemplate.is_current)
    )
    assert rubric is not None
    now = datetime.now(UTC).replace(tzinfo=None)
    db.session.add(
        CertificationAttempt(
            rep_id=rep.id,
            stage=stage,
            rubric_id=rubric.id,
            opened_at=now,
            decided_at=now,
            passed=True,
            assessed_on=now.date(),
        )
    )
    db.session.commit()


def finish_milestones(rep: User, count: int) -> None:
    """The rep ticks ``count`` checkbox milestones that need no verification, now."""
    milestones = db.session.scalars(
        select(Milestone)
        .join(Plan)
        .where(
            Plan.rep_id == rep.id,
            Milestone.measure_kind == MeasureKind.CHECKBOX,
            Milestone.requires_verification.is_(False),
        )
        .order_by(Milestone.due_date)
        .limit(count)
    ).all()
    assert len(milestones) == count
    for milestone in milestones:
        record_progress(rep, milestone)
    db.session.commit()
