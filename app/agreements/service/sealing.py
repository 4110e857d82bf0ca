"""Sealing a completed agreement, as a job: the last signature only queues it.

Rendering and sealing the final PDF takes about two seconds, too long to hold a signer's
request (and its database lock). ``signing`` marks the agreement completed and queues
``seal_completed`` once that commits; the job renders the PDF once, seals it with the
organisation's certificate, stores the bytes and their hash, and records "sealed" on the audit
trail. Each attempt is counted on the agreement; the last failed one records "sealing failed"
with the reason. ``sweep_unsealed`` (when a worker starts, and every minute) queues again an
agreement a crash left unsealed while it has attempts left.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select, update

from app.agreements import audit, rendering
from app.agreements.audit import Evidence
from app.agreements.models import Agreement, AgreementStatus
from app.agreements.service.drafting import claim
from app.extensions import db
from app.jobs import Attempt, enqueue_after_commit

SEAL_JOB = "agreements.seal"


def queue_sealing(agreement: Agreement) -> None:
    """Seal ``agreement`` in the job worker once the completing transaction commits."""
    enqueue_after_commit(SEAL_JOB, agreement.id)


def seal_completed(agreement_id: int, *, attempt: Attempt) -> None:
    """The job: render the final PDF once, seal it, store it; commits."""
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or agreement.status != AgreementStatus.COMPLETED or agreement.pdf_sha256:
        return  # sealed by an earlier attempt, or not ours to seal
    db.session.execute(
        update(Agreement)
        .where(Agreement.id == agreement_id)
        .values(seal_attempts=Agreement.seal_attempts + 1)
    )
    db.session.commit()
    system = Evidence.system("sealing")
    assert agreement.content_hash is not None
    try:
        pdf = rendering.sealed_pdf(agreement)
    except Exception as exc:
        db.session.rollback()
        if attempt.last:
            reason = f"{type(exc).__name__}: {exc}"[:500]
            audit.record(agreement, None, "sealing failed", system, agreement.content_hash, reason)
            db.session.commit()
        raise
    digest = hashlib.sha256(pdf).hexdigest()
    claim(agreement, AgreementStatus.COMPLETED, pdf=pdf, pdf_sha256=digest)
    audit.record(agreement, None, "sealed", system, agreement.content_hash, f"PDF SHA-256 {digest}")
    db.session.commit()


def sweep_unsealed(stale_after: timedelta, max_attempts: int) -> int:
    """Queue again completed agreements left unsealed for ``stale_after``; how many."""
    cutoff = audit.now() - stale_after
    ids = list(
        db.session.scalars(
            select(Agreement.id).where(
                Agreement.status == AgreementStatus.COMPLETED,
                Agreement.pdf_sha256.is_(None),
                Agreement.completed_at < cutoff,
                Agreement.seal_attempts < max_attempts,
            )
        )
    )
    for agreement_id in ids:
        enqueue_after_commit(SEAL_JOB, agreement_id)
    return len(ids)
