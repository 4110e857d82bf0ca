"""The certificate of a passed attempt: plain values for its PDF, rendered once and kept."""

from __future__ import annotations

import hashlib
from typing import Any

from app.accounts.models import User
from app.accounts.service import organisation
from app.certification import scoring
from app.certification.models import CertificationAttempt
from app.certification.service.records import _day, _name, final_scores
from app.certification.service.rubrics import rubric_spec
from app.curriculum.service import stage_names
from app.errors import Conflict
from app.extensions import db
from app.pdf import render_pdf


def certificate_context(actor: User, attempt: CertificationAttempt) -> dict[str, Any]:
    """Plain values for the certificate PDF of a passed attempt (no ORM objects)."""
    _require_passed(attempt)
    spec = rubric_spec(attempt.rubric)
    finals = final_scores(attempt)
    assessors = attempt.submitted_assessor_assessments
    return {
        "organisation": organisation().name,
        "rep_name": attempt.rep.full_name,
        "rep_title": attempt.rep.job_title,
        "stage_name": stage_names().get(attempt.stage, attempt.stage),
        "rubric_title": spec.title,
        "rubric_version": attempt.rubric.version,
        "assessed_on": _day(attempt.assessed_on) if attempt.assessed_on else "",
        "expires_on": _day(attempt.expires_on) if attempt.expires_on else "",
        "weighted_average": scoring.format_score(attempt.weighted_average or 0),
        "explanation": attempt.explanation,
        "assessors": [_name(a.assessor) for a in assessors],
        "scale_top": spec.levels[-1],
        "scores": [
            {
                "name": c.name,
                "weight": scoring.format_score(c.weight),
                "score": scoring.format_score(finals.get(c.key, 0)),
                "level_name": spec.level_name(round(finals.get(c.key, 0))),
            }
            for c in spec.criteria
        ],
        "certificate_id": f"SR-{attempt.id:06d}",
    }


def certificate_pdf(actor: User, attempt: CertificationAttempt) -> bytes:
    """The certificate's PDF: rendered on the first download, then served as stored.

    A decided attempt's certificate changes only when deciding it again (after a score
    correction) changes what it says; that drops the stored copy (:func:`forget_certificate`).
    """
    _require_passed(attempt)
    stored = attempt.certificate_pdf
    if stored is None:
        stored = render_pdf("pdf/certificate.html", certificate_context(actor, attempt))
        attempt.certificate_pdf = stored
        attempt.certificate_sha256 = hashlib.sha256(stored).hexdigest()
        db.session.flush()
    return stored


def forget_certificate(attempt: CertificationAttempt) -> None:
    """Drop the stored certificate; the next download renders it from the attempt as it is."""
    attempt.certificate_pdf = None
    attempt.certificate_sha256 = None


def _require_passed(attempt: CertificationAttempt) -> None:
    if not attempt.is_decided or not attempt.passed:
        raise Conflict("A certificate is issued only for a passed certification.")
