"""A rep's acknowledgements and disputes of what was recorded about them, and their outcomes.

Like score corrections, a dispute is its own row that is never deleted: who disputed what,
when and why, who resolved it, when, how and why. It is the audit trail.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    DateTime,
    Enum,
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
from app.certification.models import ScoreCorrection
from app.extensions import db


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e])


class ItemKind(enum.StrEnum):
    """What a rep may acknowledge or dispute."""

    CERTIFICATION = "certification"  # a decided attempt's result
    DEBRIEF = "debrief"  # a recorded debrief's coach notes
    CORRECTION = "correction"  # a score correction

    @property
    def label(self) -> str:
        return {
            "certification": "Certification result",
            "debrief": "Debrief notes",
            "correction": "Score correction",
        }[self.value]


class DisputeStatus(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"  # the rep is right; the record stands with the resolver's note
    CHANGED = "changed"  # the item was changed (a certification: the correction made)
    REJECTED = "rejected"  # the item stands, for the reason given

    @property
    def label(self) -> str:
        return {
            "open": "Open",
            "upheld": "Upheld",
            "changed": "Changed",
            "rejected": "Rejected",
        }[self.value]

    @property
    def css(self) -> str:
        return {
            "open": "warning",
            "upheld": "success",
            "changed": "primary",
            "rejected": "secondary",
        }[self.value]


_OPEN_SQL = "status = 'open'"


class Dispute(db.Model):  # type: ignore[name-defined]
    """A rep's dispute of one item; the database allows one open dispute per item."""

    __tablename__ = "disputes"
    __table_args__ = (
        Index(
            "ux_disputes_one_open",
            "item_kind",
            "item_id",
            unique=True,
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
        Index("ix_disputes_status_opened", "status", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[ItemKind] = mapped_column(_enum(ItemKind))
    item_id: Mapped[int] = mapped_column(Integer)
    # What the item was when disputed ("Prospecting certification, 3 Nov 2026: not passed"),
    # so lists read one row per dispute, and the record says what the rep saw.
    item_label: Mapped[str] = mapped_column(String(200))
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[DisputeStatus] = mapped_column(_enum(DisputeStatus), default=DisputeStatus.OPEN)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolution: Mapped[str] = mapped_column(Text, default="")
    correction_id: Mapped[int | None] = mapped_column(
        ForeignKey("score_corrections.id", ondelete="SET NULL")
    )

    rep: Mapped[User] = relationship(foreign_keys=[rep_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    correction: Mapped[ScoreCorrection | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status == DisputeStatus.OPEN


class Acknowledgement(db.Model):  # type: ignore[name-defined]
    """The rep read an item and accepts it (debriefs keep their own ``acknowledged_at``)."""

    __tablename__ = "acknowledgements"
    __table_args__ = (UniqueConstraint("item_kind", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[ItemKind] = mapped_column(_enum(ItemKind))
    item_id: Mapped[int] = mapped_column(Integer)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
