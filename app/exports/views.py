"""Downloads of the tables managers read, as CSV or Excel with the page's query arguments
(filters, search, sort), for whoever may read the page: queued by the page's button, written by
the job worker, followed on a progress page and downloaded from there. A rep's progress report."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from app.accounts import service as accounts
from app.exports import (
    background,
    tables,  # noqa: F401 (importing it registers the tables)
)
from app.exports.models import TableExportStatus
from app.exports.registry import export_named
from app.exports.report import progress_report_pdf

bp = Blueprint("exports", __name__, url_prefix="/exports")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every export needs a signed-in user; each table's builder checks who may read it."""


@bp.get("/<name>.<fmt>")
def download(name: str, fmt: str) -> Response:
    """A link to a table's file (a bookmark, an old email): the page it mirrors, with the same
    filters, whose CSV and Excel buttons have the file written in the background."""
    page = background.page_of(current_user, name, fmt)
    flash("Files are prepared in the background: choose CSV or Excel above the table.", "info")
    args: dict[str, Any] = {k: v for k, v in request.args.items() if not k.startswith("_")}
    return redirect(url_for(page, **args))  # type: ignore[return-value]


@bp.get("/reps/<int:rep_id>/report.pdf")
def progress_report(rep_id: int) -> Response:
    """The rep's progress report for the HR file; for whoever may see the rep's pages."""
    rep = accounts.get_user(rep_id)
    copy = progress_report_pdf(current_user, rep, accounts.local_today(rep))
    if request.if_none_match.contains(copy.fingerprint):
        # The browser holds this report: no PDF read or sent.
        response = Response(status=304, mimetype="application/pdf")
    else:
        filename = f"progress-report-{rep.id}.pdf"
        response = Response(
            copy.pdf,
            mimetype="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )
    # Private (it names a person) and revalidated each time.
    response.set_etag(copy.fingerprint)
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response


@bp.post("/<name>.<fmt>/start")
def start(name: str, fmt: str) -> Response:
    """Queue a large export with the page's filters (sent as the form's fields)."""
    args = {key: value for key, value in request.form.items() if key != "csrf_token"}
    today = accounts.local_today(current_user)
    token = background.start_export(current_user, name, fmt, args, today)
    return redirect(url_for("exports.progress", token=token), 303)  # type: ignore[return-value]


@bp.get("/jobs/<token>")
def progress(token: str) -> str:
    job = background.get_export(current_user, token)
    return render_template("exports/progress.html", job=job, export=tables_title(job.name))


@bp.get("/jobs/<token>/status")
def status(token: str) -> Response:
    job = background.get_export(current_user, token)
    done = job.status == TableExportStatus.DONE
    return jsonify(
        status=job.status.value,
        done=job.done,
        total=job.total,
        percent=job.percent,
        error=job.error,
        download=url_for("exports.job_download", token=job.token) if done else None,
    )


@bp.get("/jobs/<token>/download")
def job_download(token: str) -> Response:
    path, job = background.finished_file(current_user, token)
    mimetype = "text/csv" if job.fmt == "csv" else XLSX
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=path.name)


def tables_title(name: str) -> str:
    return export_named(name).title
