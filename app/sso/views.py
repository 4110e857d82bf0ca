"""Signing in through the organisation's OpenID provider, and the admin's settings for it."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts.access import require_role
from app.accounts.login_session import sign_in
from app.accounts.models import Role
from app.accounts.sign_in_guard import note_sign_in
from app.errors import Invalid
from app.sso import provider, service
from app.sso.forms import SsoSettingsForm
from app.web import (
    REAUTH_REFUSED,
    SIGNED_IN_WITH_SSO,
    mark_password_entered,
    safe_next,
    show_domain_error,
)

bp = Blueprint("sso", __name__)

_NEXT = "sso_next"  # the page to go on to after the provider sends the person back
# A re-authentication under way: who asked, for which page, and when (the ID token's
# auth_time must not be older).
_REAUTH = "sso_reauth"
FAILED = (
    "Signing in with {provider} did not complete ({reason}). Start again from this page; if it "
    "keeps failing, sign in another way or ask your administrator."
)


@bp.get("/login/sso")
def start() -> Response:
    """Off to the provider; its answer comes back to :func:`callback`."""
    if current_user.is_authenticated:
        return redirect(url_for("plans.home"))
    _require_configured()
    session[_NEXT] = safe_next(request.args.get("next"))
    try:
        return provider.start(url_for("sso.callback", _external=True))
    except provider.SignOnFailed as error:
        return _back_to_login(str(error))


@bp.get("/login/sso/confirm")
@login_required
def reauthenticate() -> Response:
    """Off to the provider to sign in afresh (to sign an agreement); back to ``next`` after."""
    _require_configured()
    target = safe_next(request.args.get("next"))
    session[_REAUTH] = {"user": current_user.id, "next": target, "at": int(time.time())}
    try:
        return provider.start(url_for("sso.callback", _external=True), reauthenticate=True)
    except provider.SignOnFailed as error:
        session.pop(_REAUTH, None)
        flash(FAILED.format(provider=provider.display_name(), reason=error), "danger")
        return redirect(target)


@bp.get("/login/sso/callback")
def callback() -> Response:
    """The provider's redirect back: validate, find the person, sign them in as a password would."""
    if current_user.is_authenticated:
        if _REAUTH in session:
            return _reauthenticated(session.pop(_REAUTH))
        return redirect(url_for("plans.home"))
    _require_configured()
    name = provider.display_name()
    try:
        person = service.person_for(provider.finish(), name)
    except provider.SignOnFailed as error:
        return _back_to_login(str(error))
    except service.SignInRefused as refusal:
        flash(refusal.message, "danger")
        return redirect(url_for("accounts.login"))
    note_sign_in(f"single sign-on: {name}")
    sign_in(person, remember=False)
    # The provider authenticated them just now: as fresh as a password typed at /login, so
    # signing an agreement in the next minutes needs no password (they may have none).
    mark_password_entered()
    session[SIGNED_IN_WITH_SSO] = True  # later, they prove it is them again at the provider
    return redirect(safe_next(session.pop(_NEXT, None)))


def _reauthenticated(pending: dict[str, Any]) -> Response:
    """Back from re-authenticating: fresh enough, and the same person, to sign now."""
    _require_configured()
    target = safe_next(pending.get("next"))
    name = provider.display_name()
    try:
        if pending.get("user") != current_user.id:
            raise provider.SignOnFailed("it was started by someone else")
        identity = provider.finish()
        started = datetime.fromtimestamp(int(pending.get("at", 0)), UTC).replace(tzinfo=None)
        now = datetime.now(UTC).replace(tzinfo=None)
        service.confirm_reauthentication(current_user, identity, name, started, now)
    except provider.SignOnFailed as error:
        service.record_failure(name, f"re-authentication: {error}")
        flash(FAILED.format(provider=name, reason=error), "danger")
        session[REAUTH_REFUSED] = True
        return redirect(target)
    except service.SignInRefused as refusal:
        flash(refusal.message, "danger")
        session[REAUTH_REFUSED] = True
        return redirect(target)
    mark_password_entered()
    flash(f"Thank you: {name} confirmed it is you.", "success")
    return redirect(target)


def _require_configured() -> None:
    if not provider.configured():
        abort(404, "Single sign-on is not set up on this server.")


def _back_to_login(reason: str) -> Response:
    name = provider.display_name()
    service.record_failure(name, reason)
    flash(FAILED.format(provider=name, reason=reason), "danger")
    return redirect(url_for("accounts.login"))


@bp.route("/admin/single-sign-on", methods=["GET", "POST"])
@login_required
def settings() -> Response | str:
    require_role(current_user, Role.ADMIN)
    form = SsoSettingsForm(obj=service.current_settings())
    form.set_choices(service.break_glass_choices())
    if form.validate_on_submit():
        wanted = service.SsoSettings(
            required=form.required.data,
            break_glass_admin_id=form.break_glass_admin_id.data,
            creates_accounts=form.creates_accounts.data,
            new_account_role=Role(form.new_account_role.data),
        )
        try:
            service.update_settings(current_user, wanted, configured=provider.configured())
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash("Single sign-on settings saved.", "success")
            return redirect(url_for("sso.settings"))
    return render_template(
        "sso/settings.html",
        form=form,
        configured=provider.configured(),
        name=provider.display_name(),
    )
