"""Which digests were sent: one row per person and period, so a period sends once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class DigestSent(db.Model):  # type: ignore[name-defined]
    """A person's digest for one period (a local day, or an ISO week), claimed once.

    The unique (person, period) is what makes two runs, or two concurrent runners, send one
    digest: each claims its rows with an insert that skips the ones already there, and only
    those it inserted are sent. Written even when there was nothing to say (no email).
    """

    __tablename__ = "digests_sent"
    __table_args__ = (UniqueConstraint("user_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(16))  # "day 2026-11-30" or "week 2026-W49"
    sent_at: Mapped[datetime] = mapped_column(DateTime)
    items: Mapped[int] = mapped_column(default=0)  # 0: nothing to say, no email
