"""Signing in and out, and one's own password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import resets, service
from app.accounts.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, NewPasswordForm
from app.accounts.login_session import renew_sign_in, sign_in, sign_out
from app.accounts.sign_in_guard import account_key, guard_sign_in, note_sign_in
from app.errors import Conflict, Invalid, NotAllowed
from app.extensions import limiter
from app.web import mark_password_entered, safe_next, show_domain_error

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@guard_sign_in
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("plans.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = service.authenticate(form.email.data or "", form.password.data or "")
        except NotAllowed as closed:  # the organisation requires single sign-on of this person
            note_sign_in("password sign-in closed: single sign-on required")
            form.form_errors.append(closed.message)
            return render_template("accounts/login.html", form=form)
        if user is not None:
            sign_in(user, remember=form.remember.data)
            mark_password_entered()
            return redirect(safe_next(request.args.get("next")))
        form.form_errors.append("Email or password is not right, or the account is deactivated.")
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    sign_out(current_user)
    flash("You are signed out.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> Response | str:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(
                current_user, form.current_password.data or "", form.new_password.data or ""
            )
        except Invalid as error:
            show_domain_error(form, error)
        else:
            renew_sign_in(current_user)  # the change signed out every other session
            flash("Your password is changed.", "success")
            return redirect(url_for("plans.home"))
    return render_template("accounts/password.html", form=form)


# Every request counts (not only failures): each one may send an email.
@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_ACCOUNT"],
    key_func=account_key,
    methods=["POST"],
)
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_ADDRESS"],
    key_func=get_remote_address,
    methods=["POST"],
)
def forgot_password() -> Response | str:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        resets.request_reset(form.email.data or "")
        # The same words whether or not the address has an account.
        flash(
            f"If {form.email.data} belongs to an account here, an email with a link to choose "
            f"a new password is on its way. The link works for {resets.RESET_MINUTES} minutes.",
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form, minutes=resets.RESET_MINUTES)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str | tuple[str, int]:
    try:
        person = resets.person_for(token)
    except (Invalid, Conflict) as error:
        status = 409 if isinstance(error, Conflict) else 404
        return render_template("accounts/reset.html", problem=error.message, form=None), status
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            resets.reset_password(token, form.new_password.data or "")
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash("Your password is changed. Sign in with your new password.", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form, email=person.email, problem=None)
