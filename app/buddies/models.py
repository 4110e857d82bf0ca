"""Buddy pairings, their check-ins and "will do" commitments, and the lapses raised to coaches."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db

_ACTIVE_SQL = "ended_at IS NULL"


class BuddyPairing(db.Model):  # type: ignore[name-defined]
    """A new hire paired with a peer, from ``paired_at`` until ``ended_at``.

    Unpairing or replacing a buddy ends the row (with who and why) instead of deleting it, so
    the history is kept; the database allows one active pairing per new hire
    (``ux_buddy_pairings_one_active``), so two coaches pairing at once cannot both succeed.
    """

    __tablename__ = "buddy_pairings"
    __table_args__ = (
        Index(
            "ux_buddy_pairings_one_active",
            "rep_id",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
        CheckConstraint("rep_id <> buddy_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    buddy_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    paired_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    paired_on: Mapped[date] = mapped_column(Date)
    paired_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    end_reason: Mapped[str] = mapped_column(String(300), default="")

    rep: Mapped[User] = relationship(foreign_keys=[rep_id])
    buddy: Mapped[User] = relationship(foreign_keys=[buddy_id])
    paired_by: Mapped[User | None] = relationship(foreign_keys=[paired_by_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])
    check_ins: Mapped[list[BuddyCheckIn]] = relationship(
        back_populates="pairing", order_by="BuddyCheckIn.held_on", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class BuddyCheckIn(db.Model):  # type: ignore[name-defined]
    """One check-in: what the new hire worked on, what blocks them, what they will do next.

    One per due date of the cadence (``due_on``), which the database enforces: a form sent
    twice, or by the rep and the buddy at once, records one check-in.
    """

    __tablename__ = "buddy_check_ins"
    __table_args__ = (UniqueConstraint("pairing_id", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("buddy_pairings.id", ondelete="CASCADE"), index=True
    )
    due_on: Mapped[date] = mapped_column(Date)
    held_on: Mapped[date] = mapped_column(Date)
    worked_on: Mapped[str] = mapped_column(Text)
    blockers: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    pairing: Mapped[BuddyPairing] = relationship(back_populates="check_ins")
    recorded_by: Mapped[User | None] = relationship()
    commitments: Mapped[list[BuddyCommitment]] = relationship(
        back_populates="check_in",
        foreign_keys="BuddyCommitment.check_in_id",
        order_by="BuddyCommitment.position",
        cascade="all, delete-orphan",
    )


class BuddyCommitment(db.Model):  # type: ignore[name-defined]
    """A "will do by next time" line of a check-in; the next check-in marks it kept or not."""

    __tablename__ = "buddy_commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_id: Mapped[int] = mapped_column(
        ForeignKey("buddy_check_ins.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(300))
    kept: Mapped[bool | None] = mapped_column(Boolean)  # None until the next check-in says
    reviewed_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("buddy_check_ins.id", ondelete="SET NULL")
    )

    check_in: Mapped[BuddyCheckIn] = relationship(
        back_populates="commitments", foreign_keys=[check_in_id]
    )


class BuddyLapse(db.Model):  # type: ignore[name-defined]
    """A run of missed check-ins raised to the coach: once per run (its first missed date is
    unique per pairing), resolved by the next check-in or the end of the pairing."""

    __tablename__ = "buddy_lapses"
    __table_args__ = (UniqueConstraint("pairing_id", "first_missed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("buddy_pairings.id", ondelete="CASCADE"), index=True
    )
    first_missed_on: Mapped[date] = mapped_column(Date)
    raised_at: Mapped[datetime] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)

    pairing: Mapped[BuddyPairing] = relationship()
