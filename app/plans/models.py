"""Onboarding plans assigned to reps, their milestones, and every change made to them."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    literal_column,
    or_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.curriculum.models import PlanTemplate
from app.extensions import db


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e])


class MeasureKind(enum.StrEnum):
    CHECKBOX = "checkbox"
    NUMBER = "number"
    CERTIFICATION = "certification"
    MEETING = "meeting"


class MilestoneStatus(enum.StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"  # done by the rep, waiting for the coach to verify
    DONE = "done"


_ACTIVE_SQL = "archived_at IS NULL"


class Plan(db.Model):  # type: ignore[name-defined]
    """A rep's plan. Assigning a new one archives the old: a rep has at most one active plan,
    which the database guarantees (``ux_plans_one_active``), so lists find every rep's active
    plan with ``archived_at IS NULL`` instead of comparing each plan with the rep's others."""

    __tablename__ = "plans"
    __table_args__ = (
        Index(
            "ux_plans_one_active",
            "rep_id",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("plan_templates.id"))
    start_date: Mapped[date] = mapped_column(Date)
    business_days: Mapped[bool] = mapped_column(Boolean, default=False)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(DateTime)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The plan's current or next pause for leave, copied from its PlanPause row so that every
    # list reads "paused today" from the plan row it loads anyway (see app/plans/pause.py).
    paused_from: Mapped[date | None] = mapped_column(Date)
    paused_until: Mapped[date | None] = mapped_column(Date)  # the first day back, excluded

    rep: Mapped[User] = relationship(foreign_keys=[rep_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])
    template: Mapped[PlanTemplate] = relationship()
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="plan",
        order_by="(Milestone.due_date, Milestone.position)",
        cascade="all, delete-orphan",
    )

    pauses: Mapped[list[PlanPause]] = relationship(
        back_populates="plan", order_by="PlanPause.first_day", cascade="all, delete-orphan"
    )

    @property
    def end_date(self) -> date:
        return max(m.due_date for m in self.milestones) if self.milestones else self.start_date

    def is_paused_on(self, day: date) -> bool:
        """The rep is on leave on ``day``: their status is not counted."""
        return paused_on(self.paused_from, self.paused_until, day)


def paused_on(paused_from: date | None, paused_until: date | None, day: date) -> bool:
    """The same test over a plan's two columns, for lists that read them as plain values."""
    return (
        paused_from is not None and paused_until is not None and paused_from <= day < paused_until
    )


# What a list selects to call :func:`paused_on` on each plan it reads.
PAUSE_COLUMNS = (Plan.paused_from, Plan.paused_until)


def not_paused_on(day: date) -> ColumnElement[bool]:
    """:meth:`Plan.is_paused_on` negated, as a condition (escalations, reminders skip paused)."""
    return or_(
        Plan.paused_from.is_(None),
        Plan.paused_from > day,
        Plan.paused_until <= day,
    )


class PlanPause(db.Model):  # type: ignore[name-defined]
    """A pause of a plan for leave, never deleted: who recorded it, why, and how it ended.

    ``shifted_days`` is how far open milestones moved (less once resumed early); each moved
    milestone also has a ``paused``/``resumed`` event in its history.
    """

    __tablename__ = "plan_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    back_on: Mapped[date] = mapped_column(Date)  # planned first day back
    reason: Mapped[str] = mapped_column(Text)
    shifted_days: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    resumed_on: Mapped[date | None] = mapped_column(Date)  # back early on this day
    resumed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resumed_at: Mapped[datetime | None] = mapped_column(DateTime)

    plan: Mapped[Plan] = relationship(back_populates="pauses")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    resumed_by: Mapped[User | None] = relationship(foreign_keys=[resumed_by_id])

    @property
    def ends_on(self) -> date:
        """The first day back: the planned one, or the earlier day the rep came back."""
        return self.resumed_on or self.back_on

    @property
    def last_day(self) -> date:
        """The last day of leave as planned, as a person says it."""
        return self.back_on - timedelta(days=1)


_UNFINISHED_SQL = "status <> 'done'"
_CERTIFICATION_SQL = "certification_stage IS NOT NULL"
_SUBMITTED_SQL = "status = 'submitted'"


class Milestone(db.Model):  # type: ignore[name-defined]
    """A SMART milestone copied from the template when the plan was assigned."""

    __tablename__ = "milestones"
    __table_args__ = (
        UniqueConstraint("plan_id", "key"),
        # What a plan has left to do: a quarter of the milestones a year on, and all a team
        # list needs for every rep's status (see UNFINISHED below).
        Index(
            "ix_milestones_unfinished",
            "plan_id",
            "status",
            "due_date",
            sqlite_where=text(_UNFINISHED_SQL),
            postgresql_where=text(_UNFINISHED_SQL),
        ),
        # The certification milestones (a few per plan) and when they are due: what the
        # certification matrix and its due list read for every rep.
        # Each plan's milestones by due date with what says whether they were done on time:
        # the dashboard's heatmap reads the ones not yet due from this index alone
        # (app/dashboards/service/tallies.py), not from the wide rows.
        Index(
            "ix_milestones_plan_dues",
            "plan_id",
            "due_date",
            "due_day",
            "status",
            "submitted_at",
            "completed_at",
        ),
        Index(
            "ix_milestones_certification",
            "plan_id",
            "certification_stage",
            "due_date",
            sqlite_where=text(_CERTIFICATION_SQL),
            postgresql_where=text(_CERTIFICATION_SQL),
        ),
        # The few milestones waiting for verification: every coach's work queue and the
        # coaches' overview (see SUBMITTED below).
        Index(
            "ix_milestones_submitted",
            "plan_id",
            "submitted_at",
            sqlite_where=text(_SUBMITTED_SQL),
            postgresql_where=text(_SUBMITTED_SQL),
        ),
        # What each coach verified, by when, and how long it waited: the verification waits of
        # the coaches' pages read from the index alone.
        Index(
            "ix_milestones_verified_by", "verified_by_id", "completed_at", "status", "submitted_at"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    phase: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(Text)
    measure_kind: Mapped[MeasureKind] = mapped_column(_enum(MeasureKind))
    measure_description: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(64), default="")
    meeting_with: Mapped[str] = mapped_column(String(120), default="")
    certification_stage: Mapped[str | None] = mapped_column(String(64))
    stage: Mapped[str | None] = mapped_column(String(64))
    due_day: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    requires_verification: Mapped[bool] = mapped_column(Boolean, default=False)
    resource_title: Mapped[str] = mapped_column(String(200), default="")
    resource_url: Mapped[str] = mapped_column(String(500), default="")

    status: Mapped[MilestoneStatus] = mapped_column(
        _enum(MilestoneStatus), default=MilestoneStatus.OPEN
    )
    value: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    feedback: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    plan: Mapped[Plan] = relationship(back_populates="milestones")
    verified_by: Mapped[User | None] = relationship()
    events: Mapped[list[MilestoneEvent]] = relationship(
        back_populates="milestone",
        order_by="MilestoneEvent.id",
        cascade="all, delete-orphan",
    )

    @property
    def is_done(self) -> bool:
        return self.status == MilestoneStatus.DONE


# The index's own condition, with the value written out: a bound parameter would not let
# SQLite see that the partial index covers the query.
UNFINISHED = Milestone.status != literal_column(f"'{MilestoneStatus.DONE.value}'")
SUBMITTED = Milestone.status == literal_column(f"'{MilestoneStatus.SUBMITTED.value}'")


class MilestoneEvent(db.Model):  # type: ignore[name-defined]
    """Who changed a milestone, when, and how: the milestone's history, never edited."""

    __tablename__ = "milestone_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime)
    action: Mapped[str] = mapped_column(String(32))
    value: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")

    milestone: Mapped[Milestone] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class PlanSummary(db.Model):  # type: ignore[name-defined]
    """One plan's milestones counted, for the lists of every rep (All reps): how many there
    are, how many are not done or wait for verification, each phase's done and total, and the
    three earliest due dates of the open ones. Derived data, never edited:
    :mod:`app.plans.service.summaries` rewrites a plan's row from its milestones whenever a
    flush changes them, so the summary always equals a recomputation.

    Nothing here depends on today. A rep's status needs the overdue count only up to three
    (three or more is at risk) and the oldest overdue date: both are comparisons of the three
    dates with the rep's today, made when the list is read; the exact count, for the rows
    shown, is asked of the milestones.
    """

    __tablename__ = "plan_summaries"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    milestones: Mapped[int] = mapped_column(Integer, default=0)
    unfinished: Mapped[int] = mapped_column(Integer, default=0)  # not done
    submitted: Mapped[int] = mapped_column(Integer, default=0)  # waiting for verification
    first_open_due: Mapped[date | None] = mapped_column(Date)
    second_open_due: Mapped[date | None] = mapped_column(Date)
    third_open_due: Mapped[date | None] = mapped_column(Date)
    phase1_done: Mapped[int] = mapped_column(Integer, default=0)
    phase1_total: Mapped[int] = mapped_column(Integer, default=0)
    phase2_done: Mapped[int] = mapped_column(Integer, default=0)
    phase2_total: Mapped[int] = mapped_column(Integer, default=0)
    phase3_done: Mapped[int] = mapped_column(Integer, default=0)
    phase3_total: Mapped[int] = mapped_column(Integer, default=0)
