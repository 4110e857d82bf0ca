"""Certification attempts, the assessments scored on them, and audited score corrections.

An attempt is one go at a stage's certification by a rep, scored on one rubric version. It
holds the rep's optional self-assessment and one assessment per assessor; when every assessor
has submitted (and as many as the rubric requires), the service decides the attempt.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.accounts.models import User
from app.curriculum.models import RubricTemplate
from app.db import string_enum
from app.extensions import db


class CertificationAttempt(db.Model):  # type: ignore[name-defined]
    __tablename__ = "certification_attempts"
    # A rep's attempts by stage and result: the dashboard's "failed, and not passed since" is
    # read from the index alone, rep by rep (it serves lookups by rep as well).
    __table_args__ = (
        Index("ix_certification_attempts_rep_stage", "rep_id", "stage", "passed", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(64))
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubric_templates.id"))
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    weighted_average: Mapped[float | None] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text, default="")
    assessed_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    next_attempt_from: Mapped[date | None] = mapped_column(Date)
    # The certificate of a passed attempt, rendered on its first download and kept; deciding
    # the attempt again (a score correction) drops it so the next download says the new result.
    certificate_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    certificate_sha256: Mapped[str | None] = mapped_column(String(64))

    rep: Mapped[User] = relationship()
    rubric: Mapped[RubricTemplate] = relationship()
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="attempt", order_by="Assessment.id", cascade="all, delete-orphan"
    )

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    @property
    def self_assessment(self) -> Assessment | None:
        return next((a for a in self.assessments if a.is_self and a.is_submitted), None)

    @property
    def assessor_assessments(self) -> list[Assessment]:
        return [a for a in self.assessments if not a.is_self]

    @property
    def submitted_assessor_assessments(self) -> list[Assessment]:
        return [a for a in self.assessor_assessments if a.is_submitted]

    @property
    def pending_assessor_assessments(self) -> list[Assessment]:
        return [a for a in self.assessor_assessments if not a.is_submitted]


class Assessment(db.Model):  # type: ignore[name-defined]
    """One person's scores on an attempt: the rep's self-assessment or an assessor's.

    An invited assessor's row exists, unsubmitted, from the invitation on.
    """

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("attempt_id", "assessor_id"),
        # Each assessor's scores by when they gave them: the assessment waits on the coaches'
        # pages and the assessments waiting in their work queues.
        Index("ix_assessments_assessor_submitted", "assessor_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("certification_attempts.id", ondelete="CASCADE"), index=True
    )
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    is_self: Mapped[bool] = mapped_column(Boolean, default=False)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    assessed_on: Mapped[date | None] = mapped_column(Date)
    evidence_kind: Mapped[str] = mapped_column(String(32), default="")
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    feedback: Mapped[str] = mapped_column(Text, default="")
    passed: Mapped[bool | None] = mapped_column(Boolean)
    weighted_average: Mapped[float | None] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text, default="")

    attempt: Mapped[CertificationAttempt] = relationship(back_populates="assessments")
    assessor: Mapped[User | None] = relationship(foreign_keys=[assessor_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    scores: Mapped[list[Score]] = relationship(
        back_populates="assessment", order_by="Score.position", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def levels(self) -> dict[str, int]:
        return {score.criterion_key: score.level for score in self.scores}

    @property
    def was_corrected(self) -> bool:
        return any(score.corrections for score in self.scores)


class Score(db.Model):  # type: ignore[name-defined]
    """The level given to one criterion, with the assessor's comment (or the rep's reflection)."""

    __tablename__ = "assessment_scores"
    __table_args__ = (UniqueConstraint("assessment_id", "criterion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    criterion_key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")

    assessment: Mapped[Assessment] = relationship(back_populates="scores")
    corrections: Mapped[list[ScoreCorrection]] = relationship(
        back_populates="score", order_by="ScoreCorrection.id", cascade="all, delete-orphan"
    )


class ScoreCorrection(db.Model):  # type: ignore[name-defined]
    """A recorded score changed after submission: who, when, from what to what, and why."""

    __tablename__ = "score_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    score_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_scores.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime)
    old_level: Mapped[int] = mapped_column(Integer)
    new_level: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)

    score: Mapped[Score] = relationship(back_populates="corrections")
    actor: Mapped[User | None] = relationship()


class ScheduleStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    HELD = "held"

    @property
    def label(self) -> str:
        return {"scheduled": "Scheduled", "cancelled": "Cancelled", "held": "Held"}[self.value]


class ScheduledAssessment(db.Model):  # type: ignore[name-defined]
    """A certification assessment booked ahead: when, where, with whom, for which stage.

    ``starts_at`` is naive UTC; ``timezone`` is the zone it was booked in (the assessor's),
    so the page can say it as it was agreed. ``sequence`` counts reschedules and the
    cancellation: calendar apps replace an event whose SEQUENCE rose, and the forms carry it
    so that a second submission of the same change (or one from a stale page) is refused.
    """

    __tablename__ = "scheduled_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(64))
    assessor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64))
    place: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ScheduleStatus] = mapped_column(
        string_enum(ScheduleStatus, length=16), default=ScheduleStatus.SCHEDULED
    )
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    attempt_id: Mapped[int | None] = mapped_column(
        ForeignKey("certification_attempts.id", ondelete="SET NULL")
    )

    rep: Mapped[User] = relationship(foreign_keys=[rep_id])
    assessor: Mapped[User | None] = relationship(foreign_keys=[assessor_id])

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class CertificationStanding(db.Model):  # type: ignore[name-defined]
    """One rep's standing on one stage, summarised from the raw rows for the lists of every
    rep (the matrix's due list and pass rates): when the active plan first asks for the
    certification, until when a passed attempt holds it, and how many attempts were decided
    and passed. Derived data, never edited: :mod:`app.certification.service.standings`
    rewrites a rep's rows from their plan and attempts whenever those change (one flush
    hook), so the summary always equals a recomputation.

    Nothing here depends on today: "due", "overdue" and "expiring" are comparisons of these
    dates with today's, made in SQL when the list is read.
    """

    __tablename__ = "certification_standings"
    __table_args__ = (
        # The due list: a stage's reps by the dates it compares with today.
        Index("ix_certification_standings_stage_dates", "stage", "due_on", "valid_until"),
    )

    rep_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    stage: Mapped[str] = mapped_column(String(64), primary_key=True)
    due_on: Mapped[date | None] = mapped_column(Date)  # the active plan's first due date
    valid_until: Mapped[date | None] = mapped_column(Date)  # the latest passed attempt's expiry
    decided: Mapped[int] = mapped_column(Integer, default=0)
    passed: Mapped[int] = mapped_column(Integer, default=0)
