"""Pulse survey responses and debrief ratings, stored so that answers do not name anyone.

A pulse response is split in two on purpose: ``PulseRequest`` says that a rep was asked at a
checkpoint and whether they answered (it names the rep, so nobody is asked twice), and
``PulseResponse`` holds the answers with only what the results are grouped by (team, role,
start cohort) and no person and no time. No query, page, export or API can join them back.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db


class PulseRequest(db.Model):  # type: ignore[name-defined]
    """A rep asked to answer the pulse survey at one checkpoint of their plan."""

    __tablename__ = "pulse_requests"
    __table_args__ = (UniqueConstraint("plan_id", "checkpoint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    checkpoint: Mapped[int] = mapped_column(Integer)
    asked_at: Mapped[datetime | None] = mapped_column(DateTime)
    answered_on: Mapped[date | None] = mapped_column(Date)

    rep: Mapped[User] = relationship()


class PulseResponse(db.Model):  # type: ignore[name-defined]
    """One set of answers: grouped by team, role and start cohort, and nobody's by name."""

    __tablename__ = "pulse_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[str] = mapped_column(String(48))
    survey_version: Mapped[str] = mapped_column(String(16))
    checkpoint: Mapped[int] = mapped_column(Integer, index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(32), default="")
    cohort: Mapped[str] = mapped_column(String(7), default="")  # the plan's start month

    answers: Mapped[list[PulseAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class PulseAnswer(db.Model):  # type: ignore[name-defined]
    __tablename__ = "pulse_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_responses.id", ondelete="CASCADE"), index=True
    )
    question_key: Mapped[str] = mapped_column(String(48))
    rating: Mapped[int] = mapped_column(Integer)

    response: Mapped[PulseResponse] = relationship(back_populates="answers")


class DebriefRating(db.Model):  # type: ignore[name-defined]
    """How useful the rep found a debrief (1-5, a comment): one per debrief, final once given.

    ``coach_id`` is the debrief's coach when it was rated: the coach's trend is counted from it.
    """

    __tablename__ = "debrief_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    debrief_id: Mapped[int] = mapped_column(
        ForeignKey("debriefs.id", ondelete="CASCADE"), unique=True
    )
    coach_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    rated_on: Mapped[date] = mapped_column(Date)
