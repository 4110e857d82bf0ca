"""An escalation: one overdue milestone or commitment raised at one level, once."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.coaching.models import Commitment
from app.extensions import db
from app.plans.models import Milestone, MilestoneStatus


class Level(enum.IntEnum):
    """Who an overdue item is raised to: the rep's coach, then the coach's manager or HR."""

    COACH = 1
    MANAGER = 2

    @property
    def label(self) -> str:
        return {1: "Coach", 2: "Manager or HR"}[self.value]


class Escalation(db.Model):  # type: ignore[name-defined]
    """An overdue item raised at one level, with who it went to and how late it was then.

    Exactly one of ``milestone_id`` and ``commitment_id`` is set. The unique constraints make
    "once per item and level" the database's rule, so two runners at once raise it once: the
    second one's insert is skipped (``ON CONFLICT DO NOTHING``) and it notifies nobody. NULLs
    never collide, so a milestone's rows and a commitment's rows do not meet.

    Whether it is resolved is not stored: it is read from the item itself (done or sent for
    verification, or the commitment closed), so it shows the moment the rep finishes.
    """

    __tablename__ = "escalations"
    __table_args__ = (
        UniqueConstraint("milestone_id", "level"),
        UniqueConstraint("commitment_id", "level"),
        CheckConstraint("(milestone_id IS NULL) <> (commitment_id IS NULL)", name="one_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE")
    )
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE")
    )
    level: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date)
    days_late: Mapped[int] = mapped_column(Integer)
    raised_to: Mapped[str] = mapped_column(String(300))  # the recipients' names, then
    raised_at: Mapped[datetime] = mapped_column(DateTime, index=True)

    rep: Mapped[User] = relationship()
    milestone: Mapped[Milestone | None] = relationship()
    commitment: Mapped[Commitment | None] = relationship()

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def kind(self) -> str:
        return "milestone" if self.milestone_id is not None else "commitment"

    @property
    def is_resolved(self) -> bool:
        """The item stopped being the rep's to do: done, sent for verification, or closed."""
        if self.milestone is not None:
            return self.milestone.status != MilestoneStatus.OPEN
        return self.commitment is not None and self.commitment.closed_at is not None

    @property
    def resolved_at(self) -> datetime | None:
        if self.milestone is not None:
            if self.milestone.status == MilestoneStatus.DONE:
                return self.milestone.completed_at
            if self.milestone.status == MilestoneStatus.SUBMITTED:
                return self.milestone.submitted_at
            return None
        return self.commitment.closed_at if self.commitment is not None else None
