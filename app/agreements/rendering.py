"""Agreements as plain values for pages and PDFs, the QR code, and the sealed PDF.

Pages and PDFs include the same partials (``templates/agreements/_document.html`` and friends)
with the same plain dicts built here, so the preview is the document that gets signed.
"""

from __future__ import annotations

import base64
from io import BytesIO
from pathlib import Path
from typing import Any

import qrcode
import qrcode.image.svg
from flask import Flask, current_app

from app.accounts.service import organisation
from app.agreements.audit import events_of
from app.agreements.consent import CONSENT_TEXTS
from app.agreements.models import Agreement, AgreementEvent, AgreementSignature
from app.agreements.seal import (
    SealCheck,
    SealKey,
    TimestampAuthority,
    check_seal,
    configured_key_problem,
    load_seal_key,
    retired_seal_keys,
    seal_pdf,
)
from app.agreements.service.drafting import document_hash, document_of
from app.config import SettingError
from app.extensions import db
from app.pdf import render_pdf


def seal_key() -> SealKey:
    """The organisation's seal: the configured PKCS#12, or the instance's generated one."""
    config = current_app.config
    p12 = config.get("SEAL_P12")
    return load_seal_key(
        Path(p12) if p12 else None, config.get("SEAL_PASSPHRASE"), Path(config["SEAL_KEY_DIR"])
    )


def check_seal_configuration(app: Flask) -> None:
    """Refuse to start with a configured seal certificate that cannot seal (see the reason)."""
    p12 = app.config.get("SEAL_P12")
    if not p12:
        return
    problem = configured_key_problem(Path(p12), app.config.get("SEAL_PASSPHRASE"))
    if problem:
        raise SettingError(f"SALESRAMP_SEAL_P12 ({p12}) cannot seal agreements: {problem}.")


def timestamp_authority() -> TimestampAuthority | None:
    """The configured TSA (``SALESRAMP_TSA_URL``), or None: seals are then PAdES B-B."""
    config = current_app.config
    roots = config.get("TSA_TRUST_ROOTS")
    return TimestampAuthority.configured(config.get("TSA_URL"), Path(roots) if roots else None)


def check_our_seal(pdf: bytes) -> SealCheck:
    """Is ``pdf`` sealed, unchanged, by this organisation's key (or a key it generated before)?"""
    config = current_app.config
    tsa = timestamp_authority()
    retired = () if config.get("SEAL_P12") else retired_seal_keys(Path(config["SEAL_KEY_DIR"]))
    return check_seal(pdf, seal_key(), retired, tsa.trust_roots if tsa else ())


def verification_url(code: str) -> str:
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/verify/{code}"


def qr_data_uri(url: str) -> str:
    """A QR code for ``url`` as an SVG ``data:`` URI: nothing to fetch when rendering."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def signature_view(signature: AgreementSignature) -> dict[str, Any]:
    return {
        "role": signature.role.label,
        "name_on_record": signature.name_on_record,
        "typed_name": signature.typed_name,
        "signed_at": signature.signed_at,
        "opened_at": signature.opened_at,
        "reached_end_at": signature.reached_end_at,
        "consent_version": signature.consent_version,
        "ip_address": signature.ip_address or "—",
        "user_agent": signature.user_agent or "—",
        "content_hash": signature.content_hash,
    }


def event_view(event: AgreementEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "action": event.action,
        "actor": event.actor_name,
        "actor_email": event.actor_email,
        "at": event.at,
        "ip_address": event.ip_address or "—",
        "user_agent": event.user_agent or "—",
        "content_hash": event.content_hash,
        "detail": event.detail,
        "hash": event.hash,
    }


def agreement_view(agreement: Agreement, *, with_trail: bool = True) -> dict[str, Any]:
    """Everything the document, signature and certificate partials show, as plain values."""
    db.session.refresh(agreement, ["signatures"])
    signatures = [signature_view(s) for s in agreement.signatures]
    used_versions = sorted({s["consent_version"] for s in signatures})
    return {
        "document": document_of(agreement),
        "content_hash": document_hash(agreement),
        "status": agreement.status.label,
        "code": agreement.verification_code,
        "verify_url": verification_url(agreement.verification_code),
        "signatures": signatures,
        "consent_texts": {version: CONSENT_TEXTS[version] for version in used_versions},
        "events": [event_view(e) for e in events_of(agreement)] if with_trail else [],
        "sent_at": agreement.sent_at,
        "completed_at": agreement.completed_at,
    }


def preview_pdf(agreement: Agreement) -> bytes:
    """The document exactly as the PDF will lay it out, marked as a preview, unsealed."""
    view = agreement_view(agreement, with_trail=False)
    return render_pdf("pdf/agreement.html", {"view": view, "preview": True})


def final_html_context(agreement: Agreement) -> dict[str, Any]:
    view = agreement_view(agreement)
    view["qr"] = qr_data_uri(view["verify_url"])
    view["organisation"] = organisation().name
    return {"view": view, "preview": False}


def sealed_pdf(agreement: Agreement) -> bytes:
    """The final PDF: document, signature page, certificate of completion; then sealed."""
    pdf = render_pdf("pdf/agreement.html", final_html_context(agreement))
    return seal_pdf(
        pdf,
        seal_key(),
        agreement.verification_code,
        organisation().name,
        timestamp_authority(),
    )
