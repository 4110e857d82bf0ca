"""Coaching fixtures: a coach with a rep, and helpers that act through the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from app.accounts.models import Role, User
from app.coaching import service
from app.coaching.models import Debrief, DebriefKind
from app.extensions import db


@pytest.fixture
def coach(make_user: Callable[..., User]) -> User:
    return make_user(Role.COACH, name="Casey Coach")


@pytest.fixture
def rep(make_rep: Callable[..., User], coach: User) -> User:
    return make_rep(day_of_ramp=30, coach=coach, name="Riley Rep")


def commitment(
    action: str = "Ask two impact questions on every discovery call",
    measure: str = "Call notes show two impact questions on 5 calls",
    due_in: int = 7,
    criterion: str | None = None,
    today: date | None = None,
    row: int = 0,
) -> service.CommitmentEntry:
    today = today or date.today()
    return service.CommitmentEntry(action, measure, today + timedelta(days=due_in), criterion, row)


@pytest.fixture
def make_debrief() -> Callable[..., Debrief]:
    """A debrief opened and recorded by ``coach`` on ``held_on``, as of ``today``."""

    def make(
        coach: User,
        rep: User,
        *,
        held_on: date | None = None,
        stage: str | None = "discovery",
        kind: DebriefKind = DebriefKind.ROLE_PLAY,
        scores: dict[str, int] | None = None,
        commitments: list[service.CommitmentEntry] | None = None,
        record: bool = True,
        **notes: Any,
    ) -> Debrief:
        held_on = held_on or date.today()
        setup = service.DebriefSetup(held_on=held_on, kind=kind, stage=stage)
        debrief = service.create_debrief(coach, rep, setup, held_on)
        if record:
            entry = service.DebriefRecord(
                notes=notes or {"went_well": "Clear opening"},
                scores=dict(scores or {}),
                commitments=commitments or [commitment(today=held_on)],
            )
            service.record_debrief(coach, debrief, entry, held_on)
        db.session.commit()
        return debrief

    return make
