"""The public verification page: what the QR code on a sealed PDF opens, signed in or not."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app.agreements import service
from app.agreements.audit import verify_chain

bp = Blueprint("verification", __name__)


@bp.get("/verify/<code>")
def public_verify(code: str) -> str:
    """Status and hashes, never the content; those who may see the agreement get a link."""
    agreement = service.published(code)
    has_access = current_user.is_authenticated and service.can_view(current_user, agreement)
    return render_template(
        "agreements/public_verify.html",
        agreement=agreement,
        has_access=has_access,
        chain=verify_chain(agreement),
        timestamp=service.seal_timestamp(agreement),
    )
