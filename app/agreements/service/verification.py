"""Is this PDF an intact, sealed SalesRamp agreement, and which one? Or why not.

HR's upload page, the public ``/verify/<code>`` page (what the QR code on a sealed PDF opens)
and ``flask agreements verify`` all ask here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.accounts.models import User
from app.agreements import rendering
from app.agreements.audit import verify_chain
from app.agreements.models import Agreement, AgreementStatus
from app.agreements.seal import SealTimestamp
from app.agreements.service.access import require_manage
from app.agreements.service.finding import find_by_code
from app.errors import Invalid, NotFound
from app.extensions import db

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
CHECK_CHUNK = 50  # agreements whose PDFs are held in memory at once by ``verify_everything``


@dataclass(frozen=True)
class Verdict:
    """The answer for one file: intact or not, the reason, and the agreement when known."""

    intact: bool
    reason: str
    sha256: str
    agreement: Agreement | None = None
    timestamp: SealTimestamp | None = None  # from a time-stamping authority (PAdES B-T)

    @property
    def summary(self) -> str:
        if self.intact and self.agreement is not None:
            return (
                f"Intact: sealed SalesRamp agreement {self.agreement.verification_code} "
                f"({self.agreement.title}, {self.agreement.rep.full_name}), "
                f"status {self.agreement.status.short_label.lower()}."
            )
        return f"Not intact: {self.reason}"

    @property
    def timestamp_line(self) -> str:
        """Who vouches for when the seal was made: a TSA, or only this server's clock."""
        if self.timestamp is None:
            return "Timestamp: none; the sealing time is this server's own clock."
        stamp = self.timestamp
        trust = "" if stamp.trusted else " (a timestamp authority this installation does not trust)"
        return f"Timestamp: {stamp.at:%Y-%m-%d %H:%M:%S} UTC by {stamp.authority}{trust}."


def verify_pdf(data: bytes) -> Verdict:
    """Check the seal cryptographically, then find the agreement it belongs to."""
    digest = hashlib.sha256(data).hexdigest()
    if not data.startswith(b"%PDF"):
        return Verdict(False, "This is not a PDF file.", digest)
    check = rendering.check_our_seal(data)
    stored = db.session.scalar(select(Agreement).where(Agreement.pdf_sha256 == digest))
    if not check.intact:
        agreement = find_by_code(check.verification_code) if check.verification_code else None
        return Verdict(False, check.reason, digest, agreement)
    if stored is not None:
        return Verdict(True, "", digest, stored, check.timestamp)
    named = find_by_code(check.verification_code) if check.verification_code else None
    if named is None:
        return Verdict(
            False,
            "Unknown document: it carries this organisation's seal, but SalesRamp has no "
            "agreement with its verification code.",
            digest,
        )
    return Verdict(
        False,
        "Unknown document: sealed by this organisation, but not the copy SalesRamp stored "
        "for this agreement (its SHA-256 differs).",
        digest,
        named,
    )


def verify_upload(actor: User, upload: IO[bytes]) -> Verdict:
    """HR checks a PDF someone handed them; a file too large to be ours is refused unread."""
    require_manage(actor)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid("This file is too large to be a SalesRamp agreement.", field="pdf")
    return verify_pdf(data)


def published(code: str) -> Agreement:
    """The agreement a verification code names, for anyone holding the code; never a draft."""
    agreement = find_by_code(code)
    if agreement is None or agreement.status == AgreementStatus.DRAFT:
        raise NotFound("There is no agreement with this verification code.")
    return agreement


def seal_timestamp(agreement: Agreement) -> SealTimestamp | None:
    """The time-stamping authority's timestamp on the stored sealed PDF, if it carries one."""
    if agreement.pdf_sha256 is None or agreement.pdf is None:
        return None
    return rendering.check_our_seal(agreement.pdf).timestamp


@dataclass
class StoreCheck:
    """What ``flask agreements verify-all`` found: counts, and one line per problem."""

    pdfs: int = 0
    trails: int = 0
    problems: list[str] = field(default_factory=list)


def verify_everything() -> StoreCheck:
    """Check every stored sealed PDF (its seal, and that it is the copy recorded) and every
    agreement's audit trail, so a restored backup or a suspected tampering can be vouched for.
    """
    result = StoreCheck()
    ids = list(db.session.scalars(select(Agreement.id).order_by(Agreement.id)))
    for start in range(0, len(ids), CHECK_CHUNK):
        chunk = db.session.scalars(
            select(Agreement)
            .where(Agreement.id.in_(ids[start : start + CHECK_CHUNK]))
            .order_by(Agreement.id)
            .options(undefer(Agreement.pdf))
        )
        for agreement in chunk:
            name = f"agreement {agreement.id} ({agreement.verification_code})"
            if agreement.pdf is not None:
                result.pdfs += 1
                verdict = verify_pdf(agreement.pdf)
                if not verdict.intact or verdict.agreement is not agreement:
                    result.problems.append(f"{name}: sealed PDF: {verdict.summary}")
            result.trails += 1
            chain = verify_chain(agreement)
            if not chain.intact:
                result.problems.append(f"{name}: audit trail broken: {chain.problem}")
        db.session.expunge_all()  # let this chunk's PDFs go
    return result
