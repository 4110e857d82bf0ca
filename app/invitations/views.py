"""The invitation link (anyone holding it) and the admins' invitations list and actions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.accounts.login_session import sign_in, sign_out
from app.errors import Invalid
from app.invitations import service
from app.invitations.forms import AcceptForm, ResendForm
from app.invitations.models import InvitationStatus
from app.invitations.service import InvitationFilters, LinkRefused
from app.pagination import PageRequest
from app.web import mark_password_entered, show_domain_error

bp = Blueprint("invitations", __name__)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept(token: str) -> Response | str | tuple[str, int]:
    """Set a first password from the emailed link, then be signed in."""
    try:
        invitation = service.open_link(token)
    except LinkRefused as refused:
        return render_template("invitations/refused.html", refused=refused), 410
    form = AcceptForm()
    if form.validate_on_submit():
        try:
            user = service.accept(token, form.password.data or "")
        except LinkRefused as refused:
            return render_template("invitations/refused.html", refused=refused), 410
        except Invalid as error:
            show_domain_error(form, error)
        else:
            if current_user.is_authenticated:
                sign_out(current_user)  # someone else was signed in on this browser
            sign_in(user, remember=False)
            mark_password_entered()
            flash(f"Welcome, {user.first_name}: your password is set.", "success")
            return redirect(url_for("plans.home"))
    return render_template("invitations/accept.html", form=form, invitation=invitation)


@bp.get("/admin/invitations")
@login_required
def index() -> str:
    page_request = PageRequest.from_args(request.args, service.INVITATION_SORTS, "-sent")
    status = request.args.get("status", "")
    filters = InvitationFilters(
        status=InvitationStatus(status) if status in set(InvitationStatus) else None
    )
    page = service.invitations_page(current_user, page_request, filters)
    return render_template(
        "invitations/index.html",
        page=page,
        filters=filters,
        statuses=list(InvitationStatus),
        now=service.now(),
    )


@bp.post("/admin/people/<int:user_id>/invitation")
@login_required
def resend(user_id: int) -> Response:
    person = accounts.get_user(user_id)
    form = ResendForm()
    if not form.validate_on_submit():
        flash("The form expired; try again.", "danger")
        return redirect(url_for("admin.edit_person", user_id=person.id))
    invitation = service.resend(current_user, person, key=form.submission_key.data)
    flash(
        f"A new invitation is on its way to {person.email}; it works until "
        f"{invitation.expires_at:%d %b %Y}. The earlier link no longer works.",
        "success",
    )
    return redirect(_back(person.id))


@bp.post("/admin/people/<int:user_id>/invitation/revoke")
@login_required
def revoke(user_id: int) -> Response:
    person = accounts.get_user(user_id)
    service.revoke(current_user, person)
    flash(f"{person.full_name}'s invitation is revoked: the link no longer works.", "success")
    return redirect(_back(person.id))


def _back(user_id: int) -> str:
    """Back to the invitations list when the action came from there, else to the person."""
    if request.form.get("back") == "invitations":
        return url_for("invitations.index")
    return url_for("admin.edit_person", user_id=user_id)
