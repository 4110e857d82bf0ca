"""A person's calendar feed: the secret token in its URL, until regenerated or revoked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db


class CalendarFeed(db.Model):  # type: ignore[name-defined]
    """At most one per person. Revoking deletes the row, so the old URL answers 404.

    The token is kept as it is (not hashed) so that the page can show the link again, as
    calendar services do with their secret addresses; it opens a read-only list of dates and
    titles, and regenerating it ends the old one.
    """

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    user: Mapped[User] = relationship()
