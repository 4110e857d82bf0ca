"""API tokens on the account page (one's own) and the admins' list of everyone's."""

from __future__ import annotations

from datetime import datetime, time

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.api import service
from app.api.forms import NewTokenForm, RevokeTokenForm
from app.errors import Invalid
from app.pagination import PageRequest
from app.web import show_domain_error

bp = Blueprint("api_tokens", __name__)


@bp.before_request
@login_required
def _signed_in() -> None:
    """Tokens are one's own credentials: every page here needs a signed-in person."""


@bp.route("/account/tokens", methods=["GET", "POST"])
def mine() -> str:
    form = NewTokenForm()
    made = None
    if form.validate_on_submit():
        made = _make(form)
    return render_template(
        "api/tokens.html",
        form=NewTokenForm(formdata=None) if made else form,
        made=made,
        tokens=service.tokens_of(current_user),
        revoke_form=RevokeTokenForm(),
        now=service.now(),
    )


def _make(form: NewTokenForm) -> service.NewToken | None:
    """The token, or None when the form was refused or had been sent already."""
    expires = datetime.combine(form.expires_on.data, time()) if form.expires_on.data else None
    try:
        made = service.create_token(
            current_user, form.name.data or "", expires, form.submission_key.data
        )
    except Invalid as error:
        show_domain_error(form, error)
        return None
    if made is None:
        flash(
            "That form was sent already and the token made: it is in the list below. Its "
            "secret was shown once; if you did not copy it, revoke it and make another.",
            "warning",
        )
    return made


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke(token_id: int) -> Response:
    RevokeTokenForm().validate_on_submit()
    token = service.revoke_token(current_user, token_id)
    flash(f"Token “{token.name}” revoked: whatever uses it gets 401 from now on.", "success")
    back = "api_tokens.everyone" if request.form.get("from") == "admin" else "api_tokens.mine"
    return redirect(url_for(back), 303)


@bp.get("/admin/api-tokens")
def everyone() -> str:
    page_request = PageRequest.from_args(request.args, sortable=())
    page = service.all_tokens_page(current_user, page_request)
    return render_template(
        "api/everyone.html", page=page, revoke_form=RevokeTokenForm(), now=service.now()
    )
