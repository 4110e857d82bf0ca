"""Personal API tokens: a name, an optional expiry, and only the SHA-256 of the secret."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db


class ApiToken(db.Model):  # type: ignore[name-defined]
    """One credential for ``/api/v1/``, acting as its owner with the owner's rights.

    The secret is shown once when it is made; the database keeps its SHA-256 (so a copy of the
    database opens nothing) and its first characters (``prefix``), by which the owner and the
    admins tell tokens apart. Revoking keeps the row, so the list says who revoked it and when.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256, hex
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    def usable_at(self, moment: datetime) -> bool:
        """Not revoked and not expired at ``moment`` (naive UTC)."""
        return self.revoked_at is None and (self.expires_at is None or moment < self.expires_at)
