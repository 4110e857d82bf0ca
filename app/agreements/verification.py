"""Is this PDF an intact, sealed SalesRamp agreement, and which one? Or why not.

The web page, the public ``/verify/<code>`` page and ``flask agreements verify`` all ask here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from app.agreements.models import Agreement
from app.agreements.rendering import seal_key
from app.agreements.seal import check_seal
from app.agreements.service import find_by_code
from app.extensions import db

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Verdict:
    """The answer for one file: intact or not, the reason, and the agreement when known."""

    intact: bool
    reason: str
    sha256: str
    agreement: Agreement | None = None

    @property
    def summary(self) -> str:
        if self.intact and self.agreement is not None:
            return (
                f"Intact: sealed SalesRamp agreement {self.agreement.verification_code} "
                f"({self.agreement.title}, {self.agreement.rep.full_name}), "
                f"status {self.agreement.status.short_label.lower()}."
            )
        return f"Not intact: {self.reason}"


def verify_pdf(data: bytes) -> Verdict:
    """Check the seal cryptographically, then find the agreement it belongs to."""
    digest = hashlib.sha256(data).hexdigest()
    if not data.startswith(b"%PDF"):
        return Verdict(False, "This is not a PDF file.", digest)
    check = check_seal(data, seal_key())
    stored = db.session.scalar(select(Agreement).where(Agreement.pdf_sha256 == digest))
    if not check.intact:
        agreement = find_by_code(check.verification_code) if check.verification_code else None
        return Verdict(False, check.reason, digest, agreement)
    if stored is not None:
        return Verdict(True, "", digest, stored)
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
