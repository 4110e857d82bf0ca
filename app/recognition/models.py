"""A recognition: who thanked which rep, for which of the rep's own records, with a note."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Team, User
from app.db import string_enum
from app.extensions import db

NOTE_LENGTH = 280


class AchievementKind(enum.StrEnum):
    """What a recognition can be for: a record of the rep's that says they did something."""

    MILESTONE = "milestone"  # a plan milestone done (checkbox, number, meeting or metric)
    CERTIFICATION = "certification"  # a certification attempt passed
    COMMITMENT = "commitment"  # a debrief commitment the coach marked kept
    METRIC = "metric"  # one of the rep's activity figures: a metric's total in one week

    @property
    def label(self) -> str:
        return {
            "milestone": "Milestone",
            "certification": "Certification",
            "commitment": "Kept commitment",
            "metric": "Activity",
        }[self.value]


class Recognition(db.Model):  # type: ignore[name-defined]
    """Thanks given to a rep for one of their records.

    ``what`` keeps the record's wording as it was when the thanks were given, so the feed
    reads in one query and a later edit of the milestone does not rewrite what was said.
    ``team_id`` is the rep's team at the time: the team feed shows what the team saw.
    A metric's figure is no row of its own: ``metric`` and ``week_start`` say which it was
    (``record_id`` is 0), as the weekly summaries it was read from are recomputed on import.
    """

    __tablename__ = "recognitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[AchievementKind] = mapped_column(string_enum(AchievementKind, length=16))
    record_id: Mapped[int] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(String(NOTE_LENGTH))
    metric: Mapped[str | None] = mapped_column(String(32))
    week_start: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)

    rep: Mapped[User] = relationship(foreign_keys=[rep_id])
    given_by: Mapped[User | None] = relationship(foreign_keys=[given_by_id])
    team: Mapped[Team | None] = relationship()
