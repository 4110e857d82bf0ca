"""Every email the app sends: one row per message, written when it is queued."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import string_enum
from app.extensions import db


class MailStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for the job worker (or between two attempts)
    SENDING = "sending"
    SENT = "sent"  # handed to the SMTP server, or written to the outbox folder
    FAILED = "failed"  # the last attempt failed: an admin sees why and may retry

    @property
    def label(self) -> str:
        return self.value.capitalize()


class OutboundMail(db.Model):  # type: ignore[name-defined]
    """A message as it was rendered when queued, and what became of it.

    The bodies are rendered once, in the transaction that decided to send, so that what is
    sent (however many attempts later) says what the page said at that moment. The
    Message-ID is fixed here too: a retry after an uncertain failure carries the same one,
    so the receiving side can tell a duplicate.
    """

    __tablename__ = "outbound_mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    to_name: Mapped[str] = mapped_column(String(200), default="")
    from_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    template: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(Text, default="")
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[MailStatus] = mapped_column(
        string_enum(MailStatus, length=16), default=MailStatus.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Why the last attempt failed (kept after a later success, for the record).
    error: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Where it went: "smtp://host:port" or the outbox file's name.
    delivered_to: Mapped[str] = mapped_column(String(300), default="", server_default="")
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def finished(self) -> bool:
        return self.status in (MailStatus.SENT, MailStatus.FAILED)

    def __repr__(self) -> str:
        return f"<OutboundMail {self.id} to {self.to_address} {self.status}>"
