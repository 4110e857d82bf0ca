"""The daily status record of reps under a consequence agreement, and notice episodes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.agreements.models import Agreement
from app.extensions import db


class RepStatusDay(db.Model):  # type: ignore[name-defined]
    """A rep's status on one day, as the daily sweep saw it.

    "At risk for 14 days" needs to know since when: the status rules see only today, so the
    sweep keeps one row a day. ``paused``: the rep's plan was paused that day, which neither
    counts towards a streak nor ends it.
    """

    __tablename__ = "rep_status_days"
    __table_args__ = (UniqueConstraint("rep_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)


class NoticeEpisode(db.Model):  # type: ignore[name-defined]
    """One stretch of time a condition of a signed agreement held, and the notice it drafted.

    One episode per agreement, condition and start day (a unique constraint, so a sweep run
    twice, or two at once, drafts one notice); the sweep ends an episode when its condition
    stops holding, and a later one is a new episode with a new notice.
    """

    __tablename__ = "notice_episodes"
    __table_args__ = (UniqueConstraint("agreement_id", "condition_key", "started_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    condition_key: Mapped[str] = mapped_column(String(64))
    condition_label: Mapped[str] = mapped_column(String(200))
    clause: Mapped[str] = mapped_column(String(200))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreements.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)

    rep: Mapped[User] = relationship()
    agreement: Mapped[Agreement] = relationship(foreign_keys=[agreement_id])
    notice: Mapped[Agreement | None] = relationship(foreign_keys=[notice_id])
