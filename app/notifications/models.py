"""The notification row (one message with a link, for one person) and how each person hears."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db import string_enum
from app.extensions import db


class Notification(db.Model):  # type: ignore[name-defined]
    """Something in the app for one person to look at, with a link to it."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

    recipient: Mapped[User] = relationship()


class DigestFrequency(enum.StrEnum):
    """How often a person gets the digest of what is overdue and waiting."""

    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"

    @property
    def label(self) -> str:
        return {"daily": "Daily", "weekly": "Weekly", "never": "Never"}[self.value]


class NotificationPreference(db.Model):  # type: ignore[name-defined]
    """How one person hears, beyond the in-app notifications everyone gets.

    No row means the defaults (:func:`app.notifications.service.preferences_of`): the row is
    written the first time the person saves their choice.
    """

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email_at_once: Mapped[bool] = mapped_column(Boolean, default=True)
    digest: Mapped[DigestFrequency] = mapped_column(string_enum(DigestFrequency, length=8))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
