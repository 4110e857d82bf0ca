"""Signing: the rep's and countersigners' page, reading to the end, declining."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from app.agreements import rendering, service
from app.agreements.audit import now
from app.agreements.consent import consent_text, consent_version_for
from app.agreements.forms import DeclineForm, SignForm
from app.agreements.models import Agreement, AgreementStatus, SignerRole
from app.agreements.views.blueprint import bp, evidence, to_detail
from app.errors import Invalid
from app.notifications import service as notifications
from app.sso import provider as sso_provider
from app.sso import service as sso
from app.web import (
    REAUTH_REFUSED,
    SIGNED_IN_WITH_SSO,
    mark_password_entered,
    password_entered_at,
    show_domain_error,
)


@bp.route("/<int:agreement_id>/sign", methods=["GET", "POST"])
def sign(agreement_id: int) -> Response | str:
    agreement = service.get_agreement(current_user, agreement_id)
    role = service.require_sign(current_user, agreement)
    confirm_at = None
    if _stale() and _confirms_at_provider():
        # Someone who signs in through the provider proves it is them there, not by password;
        # straight there, unless it just refused (then the page says why, with a button).
        confirm_at = url_for("sso.reauthenticate", next=request.path)
        if not session.pop(REAUTH_REFUSED, False) and request.method == "GET":
            return redirect(confirm_at)
        if request.method == "POST":
            flash("Your sign-in is too old to sign: confirm it is you, then sign.", "warning")
            return redirect(confirm_at)
    form = SignForm()
    if request.method == "GET":
        service.record_opened(current_user, agreement, evidence())
        notifications.mark_read(current_user, service.sign_link(agreement.id))
    elif form.validate_on_submit():
        given = form.signature(password_entered_at())
        try:
            service.sign(current_user, agreement, given, evidence(), _reauth_window())
        except Invalid as error:
            show_domain_error(form, error)
        else:
            if given.password:
                mark_password_entered()
            flash(_signed_message(agreement), "success")
            return to_detail(agreement)
    return _sign_page(agreement, role, form, confirm_at)


def _sign_page(
    agreement: Agreement, role: SignerRole, form: SignForm, confirm_at: str | None = None
) -> str:
    # The text shown is the one agreed to: a refused submit that carried an older version
    # shows, and then posts, the current one.
    form.consent_version.data = consent_version_for(role)
    return render_template(
        "agreements/sign.html",
        agreement=agreement,
        role=role,
        view=rendering.agreement_view(agreement, with_trail=False),
        form=form,
        decline_form=DeclineForm(),
        already_read=service.has_reached_end(current_user, agreement),
        consent=consent_text(consent_version_for(role)),
        needs_password=service.needs_password(password_entered_at(), now(), _reauth_window()),
        confirm_at=confirm_at,
        provider_name=sso_provider.display_name(),
    )


def _stale() -> bool:
    return service.needs_password(password_entered_at(), now(), _reauth_window())


def _confirms_at_provider() -> bool:
    return sso.reauthenticates_with_provider(
        current_user,
        configured=sso_provider.configured(),
        used_sso=bool(session.get(SIGNED_IN_WITH_SSO)),
    )


def _reauth_window() -> timedelta:
    return timedelta(minutes=current_app.config["REAUTH_MINUTES"])


def _signed_message(agreement: Agreement) -> str:
    if agreement.status == AgreementStatus.COMPLETED:
        return "Signed. The agreement is complete; its sealed PDF is ready to download in a moment."
    return "Signed. The agreement now waits for the countersignature."


@bp.post("/<int:agreement_id>/read")
def reached_end(agreement_id: int) -> Response:
    """Called by the signing page's script when the signer reaches the end of the document."""
    agreement = service.get_agreement(current_user, agreement_id)
    service.require_sign(current_user, agreement)
    recorded = service.record_reached_end(current_user, agreement, evidence())
    return jsonify(recorded=recorded)


@bp.post("/<int:agreement_id>/decline")
def decline(agreement_id: int) -> Response:
    agreement = service.get_agreement(current_user, agreement_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        flash(" ".join(form.reason.errors) or "Say why you decline.", "warning")
        return redirect(url_for("agreements.sign", agreement_id=agreement.id))
    service.decline(current_user, agreement, form.reason.data or "", evidence())
    flash("You declined this agreement. HR has your reason and will follow up.", "info")
    return redirect(url_for("agreements.mine"))
