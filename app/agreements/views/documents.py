"""The sealed PDF, the print view, checking an uploaded PDF, and exports."""

from __future__ import annotations

import io
from pathlib import Path

from flask import current_app, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.agreements import rendering, service
from app.agreements.forms import ExportForm, VerifyForm, filters_from
from app.agreements.models import ExportStatus
from app.agreements.views.blueprint import bp, pdf_response
from app.errors import Invalid
from app.limits import accepts_upload
from app.web import show_domain_error


@bp.get("/<int:agreement_id>/download")
def download(agreement_id: int) -> Response:
    agreement = service.get_agreement(current_user, agreement_id)
    pdf = service.sealed_pdf_of(agreement)
    return pdf_response(pdf, service.file_name(agreement))


@bp.get("/<int:agreement_id>/print")
def print_view(agreement_id: int) -> str:
    agreement = service.get_agreement(current_user, agreement_id)
    return render_template(
        "agreements/print.html", agreement=agreement, view=rendering.agreement_view(agreement)
    )


@bp.route("/verify", methods=["GET", "POST"])
@accepts_upload
def verify() -> str:
    service.require_manage(current_user)
    request.max_content_length = service.MAX_UPLOAD_BYTES + 64 * 1024  # refuse huge uploads early
    form = VerifyForm()
    verdict = None
    if form.validate_on_submit():
        try:
            verdict = service.verify_upload(current_user, form.pdf.data)
        except Invalid as error:
            show_domain_error(form, error)
    return render_template("agreements/verify.html", form=form, verdict=verdict)


# --- export -----------------------------------------------------------------------------------


@bp.post("/export")
def start_export() -> Response:
    ExportForm().validate_on_submit()
    limit = current_app.config["EXPORT_INLINE_LIMIT"]
    export = service.export_selection(current_user, filters_from(request.form), limit)
    if isinstance(export, service.InlineExport):
        return send_file(
            io.BytesIO(export.data),
            mimetype="application/zip",
            as_attachment=True,
            download_name=export.name,
        )
    return redirect(url_for("agreements.export_progress", token=export.token), 303)


@bp.get("/exports/<token>")
def export_progress(token: str) -> str:
    job = service.get_export(current_user, token)
    return render_template("agreements/export.html", job=job)


@bp.get("/exports/<token>/status")
def export_status(token: str) -> Response:
    job = service.get_export(current_user, token)
    return jsonify(
        status=job.status.value,
        done=job.done,
        total=job.total,
        percent=job.percent,
        error=job.error,  # why it failed, or why an attempt failed and it is being retried
        download=url_for("agreements.export_download", token=job.token)
        if job.status == ExportStatus.DONE
        else None,
    )


@bp.get("/exports/<token>/download")
def export_download(token: str) -> Response:
    directory = Path(current_app.config["EXPORT_DIR"])
    path = service.finished_export(current_user, token, directory)
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=path.name)
