"""The agreements blueprint and what its pages share: sign-in, evidence."""

from __future__ import annotations

import io

from flask import Blueprint, redirect, request, send_file, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app.agreements.audit import Evidence
from app.agreements.models import Agreement

bp = Blueprint("agreements", __name__, url_prefix="/agreements")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; the service decides what they may see."""


def evidence() -> Evidence:
    return Evidence(ip_address=request.remote_addr or "", user_agent=request.user_agent.string)


def pdf_response(data: bytes, name: str, inline: bool = False) -> Response:
    response = send_file(
        io.BytesIO(data), mimetype="application/pdf", as_attachment=not inline, download_name=name
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def to_detail(agreement: Agreement) -> Response:
    return redirect(url_for("agreements.detail", agreement_id=agreement.id))
