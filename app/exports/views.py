"""Downloads of the tables managers read: ``/exports/<name>.csv`` or ``.xlsx`` with the page's
query arguments (filters, search, sort), for whoever may read the page."""

from __future__ import annotations

from flask import Blueprint, Response, request, stream_with_context
from flask_login import current_user, login_required

from app.accounts import service as accounts
from app.errors import NotFound
from app.exports import tables  # noqa: F401 (registers the tables)
from app.exports.registry import export_named
from app.exports.report import progress_report_pdf
from app.exports.writing import csv_chunks, xlsx_bytes

bp = Blueprint("exports", __name__, url_prefix="/exports")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every export needs a signed-in user; each table's builder checks who may read it."""


@bp.get("/<name>.<fmt>")
def download(name: str, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise NotFound("Exports are CSV or Excel (.xlsx).")
    export = export_named(name)
    today = accounts.local_today(current_user)
    table = export.build(current_user, request.args, today)
    filename = f"{export.name}-{today.isoformat()}.{fmt}"
    if fmt == "csv":
        # The rows are read before the response starts; only the writing is streamed.
        table = type(table)(table.columns, list(table.rows))
        response = Response(
            stream_with_context(csv_chunks(table)), mimetype="text/csv; charset=utf-8"
        )
    else:
        response = Response(xlsx_bytes(table, export.title), mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/reps/<int:rep_id>/report.pdf")
def progress_report(rep_id: int) -> Response:
    """The rep's progress report for the HR file; for whoever may see the rep's pages."""
    rep = accounts.get_user(rep_id)
    pdf = progress_report_pdf(current_user, rep, accounts.local_today(rep))
    filename = f"progress-report-{rep.id}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
