"""Disputes fixtures: a rep with a decided certification, a recorded debrief, a correction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from app.accounts.models import User
from app.certification import service as certification
from app.certification.models import CertificationAttempt, Score
from app.coaching import service as coaching
from app.coaching.models import Debrief, DebriefKind
from app.extensions import db
from tests.certification.conftest import assess, rubric  # noqa: F401  (fixtures)


@dataclass
class Disputable:
    rep: User
    coach: User
    attempt: CertificationAttempt

    def score(self, criterion: str = "objection-handling") -> Score:
        return next(s for s in self.attempt.assessments[0].scores if s.criterion_key == criterion)


@pytest.fixture
def disputable(
    make_rep: Callable[..., User],
    assess: Callable[..., object],  # noqa: F811  (the certification tests' fixture)
) -> Disputable:
    """A rep whose prospecting certification was decided (not passed: one criterion at 1)."""
    rep = make_rep(day_of_ramp=20)
    assert rep.coach is not None
    assessment = assess(rep.coach, rep, "prospecting", objection_handling=1)
    attempt = assessment.attempt  # type: ignore[attr-defined]
    assert attempt.is_decided and attempt.passed is False
    return Disputable(rep, rep.coach, attempt)


def recorded_debrief(rep: User, coach: User) -> Debrief:
    held_on = date.today()
    setup = coaching.DebriefSetup(held_on=held_on, kind=DebriefKind.ROLE_PLAY, stage="discovery")
    debrief = coaching.create_debrief(coach, rep, setup, held_on)
    entry = coaching.CommitmentEntry("Slow down", "On five calls", held_on + timedelta(days=7))
    record = coaching.DebriefRecord(notes={"went_well": "Talked too fast"}, commitments=[entry])
    coaching.record_debrief(coach, debrief, record, held_on)
    db.session.commit()
    return debrief


def corrected(thing: Disputable, level: int = 2) -> int:
    """Correct the objection-handling score; the correction's id."""
    correction = certification.correct_score(thing.coach, thing.score(), level, "Looked again.")
    db.session.commit()
    return correction.id
