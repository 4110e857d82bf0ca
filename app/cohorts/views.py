"""The admin's cohort import: upload, preview, import (all or nothing), and the CSV template."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from app.accounts.access import require_role
from app.accounts.models import Role
from app.cohorts import service
from app.cohorts.csvformat import COLUMNS, template_csv
from app.cohorts.forms import ConfirmForm, UploadForm
from app.cohorts.models import CohortUpload
from app.errors import Conflict, Invalid
from app.limits import accepts_upload
from app.web import discard_writes, show_domain_error

bp = Blueprint("cohorts", __name__, url_prefix="/admin/people/import")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in admin; the services check the role."""


@bp.route("", methods=["GET", "POST"])
@accepts_upload
def upload() -> BaseResponse | str:
    require_role(current_user, Role.ADMIN)
    request.max_content_length = service.MAX_FILE_BYTES + 64 * 1024
    form = UploadForm()
    if form.validate_on_submit():
        try:
            stored = service.upload(
                current_user, form.file.data.filename or "", form.file.data.read()
            )
        except Invalid as error:
            show_domain_error(form, error)
        else:
            return redirect(url_for("cohorts.preview", upload_id=stored.id))
    return render_template("cohorts/upload.html", form=form, columns=COLUMNS)


@bp.get("/template.csv")
def template() -> Response:
    require_role(current_user, Role.ADMIN)
    return Response(
        template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="cohort-template.csv"'},
    )


@bp.route("/<int:upload_id>", methods=["GET", "POST"])
def preview(upload_id: int) -> BaseResponse | str | tuple[str, int]:
    stored = service.get_upload(current_user, upload_id)
    form = ConfirmForm()
    if form.validate_on_submit():  # sent again after the import: answered with its result
        try:
            result = service.import_upload(
                current_user, stored, form.fingerprint.data or "", key=form.submission_key.data
            )
        except (Conflict, Invalid) as error:
            discard_writes()
            return _preview_page(stored, ConfirmForm(formdata=None), error.message), 409
        flash(
            f"Imported: {result.created} created, {result.updated} updated; "
            f"{result.invited} invitation(s) sent, {result.plans} plan(s) assigned.",
            "success",
        )
        return redirect(url_for("cohorts.preview", upload_id=stored.id))
    return _preview_page(stored, form)


def _preview_page(stored: CohortUpload, form: ConfirmForm, problem: str = "") -> str:
    found = service.preview(current_user, stored.content) if stored.imported_at is None else None
    if found is not None:
        form.fingerprint.data = found.fingerprint
    return render_template(
        "cohorts/preview.html",
        upload=stored,
        found=found,
        form=form,
        problem=problem,
        Action=service.Action,
    )
