"""Agreements pages: HR's list, drafting and sending, signing, downloads, verifying, export.

The public page the QR code opens is in ``public_views``.
"""

from __future__ import annotations

import io
from datetime import timedelta
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
from app.agreements import rendering, service
from app.agreements.audit import Evidence, now, verify_chain
from app.agreements.consent import CURRENT_CONSENT_VERSION, consent_text
from app.agreements.forms import (
    FILTER_KEYS,
    BulkForm,
    DeclineForm,
    ExportForm,
    SendForm,
    SignForm,
    VerifyForm,
    VoidForm,
    bulk_form,
    choose_form,
    filter_form,
    filters_from,
    form_values,
    typed_values,
    values_form,
)
from app.agreements.models import Agreement, AgreementStatus, ExportStatus, SignerRole
from app.curriculum.schema import AgreementTemplate as TemplateSpec
from app.errors import Invalid
from app.pagination import Page, PageRequest
from app.web import mark_password_entered, password_entered_at, show_domain_error

bp = Blueprint("agreements", __name__, url_prefix="/agreements")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; the service decides what they may see."""


@bp.app_context_processor
def _waiting_count() -> dict[str, Any]:
    def waiting() -> int:
        return service.waiting_count(current_user) if current_user.is_authenticated else 0

    return {"agreements_waiting": waiting}


def _evidence() -> Evidence:
    return Evidence(ip_address=request.remote_addr or "", user_agent=request.user_agent.string)


def _pdf_response(data: bytes, name: str, inline: bool = False) -> Response:
    response = send_file(
        io.BytesIO(data), mimetype="application/pdf", as_attachment=not inline, download_name=name
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _to_detail(agreement: Agreement) -> Response:
    return redirect(url_for("agreements.detail", agreement_id=agreement.id))


# --- lists ------------------------------------------------------------------------------------


@bp.get("")
def index() -> Response | str:
    if not service.can_list(current_user):
        return redirect(url_for("agreements.mine"))
    page_request = PageRequest.from_args(request.args, tuple(service.SORTS), service.DEFAULT_SORT)
    listing = service.list_page(current_user, filters_from(request.args), page_request)
    export_form = ExportForm(data={k: request.args.get(k, "") for k in FILTER_KEYS})
    return render_template(
        "agreements/index.html",
        form=filter_form(request.args, accounts.teams()),
        listing=listing,
        page=listing.page,
        export_form=export_form,
        can_manage=service.can_manage(current_user),
    )


@bp.get("/mine")
def mine() -> str:
    own = service.agreements_of(current_user, current_user)
    waiting = service.waiting_page(current_user, PageRequest.from_args(request.args, ()))
    return render_template("agreements/mine.html", waiting=waiting, own=own)


# --- drafting ---------------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
def new() -> Response | str:
    service.require_manage(current_user)
    rep_id, key = request.args.get("rep_id", ""), request.args.get("template", "")
    typed = request.args.get("rep_q", "").strip()[:100]
    # A search typed since the list was shown makes the rep chosen from that list stale.
    searching = request.args.get("action") == "Find" or typed != request.args.get("shown_q", "")
    if searching or not (rep_id.isdigit() and key):
        return _choose_page(key, typed, searching)
    rep = accounts.get_user(int(rep_id))
    spec = service.spec_of(service.current_template(key))
    form = _values_form(spec, key)
    if form.validate_on_submit():
        values = typed_values(form, spec)
        try:
            agreement = service.create_draft(current_user, rep, key, values, _evidence())
        except Invalid as error:
            show_domain_error(form, _prefixed(error))
        else:
            flash("Draft saved. Check the preview, then send it.", "success")
            return _to_detail(agreement)
    return render_template("agreements/edit.html", form=form, spec=spec, rep=rep, agreement=None)


def _choose_page(key: str, typed: str, searching: bool) -> Response | str:
    """Step one: find the rep by name or email (no JavaScript needed), choose the template.

    Continuing with a search that finds exactly one rep, and a template, goes straight on.
    """
    matches = service.find_reps(current_user, typed)
    continuing = request.args.get("action") == "continue"
    if continuing and key and typed and matches.total == 1:
        return redirect(url_for("agreements.new", rep_id=matches.items[0].id, template=key))
    choose = choose_form(
        request.args, matches.items, service.current_templates(), _shown(matches, typed)
    )
    choose.shown_q.data = typed
    if searching:
        choose.rep_id.data = str(matches.items[0].id) if matches.total == 1 else ""
    if typed and not matches.total:
        choose.rep_q.errors = [
            f"No active rep's name or email contains “{typed}”. Check the spelling, "
            "or try part of their email."
        ]
    elif continuing and not choose.rep_id.data:
        choose.rep_id.errors = ["Choose the rep from the list (find them by name first)."]
    if continuing and not key:
        choose.template.errors = ["Choose an agreement."]
    return render_template("agreements/choose.html", choose=choose)


def _shown(matches: Page[Any], typed: str) -> str:
    """What the rep list holds, said next to it: all matches, or the first of many."""
    which = f"matching “{typed}”" if typed else "in all"
    if matches.total > len(matches.items):
        return (
            f"Showing the first {len(matches.items)} of {matches.total:,} reps {which}. "
            "Type more of the name to narrow the list."
        )
    if typed and matches.total:
        return f"{matches.total} rep{'' if matches.total == 1 else 's'} {which}."
    return ""


def _prefixed(error: Invalid) -> Invalid:
    """The service names variables; the generated form's fields carry a prefix."""
    return Invalid(error.message, field=f"v_{error.field}" if error.field else None)


def _values_form(spec: TemplateSpec, key: str) -> FlaskForm:
    """The variables form: what was posted, or the template's defaults on a first visit."""
    if request.method == "POST":
        return values_form(spec)
    return values_form(spec, form_values(spec, service.initial_values(key)))


@bp.route("/<int:agreement_id>/edit", methods=["GET", "POST"])
def edit(agreement_id: int) -> Response | str:
    agreement = service.draft_to_edit(current_user, agreement_id)
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
            return _to_detail(agreement)
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
        can_edit=service.can_edit(current_user, agreement),
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
    return _to_detail(agreement)


@bp.post("/<int:agreement_id>/void")
def void(agreement_id: int) -> Response | str:
    agreement = service.get_agreement(current_user, agreement_id)
    form = VoidForm()
    if form.validate_on_submit():
        service.void(current_user, agreement, form.reason.data or "", _evidence())
        flash("The agreement is voided. To change it, draft and send a new one.", "info")
    else:
        flash(" ".join(form.reason.errors) or "Say why the agreement is voided.", "warning")
    return _to_detail(agreement)


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
    form = bulk_form(accounts.teams(), service.cohorts(current_user))
    values = _values_form(spec, key)
    done = None
    if request.method == "POST" and form.validate_on_submit() and values.validate():
        done = _preview_or_send(key, spec, form, values)
        if done is not None and done.sent is not None:
            flash(f"Sent {len(done.sent)} agreements to sign.", "success")
            return redirect(url_for("agreements.index", status="sent"))
    previews = done.previews if done is not None else None
    return render_template(
        "agreements/bulk.html", form=form, values=values, spec=spec, previews=previews
    )


def _preview_or_send(
    key: str, spec: TemplateSpec, form: BulkForm, values: FlaskForm
) -> service.BulkRound | None:
    """Send if "send" was pressed on an unchanged preview, else preview; None if refused."""
    confirmed = form.previewed.data if request.form.get("action") == "send" else None
    raw, cohort = typed_values(values, spec), form.cohort.data or None
    try:
        done = service.preview_or_send(
            current_user, key, form.team_id, cohort, raw, _evidence(), confirmed
        )
    except Invalid as error:
        show_domain_error(values, _prefixed(error))
        return None
    form.previewed.data = done.fingerprint  # "send" now sends exactly what is previewed
    return done


# --- signing ----------------------------------------------------------------------------------


@bp.route("/<int:agreement_id>/sign", methods=["GET", "POST"])
def sign(agreement_id: int) -> Response | str:
    agreement = service.get_agreement(current_user, agreement_id)
    role = service.require_sign(current_user, agreement)
    form = SignForm()
    if request.method == "GET":
        service.record_opened(current_user, agreement, _evidence())
    elif form.validate_on_submit():
        given = form.signature(password_entered_at())
        try:
            service.sign(current_user, agreement, given, _evidence(), _reauth_window())
        except Invalid as error:
            show_domain_error(form, error)
        else:
            if given.password:
                mark_password_entered()
            flash(_signed_message(agreement), "success")
            return _to_detail(agreement)
    return _sign_page(agreement, role, form)


def _sign_page(agreement: Agreement, role: SignerRole, form: SignForm) -> str:
    return render_template(
        "agreements/sign.html",
        agreement=agreement,
        role=role,
        view=rendering.agreement_view(agreement, with_trail=False),
        form=form,
        decline_form=DeclineForm(),
        consent=consent_text(CURRENT_CONSENT_VERSION),
        needs_password=service.needs_password(password_entered_at(), now(), _reauth_window()),
    )


def _reauth_window() -> timedelta:
    return timedelta(minutes=current_app.config["REAUTH_MINUTES"])


def _signed_message(agreement: Agreement) -> str:
    if agreement.status == AgreementStatus.COMPLETED:
        return "Signed. The agreement is complete and sealed; you can download the PDF."
    return "Signed. The agreement now waits for the countersignature."


@bp.post("/<int:agreement_id>/read")
def reached_end(agreement_id: int) -> Response:
    """Called by the signing page's script when the signer reaches the end of the document."""
    agreement = service.get_agreement(current_user, agreement_id)
    service.require_sign(current_user, agreement)
    recorded = service.record_reached_end(current_user, agreement, _evidence())
    return jsonify(recorded=recorded)


@bp.post("/<int:agreement_id>/decline")
def decline(agreement_id: int) -> Response:
    agreement = service.get_agreement(current_user, agreement_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        flash(" ".join(form.reason.errors) or "Say why you decline.", "warning")
        return redirect(url_for("agreements.sign", agreement_id=agreement.id))
    service.decline(current_user, agreement, form.reason.data or "", _evidence())
    flash("You declined this agreement. HR has your reason and will follow up.", "info")
    return redirect(url_for("agreements.mine"))


# --- the sealed PDF ---------------------------------------------------------------------------


@bp.get("/<int:agreement_id>/download")
def download(agreement_id: int) -> Response:
    agreement = service.get_agreement(current_user, agreement_id)
    pdf = service.sealed_pdf_of(agreement)
    return _pdf_response(pdf, service.file_name(agreement))


@bp.get("/<int:agreement_id>/print")
def print_view(agreement_id: int) -> str:
    agreement = service.get_agreement(current_user, agreement_id)
    return render_template(
        "agreements/print.html", agreement=agreement, view=rendering.agreement_view(agreement)
    )


@bp.route("/verify", methods=["GET", "POST"])
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
        download=url_for("agreements.export_download", token=job.token)
        if job.status == ExportStatus.DONE
        else None,
    )


@bp.get("/exports/<token>/download")
def export_download(token: str) -> Response:
    directory = Path(current_app.config["EXPORT_DIR"])
    path = service.finished_export(current_user, token, directory)
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=path.name)
