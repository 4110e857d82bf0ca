"""Exports built in the background: which table, for whom, with which filters, how far along."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.db import string_enum
from app.extensions import db


class TableExportStatus(enum.StrEnum):
    RUNNING = "running"  # queued or being written
    DONE = "done"
    FAILED = "failed"


class TableExport(db.Model):  # type: ignore[name-defined]
    """A large table written to a file by the job worker, downloaded by whoever asked for it.

    The rows are read when the job runs, as the person who asked, with the filters of the
    page they were on (``args``) and their today (``as_of``).
    """

    __tablename__ = "table_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    requested_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(60))
    fmt: Mapped[str] = mapped_column(String(8))
    args: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    as_of: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[TableExportStatus] = mapped_column(
        string_enum(TableExportStatus, length=16), default=TableExportStatus.RUNNING
    )
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


class StoredProgressReport(db.Model):  # type: ignore[name-defined]
    """A rep's rendered progress report, kept while what it says stays the same.

    Rendering the PDF takes over a second; reading what it says takes a few milliseconds.
    ``fingerprint`` is a digest of those values, so a download renders again only when the
    report would read differently, and the same digest is the response's ETag.

    Reading what it says is itself skipped while nothing it reads was written: every write
    that may change the report adds one to ``changes`` (``app.exports.freshness``), and
    ``checked`` is the value of ``changes`` when the fingerprint was last confirmed for the
    date ``as_of`` (the report prints the rep's today). Equal, on the same day: the stored
    copy is the report.
    """

    __tablename__ = "stored_progress_reports"

    rep_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    fingerprint: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    rendered_at: Mapped[datetime] = mapped_column(DateTime)
    as_of: Mapped[date | None] = mapped_column(Date)
    changes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    checked: Mapped[int] = mapped_column(Integer, default=-1, server_default="-1")
