"""Activity pages: a rep's weeks and targets, the rep's day, and importing a CRM's export."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.accounts.models import User
from app.errors import DomainError
from app.limits import accepts_upload
from app.metrics import service
from app.metrics.catalogue import DATE_FORMATS, METRICS
from app.metrics.forms import LogDayForm, StartImportForm, UploadForm, choice_from, mapping_form
from app.metrics.models import ActivityImport, ImportStatus, Origin
from app.web import show_domain_error

bp = Blueprint("metrics", __name__, url_prefix="/activity")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; services decide what they may see."""


def _today() -> date:
    return accounts.local_today(current_user)


@bp.get("/")
def mine() -> str:
    service.require_log(current_user)
    return _activity_page(current_user)


@bp.get("/reps/<int:rep_id>")
def rep_activity(rep_id: int) -> str:
    return _activity_page(accounts.get_user(rep_id))


def _activity_page(rep: User) -> str:
    weeks = service.weeks_of(current_user, rep, _today())
    return render_template(
        "metrics/activity.html",
        rep=rep,
        own=rep.id == current_user.id,
        weeks=weeks,
        shown=service.metrics_reported(weeks),
        origins=list(Origin),
        measured=service.measured_milestones(current_user, rep, _today()),
    )


@bp.route("/log", methods=["GET", "POST"])
def log_day() -> ResponseReturnValue:
    service.require_log(current_user)
    today = _today()
    form = LogDayForm()
    if form.validate_on_submit():
        try:
            service.log_day(current_user, form.day.data, form.values(), today)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"Saved your figures for {form.day.data:%A %-d %B}.", "success")
            return redirect(url_for("metrics.mine"), 303)
    elif request.method == "GET":
        form.day.data = _day_asked(today)
        form.fill(service.logged_day(current_user, form.day.data))
    first, last = service.loggable_days(today)
    return render_template("metrics/log.html", form=form, first=first, last=last)


def _day_asked(today: date) -> date:
    """The day in ``?day=`` when it is one the rep may still log, else today."""
    first, last = service.loggable_days(today)
    try:
        asked = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return today
    return asked if first <= asked <= last else today


# --- importing ---------------------------------------------------------------------------------


@bp.route("/imports", methods=["GET", "POST"])
@accepts_upload
def imports() -> ResponseReturnValue:
    service.require_import(current_user)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            record = service.upload(current_user, form.source.data, upload.filename, upload.read())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            target = "metrics.import_detail" if record.source.mapped else "metrics.mapping"
            return redirect(url_for(target, import_id=record.id), 303)
    return render_template(
        "metrics/imports.html",
        form=form,
        sources=service.list_sources(current_user),
        recent=service.recent_imports(current_user),
    )


@bp.route("/imports/<int:import_id>/mapping", methods=["GET", "POST"])
def mapping(import_id: int) -> ResponseReturnValue:
    record = service.get_import(current_user, import_id)
    headers = service.headers_of(record)
    proposed = service.proposed_mapping(record.source, headers)
    form = mapping_form(headers, proposed, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        try:
            service.save_mapping(current_user, record.source, choice_from(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return redirect(url_for("metrics.import_detail", import_id=record.id), 303)
    metric_fields = [form[f"col_{metric.key}"] for metric in METRICS]
    return render_template(
        "metrics/mapping.html", form=form, record=record, metric_fields=metric_fields
    )


@bp.get("/imports/<int:import_id>")
def import_detail(import_id: int) -> ResponseReturnValue:
    record = service.get_import(current_user, import_id)
    if record.status is ImportStatus.PREVIEW and not record.source.mapped:
        return redirect(url_for("metrics.mapping", import_id=record.id))
    shown = service.preview(current_user, record, _today()) if _previewing(record) else None
    return render_template(
        "metrics/import.html",
        record=record,
        preview=shown,
        form=StartImportForm(),
        metrics=[m for m in METRICS if m.key in record.source.columns],
        date_format=DATE_FORMATS.get(record.source.date_format, record.source.date_format),
    )


def _previewing(record: ActivityImport) -> bool:
    return record.status is ImportStatus.PREVIEW


@bp.post("/imports/<int:import_id>/start")
def start_import(import_id: int) -> Response:
    record = service.get_import(current_user, import_id)
    StartImportForm().validate_on_submit()
    service.start_import(current_user, record, _today())
    return redirect(url_for("metrics.import_detail", import_id=record.id), 303)
