"""Debriefs with their scores and SMART commitments (notifications live in app.notifications).

A debrief is created by the coach (scheduled, or recorded straight away); the rep may answer the
reflection questions before the coach records their notes; once recorded, the rep is notified,
reads and acknowledges it, and may add a follow-up in their own words.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.coaching.followthrough import Outcome
from app.curriculum.models import RubricTemplate, ScenarioTemplate
from app.extensions import db


def _enum(cls: type[enum.Enum], length: int = 16) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class DebriefKind(enum.StrEnum):
    ROLE_PLAY = "role-play"
    CALL_REVIEW = "call-review"
    DEAL_REVIEW = "deal-review"
    ONE_ON_ONE = "one-on-one"

    @property
    def label(self) -> str:
        return {
            "role-play": "Role-play",
            "call-review": "Live call review",
            "deal-review": "Deal review",
            "one-on-one": "One-on-one",
        }[self.value]


REFLECTION_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("went_well", "What went well?"),
    ("better", "What could have gone better?"),
    ("differently", "What will you do differently next time?"),
)


class Debrief(db.Model):  # type: ignore[name-defined]
    __tablename__ = "debriefs"
    # Each coach's debriefs by day: the cadence and follow-through on the coaches' pages.
    # Each rep's debriefs by day: the dashboard's last debrief of each rep (and lookups by rep).
    __table_args__ = (
        Index("ix_debriefs_coach_held_on", "coach_id", "held_on"),
        Index("ix_debriefs_rep_held_on", "rep_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    held_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[DebriefKind] = mapped_column(_enum(DebriefKind))
    stage: Mapped[str | None] = mapped_column(String(64))
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenario_templates.id"))
    rubric_id: Mapped[int | None] = mapped_column(ForeignKey("rubric_templates.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # The rep's answers to the reflection questions, before or after the session.
    rep_went_well: Mapped[str] = mapped_column(Text, default="")
    rep_better: Mapped[str] = mapped_column(Text, default="")
    rep_differently: Mapped[str] = mapped_column(Text, default="")
    rep_answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The coach's side, written after reading the rep's answers.
    coach_went_well: Mapped[str] = mapped_column(Text, default="")
    coach_better: Mapped[str] = mapped_column(Text, default="")
    coach_differently: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    follow_up: Mapped[str] = mapped_column(Text, default="")
    follow_up_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Optimistic locking: an edit made from a page loaded before someone else's save is refused
    # (the form carries the version it was loaded with) instead of silently overwriting it.
    row_version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    rep: Mapped[User] = relationship(foreign_keys=[rep_id])
    coach: Mapped[User | None] = relationship(foreign_keys=[coach_id])
    scenario: Mapped[ScenarioTemplate | None] = relationship()
    rubric: Mapped[RubricTemplate | None] = relationship()
    scores: Mapped[list[DebriefScore]] = relationship(
        back_populates="debrief", order_by="DebriefScore.position", cascade="all, delete-orphan"
    )
    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="debrief", order_by="Commitment.id", cascade="all, delete-orphan"
    )

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None

    @property
    def rep_answered(self) -> bool:
        return self.rep_answered_at is not None

    def levels(self) -> dict[str, int]:
        return {score.criterion_key: score.level for score in self.scores}


class DebriefScore(db.Model):  # type: ignore[name-defined]
    """A criterion's level in a debrief, on the stage's rubric (version kept on the debrief)."""

    __tablename__ = "debrief_scores"
    __table_args__ = (UniqueConstraint("debrief_id", "criterion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    debrief_id: Mapped[int] = mapped_column(
        ForeignKey("debriefs.id", ondelete="CASCADE"), index=True
    )
    criterion_key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")

    debrief: Mapped[Debrief] = relationship(back_populates="scores")


class Commitment(db.Model):  # type: ignore[name-defined]
    """A SMART commitment made in a debrief: the action, its measure, a due date, a criterion."""

    __tablename__ = "commitments"
    # A debrief's commitments, with when they fell due and were reviewed: each coach's
    # follow-through on the coaches' pages is read from the index alone.
    # Each rep's commitments by outcome and due date: the dashboard's missed commitments of
    # each rep are read from the index alone (it serves lookups by rep as well).
    __table_args__ = (
        Index("ix_commitments_debrief_due", "debrief_id", "due_on", "reviewed_at"),
        Index("ix_commitments_rep_outcome_due", "rep_id", "outcome", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    debrief_id: Mapped[int] = mapped_column(ForeignKey("debriefs.id", ondelete="CASCADE"))
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date)
    criterion_key: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    debrief: Mapped[Debrief] = relationship(back_populates="commitments")
    rep: Mapped[User] = relationship(foreign_keys=[rep_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
