"""Activity figures: one row per rep per period per origin, and the imports that wrote them.

``activity_figures`` is the one table everything reads (the rep's weeks, milestone actuals, and
later ramp outcomes, dashboards and the API): each metric is a column, so a team's or a
cohort's totals per week are one ``GROUP BY`` over it. A row comes from a CRM source (one per
rep per day or week of that source; a corrected file replaces it) or from the rep's own log
(one per day, ``source_id`` NULL); the two are never added together silently.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
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
from app.db import string_enum
from app.extensions import db
from app.metrics.catalogue import METRICS, Period, RepMatch


class Origin(enum.StrEnum):
    CRM = "crm"  # imported from a CRM's export
    SELF = "self"  # logged by the rep

    @property
    def label(self) -> str:
        return {"crm": "Imported from the CRM", "self": "Logged by the rep"}[self.value]


class ActivitySource(db.Model):  # type: ignore[name-defined]
    """A CRM feed and how its export's columns map to metrics, remembered once per source."""

    __tablename__ = "activity_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    rep_match: Mapped[RepMatch] = mapped_column(string_enum(RepMatch))
    rep_column: Mapped[str] = mapped_column(String(200))
    date_column: Mapped[str] = mapped_column(String(200))
    period: Mapped[Period] = mapped_column(string_enum(Period))
    date_format: Mapped[str] = mapped_column(String(20))
    # metric key -> the file's column header, for the metrics this source reports
    columns: Mapped[dict[str, str]] = mapped_column(JSON)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    @property
    def mapped(self) -> bool:
        return bool(self.rep_column and self.date_column and self.columns)


class ImportStatus(enum.StrEnum):
    PREVIEW = "preview"  # uploaded, waiting for the mapping and the go-ahead
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # bad rows (nothing imported), or the job gave up


class ActivityImport(db.Model):  # type: ignore[name-defined]
    """One uploaded file: previewed, then imported all or nothing by a job, with its outcome."""

    __tablename__ = "activity_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("activity_sources.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    # The file's text until it is imported (then emptied: the figures hold what it said).
    content: Mapped[str] = mapped_column(Text, deferred=True)
    status: Mapped[ImportStatus] = mapped_column(string_enum(ImportStatus))
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    checked_rows: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    replaced: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    # The requester's today: a date after it is "in the future" whenever the job runs.
    as_of: Mapped[date | None] = mapped_column(Date)
    errors: Mapped[list[str]] = mapped_column(JSON, default=list)  # the first few hundred
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)

    source: Mapped[ActivitySource] = relationship()
    requested_by: Mapped[User | None] = relationship()

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.checked_rows / self.total_rows) if self.total_rows else 100


_SELF_LOGGED_SQL = "source_id IS NULL"


class MetricColumns:
    """One column per metric of the catalogue (revenue in cents): a figure's, or a sum's."""

    dials: Mapped[int | None] = mapped_column(Integer)
    conversations: Mapped[int | None] = mapped_column(Integer)
    meetings_booked: Mapped[int | None] = mapped_column(Integer)
    meetings_held: Mapped[int | None] = mapped_column(Integer)
    opportunities: Mapped[int | None] = mapped_column(Integer)
    deals_won: Mapped[int | None] = mapped_column(Integer)
    revenue_cents: Mapped[int | None] = mapped_column(BigInteger)
    call_minutes: Mapped[int | None] = mapped_column(Integer)
    meeting_minutes: Mapped[int | None] = mapped_column(Integer)
    selling_minutes: Mapped[int | None] = mapped_column(Integer)


class ActivityFigure(MetricColumns, db.Model):  # type: ignore[name-defined]
    """A rep's activity in one period from one origin; NULL means "not reported", not zero."""

    __tablename__ = "activity_figures"
    __table_args__ = (
        # A source says one thing per rep per period: a corrected file replaces the row.
        UniqueConstraint("source_id", "rep_id", "period_start", "period"),
        # The rep's own log: one row a day.
        Index(
            "ux_activity_figures_one_log_a_day",
            "rep_id",
            "period_start",
            unique=True,
            sqlite_where=text(_SELF_LOGGED_SQL),
            postgresql_where=text(_SELF_LOGGED_SQL),
        ),
        # A rep's weeks, and a team's or the organisation's weeks (joined to users): rows of
        # days and of weeks alike GROUP BY ``week_start`` without date functions in SQL.
        Index("ix_activity_figures_rep_week", "rep_id", "week_start"),
        Index("ix_activity_figures_week", "week_start", "origin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    origin: Mapped[Origin] = mapped_column(string_enum(Origin, length=8))
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity_sources.id", ondelete="CASCADE")
    )
    period: Mapped[Period] = mapped_column(string_enum(Period, length=8))
    period_start: Mapped[date] = mapped_column(Date)
    week_start: Mapped[date] = mapped_column(Date)  # the Monday of period_start's week
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity_imports.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    source: Mapped[ActivitySource | None] = relationship()

    def values(self) -> dict[str, Any]:
        """The metric columns, by column name."""
        return {column: getattr(self, column) for column in FIGURE_COLUMNS}


# The metric columns, in the catalogue's order.
FIGURE_COLUMNS: tuple[str, ...] = tuple(metric.column for metric in METRICS)


# --- summaries: what the outcomes and the weekly pages read instead of a year of days ---------
#
# Kept in step by ``app.metrics.service.summaries.refresh_summaries``, which every write of
# figures calls (an import, a correction, the rep's log, the API) for the reps it touched: it
# recomputes those reps' rows from ``activity_figures`` (delete, then INSERT ... SELECT), so a
# summary is always a function of the figures. Imported and logged figures stay apart (origin,
# and the source).


class _MetricSums(MetricColumns):
    """The metric columns, summed; NULL when no figure of the group reported the metric."""

    figure_count: Mapped[int] = mapped_column(Integer)  # how many figures the sums add up


class ActivityWeek(_MetricSums, db.Model):  # type: ignore[name-defined]
    """A rep's figures of one week (Monday to Sunday) from one source, or from their own log."""

    __tablename__ = "activity_weeks"
    __table_args__ = (
        Index("ix_activity_weeks_rep_week", "rep_id", "week_start"),
        Index("ix_activity_weeks_week", "week_start", "origin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    origin: Mapped[Origin] = mapped_column(string_enum(Origin, length=8))
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity_sources.id", ondelete="CASCADE"), index=True
    )
    week_start: Mapped[date] = mapped_column(Date)


class ActivityRampMonth(_MetricSums, db.Model):  # type: ignore[name-defined]
    """A rep's figures of one 30-day ramp month from one source or their own log, counted from
    the start date in ``ActivityRampStart`` (a month's figures move when the start does)."""

    __tablename__ = "activity_ramp_months"
    __table_args__ = (Index("ix_activity_ramp_months_rep_month", "rep_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    origin: Mapped[Origin] = mapped_column(string_enum(Origin, length=8))
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity_sources.id", ondelete="CASCADE"), index=True
    )
    month: Mapped[int] = mapped_column(Integer)  # 1 = ramp days 1-30
    # The first day of the month with a non-zero figure (the outcomes' firsts).
    first_meetings_held: Mapped[date | None] = mapped_column(Date)
    first_opportunities: Mapped[date | None] = mapped_column(Date)
    first_deals_won: Mapped[date | None] = mapped_column(Date)


class ActivityRampStart(db.Model):  # type: ignore[name-defined]
    """The start date a rep's ramp months were counted from. A reader trusts the months only
    while it equals the rep's start now (a new plan, a corrected start date), else it reads the
    figures themselves: the summary is never wrong, at worst not used."""

    __tablename__ = "activity_ramp_starts"

    rep_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    ramp_start: Mapped[date | None] = mapped_column(Date)
