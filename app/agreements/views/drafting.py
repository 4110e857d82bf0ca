"""Drafting agreements: choosing a rep and template, the values form, sending, voiding, bulk."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.accounts.models import User
from app.agreements import rendering, service
from app.agreements.audit import verify_chain
from app.agreements.forms import (
    BulkForm,
    SendForm,
    VoidForm,
    bulk_form,
    choose_form,
    form_values,
    override_reason_of,
    typed_values,
    values_form,
)
from app.agreements.views.blueprint import bp, evidence, pdf_response, to_detail
from app.curriculum.schema import AgreementTemplate as TemplateSpec
from app.errors import ChangedMeanwhile, Invalid
from app.lookup import parse_id
from app.pagination import Page
from app.web import discard_writes, show_domain_error


@bp.route("/new", methods=["GET", "POST"])
def new() -> Response | str:
    service.require_manage(current_user)
    rep_id, key = request.args.get("rep_id", ""), request.args.get("template", "")
    typed = request.args.get("rep_q", "").strip()[:100]
    # A search typed since the list was shown makes the rep chosen from that list stale.
    searching = request.args.get("action") == "Find" or typed != request.args.get("shown_q", "")
    rep_number = parse_id(rep_id)
    if searching or not (rep_number and key):
        return _choose_page(key, typed, searching)
    rep = accounts.get_user(rep_number)
    spec = service.spec_of(service.current_template(key))
    form = _values_form(spec, key, rep)
    if form.validate_on_submit():
        values, reason = typed_values(form, spec), override_reason_of(form)
        try:
            agreement = service.create_draft(
                current_user, rep, key, values, evidence(), override_reason=reason
            )
        except Invalid as error:
            show_domain_error(form, _prefixed(error))
        else:
            flash("Draft saved. Check the preview, then send it.", "success")
            return to_detail(agreement)
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
    if error.field in (None, service.OVERRIDE_REASON):
        return error
    return Invalid(error.message, field=f"v_{error.field}")


def _values_form(spec: TemplateSpec, key: str, rep: User | None = None) -> FlaskForm:
    """The variables form: what was posted, or on a first visit the template's defaults (with
    the targets of the rep's own plan, when drafting for one rep)."""
    if request.method == "POST":
        return values_form(spec)
    return values_form(spec, form_values(spec, service.initial_values(key, rep)))


@bp.route("/<int:agreement_id>/edit", methods=["GET", "POST"])
def edit(agreement_id: int) -> Response | str | tuple[str, int]:
    agreement = service.draft_to_edit(current_user, agreement_id)
    status = 200
    spec = service.spec_of(agreement.template)
    stored = None if request.method == "POST" else form_values(spec, agreement.values)
    form = values_form(spec, stored, agreement.revision)
    if form.validate_on_submit():
        try:
            values, revision = typed_values(form, spec), form["revision"].data
            service.update_draft(
                current_user, agreement, values, evidence(), revision, override_reason_of(form)
            )
        except ChangedMeanwhile as error:
            discard_writes()  # show the draft as saved now, with the message above it
            form = values_form(spec, form_values(spec, agreement.values), agreement.revision)
            form.form_errors.append(error.message)
            status = 409
        except Invalid as error:
            show_domain_error(form, _prefixed(error))
        else:
            flash("Draft updated.", "success")
            return to_detail(agreement)
    page = render_template(
        "agreements/edit.html", form=form, spec=spec, rep=agreement.rep, agreement=agreement
    )
    return page, status


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
        plan_differences=service.plan_differences(agreement),
        send_form=SendForm(sign_by=service.default_sign_by(current_user)),
        void_form=VoidForm(),
    )


@bp.post("/<int:agreement_id>/send")
def send(agreement_id: int) -> Response:
    agreement = service.get_agreement(current_user, agreement_id)
    form = SendForm()
    if form.validate_on_submit():
        service.send(current_user, agreement, evidence(), form.sign_by.data)
        flash(f"Sent to {agreement.rep.full_name} to sign.", "success")
    else:
        flash(" ".join(form.sign_by.errors) or "The form expired; send it again.", "warning")
    return to_detail(agreement)


@bp.post("/<int:agreement_id>/void")
def void(agreement_id: int) -> Response | str:
    agreement = service.get_agreement(current_user, agreement_id)
    form = VoidForm()
    if form.validate_on_submit():
        service.void(current_user, agreement, form.reason.data or "", evidence())
        flash("The agreement is voided. To change it, draft and send a new one.", "info")
    else:
        flash(" ".join(form.reason.errors) or "Say why the agreement is voided.", "warning")
    return to_detail(agreement)


@bp.get("/<int:agreement_id>/preview.pdf")
def preview_pdf(agreement_id: int) -> Response:
    agreement = service.get_agreement(current_user, agreement_id)
    name = f"agreement-{agreement.id}-preview.pdf"
    return pdf_response(rendering.preview_pdf(agreement), name, inline=True)


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
        if done is not None and done.queued is not None:
            if done.repeated:
                flash("This batch was sent already; nothing is sent twice.", "info")
            return redirect(url_for("agreements.bulk_progress", bulk_id=done.queued.id), 303)
    previews = done.previews if done is not None else None
    return render_template(
        "agreements/bulk.html", form=form, values=values, spec=spec, previews=previews
    )


@bp.get("/bulk/<int:bulk_id>")
def bulk_progress(bulk_id: int) -> str:
    """How far the job worker is with a batch ("n of N sent"), then the agreements it sent."""
    bulk = service.get_bulk_send(current_user, bulk_id)
    sent = service.sent_by(current_user, bulk)
    return render_template("agreements/bulk_progress.html", bulk=bulk, sent=sent)


def _preview_or_send(
    key: str, spec: TemplateSpec, form: BulkForm, values: FlaskForm
) -> service.BulkRound | None:
    """Send if "send" was pressed on an unchanged preview, else preview; None if refused."""
    confirmed = form.previewed.data if request.form.get("action") == "send" else None
    raw, cohort = typed_values(values, spec), form.cohort.data or None
    resend = [number for number in map(parse_id, request.form.getlist("resend")) if number]
    try:
        done = service.preview_or_send(
            current_user, key, form.team_id, cohort, raw, evidence(), confirmed,
            form.submission_key.data, resend, override_reason_of(values), form.sign_by.data,
        )  # fmt: skip
    except Invalid as error:
        show_domain_error(values, _prefixed(error))
        return None
    form.previewed.data = done.fingerprint  # "send" now sends exactly what is previewed
    return done
