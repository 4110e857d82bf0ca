"""An uploaded cohort file, kept server-side between its preview and its import."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db


class CohortUpload(db.Model):  # type: ignore[name-defined]
    """The file's text as uploaded: the import reads this, never a second upload, so what is
    imported is what was previewed (and the preview's fingerprint is checked again)."""

    __tablename__ = "cohort_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)
    filename: Mapped[str] = mapped_column(String(255), default="")
    content: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime | None] = mapped_column(DateTime)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)

    uploaded_by: Mapped[User | None] = relationship()
