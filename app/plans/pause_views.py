"""Pausing a rep's plan for leave and resuming it (HR and admins)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.errors import Conflict, Invalid, NotFound
from app.plans import service
from app.plans.forms import PausePlanForm, ResumePlanForm
from app.plans.service import pausing
from app.web import show_domain_error

bp = Blueprint("plan_pauses", __name__)


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; the service checks the HR or Admin role."""


@bp.route("/reps/<int:rep_id>/pause", methods=["GET", "POST"])
def pause(rep_id: int) -> Response | tuple[str, int] | str:
    pausing.require_pause(current_user)
    rep = accounts.get_user(rep_id)
    plan = service.active_plan(rep)
    if plan is None:
        raise NotFound(f"{rep.full_name} has no plan to pause.")
    form = PausePlanForm()
    if form.validate_on_submit():
        try:
            pausing.pause_plan(
                current_user,
                plan,
                form.first_day.data,
                form.last_day.data,
                form.reason.data or "",
                form.submission_key.data,
            )
        except (Invalid, Conflict) as error:
            show_domain_error(form, error)
        else:
            flash(f"{rep.full_name}'s plan is paused; open due dates moved.", "success")
            return redirect(url_for("plans.rep_ramp", rep_id=rep.id))
    page = render_template("plans/pause.html", form=form, rep=rep, plan=plan)
    return (page, 400) if form.is_submitted() else page


@bp.post("/pauses/<int:pause_id>/resume")
def resume(pause_id: int) -> Response:
    record = pausing.get_pause(current_user, pause_id)
    form = ResumePlanForm()
    if form.validate_on_submit():
        pausing.resume_plan(current_user, record, form.submission_key.data)
        flash("The plan is resumed; open due dates moved back by the unused days.", "success")
    return redirect(url_for("plans.rep_ramp", rep_id=record.plan.rep_id))
