"""Agreements, their signatures, audit events and exports.

Agreement templates are curriculum (``app.curriculum.models``); an agreement keeps the version
it was drafted from.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.accounts.models import User
from app.curriculum.models import AgreementKind, AgreementTemplate
from app.db import string_enum as _enum
from app.extensions import db


class AgreementStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    SIGNED_BY_REP = "signed_by_rep"
    COMPLETED = "completed"
    DECLINED = "declined"
    VOIDED = "voided"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "sent": "Sent, waiting for the rep",
            "signed_by_rep": "Signed by the rep, waiting for countersignature",
            "completed": "Completed",
            "declined": "Declined",
            "voided": "Voided",
        }[self.value]

    @property
    def short_label(self) -> str:
        return {
            "draft": "Draft",
            "sent": "Sent",
            "signed_by_rep": "Signed by rep",
            "completed": "Completed",
            "declined": "Declined",
            "voided": "Voided",
        }[self.value]

    @property
    def css(self) -> str:
        """The colour of the status's badge (Bootstrap's ``text-bg-*``)."""
        return _STATUS_CSS[self.value]


_STATUS_CSS = {
    "draft": "secondary",
    "sent": "info",
    "signed_by_rep": "primary",
    "completed": "success",
    "declined": "warning",
    "voided": "dark",
}


class SignerRole(enum.StrEnum):
    REP = "rep"
    HR = "hr"
    COACH = "coach"

    @property
    def label(self) -> str:
        return {"rep": "Rep", "hr": "HR", "coach": "Coach"}[self.value]


@dataclass(frozen=True)
class AwaitedSigner:
    """A signature the agreement still waits for: whose, and since when.

    ``since`` is when it became their turn (the agreement was sent, or the signature before
    theirs); None while it waits for someone else first (HR and the coach sign after the rep).
    """

    role: SignerRole
    name: str
    since: datetime | None


def is_overdue(status: AgreementStatus, sign_by: date | None, today: date) -> bool:
    """An agreement still waiting for a signature after its "sign by" day (``today``: the
    viewer's)."""
    waiting = status in (AgreementStatus.SENT, AgreementStatus.SIGNED_BY_REP)
    return waiting and sign_by is not None and today > sign_by


class Agreement(db.Model):  # type: ignore[name-defined]
    """An agreement for one rep: a draft until sent, then frozen, signed and sealed."""

    __tablename__ = "agreements"
    __table_args__ = (UniqueConstraint("bulk_send_id", "rep_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("agreement_templates.id"))
    kind: Mapped[AgreementKind] = mapped_column(_enum(AgreementKind), index=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[AgreementStatus] = mapped_column(
        _enum(AgreementStatus), default=AgreementStatus.DRAFT, index=True
    )
    # Bumped by every change of state with a conditional UPDATE, so that two submissions of
    # the same action (two tabs, a double click) cannot both succeed.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    verification_code: Mapped[str] = mapped_column(String(20), unique=True)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Frozen when sent: the document as plain values, and the SHA-256 of its canonical JSON.
    document: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    # The hash of the last audit event, so that removing events from the end is noticed too.
    trail_head: Mapped[str] = mapped_column(String(64), default="")
    countersign_coach: Mapped[bool] = mapped_column(Boolean, default=False)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    # The day by which HR asks for the signatures (set when sent); past it, the signature
    # still waited for is overdue on every list, in digests and in the calendar feeds.
    sign_by: Mapped[date | None] = mapped_column(Date, index=True)
    rep_signed_at: Mapped[datetime | None] = mapped_column(DateTime)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)  # declined or voided
    close_reason: Mapped[str] = mapped_column(Text, default="")
    # The sealed PDF, rendered once on completion; downloads return exactly these bytes.
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    # The job worker's attempts at sealing the completed agreement (service/sealing.py).
    seal_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The bulk send that created it: at most one agreement per rep and bulk send, so a
    # retried or doubled job cannot send a rep the same batch twice (service/bulk_job.py).
    bulk_send_id: Mapped[int | None] = mapped_column(
        ForeignKey("bulk_sends.id", ondelete="SET NULL"), index=True
    )

    rep: Mapped[User] = relationship(foreign_keys=[rep_id])
    coach: Mapped[User | None] = relationship(foreign_keys=[coach_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    template: Mapped[AgreementTemplate] = relationship()
    signatures: Mapped[list[AgreementSignature]] = relationship(
        back_populates="agreement", order_by="AgreementSignature.signed_at"
    )
    events: Mapped[list[AgreementEvent]] = relationship(
        back_populates="agreement", order_by="AgreementEvent.seq"
    )

    @property
    def required_signers(self) -> tuple[SignerRole, ...]:
        roles = [SignerRole.REP, SignerRole.HR]
        if self.countersign_coach:
            roles.append(SignerRole.COACH)
        return tuple(roles)

    def signature_by(self, role: SignerRole) -> AgreementSignature | None:
        return next((s for s in self.signatures if s.role == role), None)

    @property
    def awaited_signers(self) -> list[AwaitedSigner]:
        """Everyone who still has to sign a sent agreement, in signing order; none otherwise.

        Reads ``signatures``, ``rep`` and ``coach``: a list loads them for all its rows at once.
        """
        if self.status not in (AgreementStatus.SENT, AgreementStatus.SIGNED_BY_REP):
            return []
        signed = {signature.role: signature.signed_at for signature in self.signatures}
        if SignerRole.REP not in signed:
            countersigners_since = None  # they sign once the rep has
            rep_since = self.sent_at
        else:
            countersigners_since = max(signed.values())
            rep_since = None
        names = {
            SignerRole.REP: self.rep.full_name,
            SignerRole.HR: "HR",
            SignerRole.COACH: self.coach.full_name if self.coach else "The rep's coach",
        }
        return [
            AwaitedSigner(
                role,
                names[role],
                rep_since if role == SignerRole.REP else countersigners_since,
            )
            for role in self.required_signers
            if role not in signed
        ]

    def is_overdue(self, today: date) -> bool:
        """Still waiting for a signature after its "sign by" day (``today``: the viewer's)."""
        return is_overdue(self.status, self.sign_by, today)

    @property
    def is_frozen(self) -> bool:
        return self.status != AgreementStatus.DRAFT

    def __repr__(self) -> str:
        return f"<Agreement {self.id} {self.status}>"


class AgreementSignature(db.Model):  # type: ignore[name-defined]
    """One signer's electronic signature: typed name, consent given, and when."""

    __tablename__ = "agreement_signatures"
    __table_args__ = (UniqueConstraint("agreement_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    role: Mapped[SignerRole] = mapped_column(_enum(SignerRole))
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name_on_record: Mapped[str] = mapped_column(String(120))
    typed_name: Mapped[str] = mapped_column(String(120))
    consent_version: Mapped[str] = mapped_column(String(32))
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    reached_end_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_at: Mapped[datetime] = mapped_column(DateTime)
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    content_hash: Mapped[str] = mapped_column(String(64))

    agreement: Mapped[Agreement] = relationship(back_populates="signatures")
    signer: Mapped[User | None] = relationship()


class AgreementEvent(db.Model):  # type: ignore[name-defined]
    """One entry in an agreement's audit trail: append-only, chained by hashes.

    ``hash`` covers every other column and ``prev_hash`` is the previous event's ``hash``,
    so changing, removing or reordering any event breaks verification (see ``audit.py``).
    """

    __tablename__ = "agreement_events"
    __table_args__ = (UniqueConstraint("agreement_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(120))
    actor_email: Mapped[str] = mapped_column(String(254), default="")
    at: Mapped[datetime] = mapped_column(DateTime)
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    agreement: Mapped[Agreement] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


@event.listens_for(AgreementEvent, "before_update")
@event.listens_for(AgreementEvent, "before_delete")
def _events_are_append_only(_mapper: Any, _connection: Any, target: AgreementEvent) -> None:
    raise RuntimeError(f"Audit events are append-only; event {target.id} cannot be changed.")


class ExportStatus(enum.StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class AgreementExport(db.Model):  # type: ignore[name-defined]
    """A ZIP of sealed PDFs and a manifest, built in the background for a large selection."""

    __tablename__ = "agreement_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    agreement_ids: Mapped[list[int]] = mapped_column(JSON)
    status: Mapped[ExportStatus] = mapped_column(_enum(ExportStatus), default=ExportStatus.RUNNING)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The job worker's attempts so far, and its last sign of life: an export "running" with no
    # sign of life for JOB_STALE_SECONDS was interrupted and is retried or failed by the sweep.
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


class BulkSendStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class BulkSend(db.Model):  # type: ignore[name-defined]
    """One template sent to a team or cohort: recorded by the request, sent by the job worker.

    It keeps exactly what was previewed (the template version, the reps, HR's values and the
    preview's fingerprint) and the sender's address, for each agreement's audit trail.
    """

    __tablename__ = "bulk_sends"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    template_id: Mapped[int] = mapped_column(ForeignKey("agreement_templates.id"))
    rep_ids: Mapped[list[int]] = mapped_column(JSON)
    # Reps in ``rep_ids`` who already held this agreement and whom HR chose to send it again;
    # the job leaves out anyone else who holds it by the time it runs.
    resend_rep_ids: Mapped[list[int]] = mapped_column(JSON, default=list, server_default="[]")
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Why HR set targets that differ from the reps' plans; empty when every target is the plan's.
    override_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    sign_by: Mapped[date | None] = mapped_column(Date)  # each agreement's; None: the default
    fingerprint: Mapped[str] = mapped_column(String(64))
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[BulkSendStatus] = mapped_column(
        _enum(BulkSendStatus), default=BulkSendStatus.QUEUED
    )
    total: Mapped[int] = mapped_column(Integer, default=0)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    # Why it failed; while it runs, why an attempt failed; once done, the reps left out.
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)

    requested_by: Mapped[User | None] = relationship()
    template: Mapped[AgreementTemplate] = relationship()

    @property
    def finished(self) -> bool:
        return self.status in (BulkSendStatus.DONE, BulkSendStatus.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.sent / self.total) if self.total else 100
