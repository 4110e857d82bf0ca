"""Agreements pages: HR's list, drafting and sending, signing, downloads, verification, export."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.accounts.freshness import mark_password_entered, password_entered_at
from app.agreements import bulk as sending
from app.agreements import export, rendering, service, signing
from app.agreements.audit import Evidence, now, verify_chain
from app.agreements.consent import CURRENT_CONSENT_VERSION, consent_text
from app.agreements.forms import (
    ChooseForm,
    DeclineForm,
    ExportForm,
    FilterForm,
    SendForm,
    SignForm,
    VerifyForm,
    VoidForm,
    bulk_form,
    form_values,
    typed_values,
    values_form,
)
from app.agreements.models import Agreement, AgreementKind, AgreementStatus, ExportStatus
from app.agreements.verification import MAX_UPLOAD_BYTES, verify_pdf
from app.curriculum.schema import AgreementTemplate as TemplateSpec
from app.errors import Conflict, Invalid, NotFound
from app.transaction import after_commit
from app.web import show_domain_error

bp = Blueprint("agreements", __name__, url_prefix="/agreements")
public_bp = Blueprint("verification", __name__)


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; the service decides what they may see."""


@bp.app_context_processor
def _waiting_count() -> dict[str, Any]:
    def waiting() -> int:
        return len(service.waiting_for(current_user)) if current_user.is_authenticated else 0

    return {"agreements_waiting": waiting}


def _evidence() -> Evidence:
    return Evidence(ip_address=request.remote_addr or "", user_agent=request.user_agent.string)


def _pdf_response(data: bytes, name: str, inline: bool = False) -> Response:
    response = send_file(
        io.BytesIO(data), mimetype="application/pdf", as_attachment=not inline, download_name=name
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# --- lists ------------------------------------------------------------------------------------


@bp.get("")
def index() -> Response | str:
    if not service.can_manage(current_user) and not current_user.has_role("coach"):
        return redirect(url_for("agreements.mine"))
    form = FilterForm(request.args)
    _filter_choices(form)
    filters = _filters(request.args)
    agreements = service.list_agreements(current_user, filters)
    export_form = ExportForm(data={k: request.args.get(k, "") for k in _FILTER_KEYS})
    return render_template(
        "agreements/index.html",
        form=form,
        agreements=agreements,
        export_form=export_form,
        can_manage=service.can_manage(current_user),
    )


_FILTER_KEYS = ("status", "kind", "team", "rep", "date_from", "date_to")


def _filter_choices(form: FilterForm) -> None:
    form.team.choices = [("", "All teams"), *((str(t.id), t.name) for t in accounts.teams())]
    reps = sending.reps_in_group(current_user) if service.can_manage(current_user) else []
    form.rep.choices = [("", "All reps"), *((str(r.id), r.full_name) for r in reps)]


def _filters(args: Any) -> service.AgreementFilters:
    def number(key: str) -> int | None:
        value = args.get(key, "")
        return int(value) if value.isdigit() else None

    def day(key: str) -> Any:
        try:
            return date.fromisoformat(args.get(key, ""))
        except ValueError:
            return None

    status, kind = args.get("status", ""), args.get("kind", "")
    return service.AgreementFilters(
        status=AgreementStatus(status) if status in set(AgreementStatus) else None,
        kind=AgreementKind(kind) if kind in set(AgreementKind) else None,
        team_id=number("team"),
        rep_id=number("rep"),
        date_from=day("date_from"),
        date_to=day("date_to"),
    )


@bp.get("/mine")
def mine() -> str:
    own = service.agreements_of(current_user, current_user)
    return render_template(
        "agreements/mine.html", waiting=service.waiting_for(current_user), own=own
    )


# --- drafting ---------------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
def new() -> Response | str:
    service.require_manage(current_user)
    choose = ChooseForm(request.args)
    reps = sending.reps_in_group(current_user)
    choose.rep_id.choices = [("", "Choose a rep"), *((str(r.id), r.full_name) for r in reps)]
    choose.template.choices = [
        ("", "Choose an agreement"),
        *((t.template_key, f"{t.title} ({t.kind.label})") for t in service.current_templates()),
    ]
    rep_id, key = request.args.get("rep_id", ""), request.args.get("template", "")
    if not (rep_id.isdigit() and key):
        return render_template("agreements/choose.html", choose=choose)
    rep = accounts.get_user(int(rep_id))
    spec = service.spec_of(service.current_template(key))
    form = _values_form(spec, key)
    if form.validate_on_submit():
        try:
            agreement = service.create_draft(
                current_user, rep, key, typed_values(form, spec), _evidence()
            )
        except Invalid as error:
            show_domain_error(form, _prefixed(error))
        else:
            flash("Draft saved. Check the preview, then send it.", "success")
            return redirect(url_for("agreements.detail", agreement_id=agreement.id))
    return render_template("agreements/edit.html", form=form, spec=spec, rep=rep, agreement=None)


def _prefixed(error: Invalid) -> Invalid:
    """The service names variables; the generated form's fields carry a prefix."""
    return Invalid(error.message, field=f"v_{error.field}" if error.field else None)


@bp.route("/<int:agreement_id>/edit", methods=["GET", "POST"])
def edit(agreement_id: int) -> Response | str:
    agreement = service.get_agreement(current_user, agreement_id)
    service.require_manage(current_user)
    if agreement.status != AgreementStatus.DRAFT:
        raise Conflict(service.FROZEN_MESSAGE)
    spec = service.spec_of(agreement.template)
    stored = None if request.method == "POST" else form_values(spec, agreement.values)
    form = values_form(spec, stored)
    if form.validate_on_submit():
        try:
            service.update_draft(current_user, agreement, typed_values(form, spec), _evidence())
        except Invalid as error:
            show_domain_error(form, _prefixed(error))
        else:
            flash("Draft updated.", "success")
            return redirect(url_for("agreements.detail", agreement_id=agreement.id))
    return render_template(
        "agreements/edit.html", form=form, spec=spec, rep=agreement.rep, agreement=agreement
    )


@bp.get("/<int:agreement_id>")
def detail(agreement_id: int) -> str:
    agreement = service.get_agreement(current_user, agreement_id)
    return render_template(
        "agreements/detail.html",
        agreement=agreement,
        view=rendering.agreement_view(agreement),
        chain=verify_chain(agreement),
        can_manage=service.can_manage(current_user),
        pending=service.pending_role(current_user, agreement),
        send_form=SendForm(),
        void_form=VoidForm(),
    )


@bp.post("/<int:agreement_id>/send")
def send(agreement_id: int) -> Response:
    agreement = service.get_agreement(current_user, agreement_id)
    if SendForm().validate_on_submit():
        service.send(current_user, agreement, _evidence())
        flash(f"Sent to {agreement.rep.full_name} to sign.", "success")
    return redirect(url_for("agreements.detail", agreement_id=agreement.id))


@bp.post("/<int:agreement_id>/void")
def void(agreement_id: int) -> Response | str:
    agreement = service.get_agreement(current_user, agreement_id)
    form = VoidForm()
    if form.validate_on_submit():
        service.void(current_user, agreement, form.reason.data or "", _evidence())
        flash("The agreement is voided. To change it, draft and send a new one.", "info")
    else:
        flash(" ".join(form.reason.errors) or "Say why the agreement is voided.", "warning")
    return redirect(url_for("agreements.detail", agreement_id=agreement.id))


@bp.get("/<int:agreement_id>/preview.pdf")
def preview_pdf(agreement_id: int) -> Response:
    agreement = service.get_agreement(current_user, agreement_id)
    name = f"agreement-{agreement.id}-preview.pdf"
    return _pdf_response(rendering.preview_pdf(agreement), name, inline=True)


@bp.route("/bulk", methods=["GET", "POST"])
def bulk() -> Response | str:
    """One template to a team or a start cohort: preview every rep's document, then send."""
    service.require_manage(current_user)
    templates = service.current_templates()
    key = request.args.get("template", "")
    if key not in {t.template_key for t in templates}:
        return render_template("agreements/bulk_choose.html", templates=templates)
    spec = service.spec_of(service.current_template(key))
    form = bulk_form(accounts.teams(), sending.cohorts(current_user))
    values = _values_form(spec, key)
    previews = None
    if request.method == "POST" and form.validate_on_submit() and values.validate():
        team_id = int(form.team.data) if (form.team.data or "").isdigit() else None
        reps = sending.reps_in_group(current_user, team_id, form.cohort.data or None)
        raw = typed_values(values, spec)
        try:
            fingerprint = sending.bulk_fingerprint(key, reps, raw)
            if request.form.get("action") == "send" and form.previewed.data == fingerprint:
                sent = sending.send_many(current_user, key, reps, raw, _evidence())
                flash(f"Sent {len(sent)} agreements to sign.", "success")
                return redirect(url_for("agreements.index", status="sent"))
            previews = sending.preview_many(current_user, key, reps, raw)
            form.previewed.data = fingerprint  # "send" now sends exactly this
        except Invalid as error:
            show_domain_error(values, _prefixed(error))
    return render_template(
        "agreements/bulk.html", form=form, values=values, spec=spec, previews=previews
    )


def _values_form(spec: TemplateSpec, key: str) -> FlaskForm:
    """The variables form: what was posted, or the template's defaults on a first visit."""
    if request.method == "POST":
        return values_form(spec)
    return values_form(spec, form_values(spec, service.initial_values(key)))


# --- signing ----------------------------------------------------------------------------------


@bp.route("/<int:agreement_id>/sign", methods=["GET", "POST"])
def sign(agreement_id: int) -> Response | str:
    agreement = service.get_agreement(current_user, agreement_id)
    role = signing.require_signer(current_user, agreement)
    form = SignForm()
    window = timedelta(minutes=current_app.config["REAUTH_MINUTES"])
    if request.method == "GET":
        signing.record_opened(current_user, agreement, _evidence())
    elif form.validate_on_submit():
        given = _signature_input(form)
        try:
            signing.sign(current_user, agreement, given, _evidence(), window)
        except Invalid as error:
            show_domain_error(form, error)
        else:
            if given.password:
                mark_password_entered()
            flash(_signed_message(agreement), "success")
            return redirect(url_for("agreements.detail", agreement_id=agreement.id))
    return render_template(
        "agreements/sign.html",
        agreement=agreement,
        role=role,
        view=rendering.agreement_view(agreement, with_trail=False),
        form=form,
        decline_form=DeclineForm(),
        consent=consent_text(CURRENT_CONSENT_VERSION),
        needs_password=signing.needs_password(password_entered_at(), now(), window),
    )


def _signature_input(form: SignForm) -> signing.SignatureInput:
    return signing.SignatureInput(
        typed_name=form.typed_name.data or "",
        consent=bool(form.consent.data),
        consent_version=form.consent_version.data or "",
        password=form.password.data or "",
        signed_in_at=password_entered_at(),
    )


def _signed_message(agreement: Agreement) -> str:
    if agreement.status == AgreementStatus.COMPLETED:
        return "Signed. The agreement is complete and sealed; you can download the PDF."
    return "Signed. The agreement now waits for the countersignature."


@bp.post("/<int:agreement_id>/read")
def reached_end(agreement_id: int) -> Response:
    """Called by the signing page's script when the signer reaches the end of the document."""
    agreement = service.get_agreement(current_user, agreement_id)
    signing.require_signer(current_user, agreement)
    recorded = signing.record_reached_end(current_user, agreement, _evidence())
    return jsonify(recorded=recorded)


@bp.post("/<int:agreement_id>/decline")
def decline(agreement_id: int) -> Response:
    agreement = service.get_agreement(current_user, agreement_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        flash(" ".join(form.reason.errors) or "Say why you decline.", "warning")
        return redirect(url_for("agreements.sign", agreement_id=agreement.id))
    signing.decline(current_user, agreement, form.reason.data or "", _evidence())
    flash("You declined this agreement. HR has your reason and will follow up.", "info")
    return redirect(url_for("agreements.mine"))


# --- the sealed PDF ---------------------------------------------------------------------------


@bp.get("/<int:agreement_id>/download")
def download(agreement_id: int) -> Response:
    agreement = service.get_agreement(current_user, agreement_id)
    pdf = service.sealed_pdf_of(agreement)
    return _pdf_response(pdf, export.file_name(agreement))


@bp.get("/<int:agreement_id>/print")
def print_view(agreement_id: int) -> str:
    agreement = service.get_agreement(current_user, agreement_id)
    return render_template(
        "agreements/print.html", agreement=agreement, view=rendering.agreement_view(agreement)
    )


@bp.route("/verify", methods=["GET", "POST"])
def verify() -> str:
    service.require_manage(current_user)
    request.max_content_length = MAX_UPLOAD_BYTES + 64 * 1024  # refuse huge uploads early
    form = VerifyForm()
    verdict = None
    if form.validate_on_submit():
        data = form.pdf.data.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            form.pdf.errors = ["This file is too large to be a SalesRamp agreement."]
        else:
            verdict = verify_pdf(data)
    return render_template("agreements/verify.html", form=form, verdict=verdict)


@public_bp.get("/verify/<code>")
def public_verify(code: str) -> str:
    """What the QR code on a sealed PDF opens: status and hashes, never the content."""
    agreement = service.find_by_code(code)
    if agreement is None or agreement.status == AgreementStatus.DRAFT:
        raise NotFound("There is no agreement with this verification code.")
    has_access = current_user.is_authenticated and service.can_view(current_user, agreement)
    return render_template(
        "agreements/public_verify.html",
        agreement=agreement,
        has_access=has_access,
        chain=verify_chain(agreement),
    )


# --- export -----------------------------------------------------------------------------------


@bp.post("/export")
def start_export() -> Response:
    form = ExportForm()
    form.validate_on_submit()
    ids = export.selection(current_user, _filters(request.form))
    if len(ids) <= current_app.config["EXPORT_INLINE_LIMIT"]:
        buffer = io.BytesIO()
        export.write_zip(ids, buffer)
        buffer.seek(0)
        name = f"agreements-{now():%Y%m%d-%H%M%S}.zip"
        return send_file(buffer, mimetype="application/zip", as_attachment=True, download_name=name)
    job = export.start_export(current_user, ids)
    app, job_id = current_app._get_current_object(), job.id  # type: ignore[attr-defined]
    after_commit(lambda: export.run_in_thread(app, job_id))
    return redirect(url_for("agreements.export_progress", token=job.token), 303)


@bp.get("/exports/<token>")
def export_progress(token: str) -> str:
    job = export.get_export(current_user, token)
    return render_template("agreements/export.html", job=job)


@bp.get("/exports/<token>/status")
def export_status(token: str) -> Response:
    job = export.get_export(current_user, token)
    return jsonify(
        status=job.status.value,
        done=job.done,
        total=job.total,
        percent=job.percent,
        download=url_for("agreements.export_download", token=job.token)
        if job.status == ExportStatus.DONE
        else None,
    )


@bp.get("/exports/<token>/download")
def export_download(token: str) -> Response:
    job = export.get_export(current_user, token)
    if job.status != ExportStatus.DONE:
        raise Conflict("This export is not ready yet.")
    path = export.export_path(Path(current_app.config["EXPORT_DIR"]), job)
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=path.name)
