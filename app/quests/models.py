"""A team's leaderboard choice, and the quests reached (so each is announced once)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Team, User
from app.db import string_enum
from app.extensions import db
from app.quests.leaderboard import Privacy


class TeamLeaderboard(db.Model):  # type: ignore[name-defined]
    """Whether a team's leaderboard is on and who may see whose name: off until a coach or an
    admin switches it on (no row: off). Who changed it last, and when, stays on the row."""

    __tablename__ = "team_leaderboards"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    privacy: Mapped[Privacy] = mapped_column(string_enum(Privacy, length=16))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(DateTime)

    team: Mapped[Team] = relationship()
    changed_by: Mapped[User | None] = relationship()


class QuestCompletion(db.Model):  # type: ignore[name-defined]
    """A quest reached in one of its windows, by a rep (personal) or a team; the unique key
    makes a second run (or two at once) record and announce it only once."""

    __tablename__ = "quest_completions"
    __table_args__ = (UniqueConstraint("quest_key", "window_start", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quest_key: Mapped[str] = mapped_column(String(64))
    quest_version: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(32))  # "rep:12" or "team:3"
    rep_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    completed_at: Mapped[datetime] = mapped_column(DateTime)
