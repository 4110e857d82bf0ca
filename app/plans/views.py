"""My ramp, my team, a rep's plan, and the milestone actions."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.accounts.models import Role
from app.curriculum.service import current_plan_templates
from app.errors import Invalid
from app.generation import kept
from app.lookup import parse_id
from app.notifications import service as notifications
from app.pagination import PageRequest
from app.plans import service
from app.plans.forms import (
    AssignPlanForm,
    ProgressForm,
    ResumePlanForm,
    SendBackForm,
    TeamFilterForm,
    VerifyForm,
)
from app.plans.models import Milestone, MilestoneStatus
from app.plans.roles import template_for_job_title
from app.plans.service import pausing
from app.plans.status import RepStatus
from app.web import show_domain_error

bp = Blueprint("plans", __name__)


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; services decide what they may see."""


@bp.get("/")
def home() -> Response:
    if current_user.has_role(Role.COACH):
        return redirect(url_for("reminders.work_queue"))  # a coach's day starts with their queue
    if current_user.sees_everyone:
        return redirect(url_for("plans.team"))
    return redirect(url_for("plans.my_ramp"))


@bp.get("/ramp")
def my_ramp() -> str:
    summary = service.ramp_of(current_user, current_user)
    return render_template("plans/ramp.html", summary=summary, own=True, **_milestone_forms())


@bp.get("/reps/<int:rep_id>")
def rep_ramp(rep_id: int) -> str:
    rep = accounts.get_user(rep_id)
    summary = service.ramp_of(current_user, rep)
    return render_template(
        "plans/ramp.html",
        summary=summary,
        own=rep.id == current_user.id,
        can_manage=service.can_manage_plans_of(current_user, rep),
        can_pause=pausing.can_pause(current_user),
        resume_form=ResumePlanForm(),
        **_milestone_forms(),
    )


@bp.get("/team")
def team() -> str:
    form = TeamFilterForm(request.args)
    teams = accounts.teams_for(current_user)  # a coach's filter offers their reps' teams only
    form.team.choices = [("", "All teams"), *((str(t.id), t.name) for t in teams)]
    # Only HR and admins are offered the coach filter: a coach's page does not list coaches.
    coaches = accounts.coach_choices() if current_user.sees_everyone else []
    form.coach.choices = [("", "All coaches"), *((str(i), name) for i, name in coaches)]
    filters = service.TeamFilters(
        team_id=_int_or_none(form.team.data),
        coach_id=_int_or_none(form.coach.data),
        status=RepStatus(form.status.data) if form.status.data in set(RepStatus) else None,
        search=form.q.data or "",
    )
    page_request = PageRequest.from_args(request.args, service.TEAM_SORTS, default_sort="name")
    # Kept while the data holds: a thousand reps' statuses are counted once per write.
    result = kept(
        "plans.team",
        (current_user.id, filters, page_request),
        lambda: service.team_page(current_user, filters, page_request),
    )
    return render_template("plans/team.html", form=form, page=result.page, counts=result.counts)


def _int_or_none(value: str | None) -> int | None:
    return parse_id(value)


@bp.route("/reps/<int:rep_id>/assign", methods=["GET", "POST"])
def assign(rep_id: int) -> Response | str:
    rep = accounts.get_user(rep_id)
    service.require_manage_plans_of(current_user, rep)
    form = AssignPlanForm()
    templates = current_plan_templates()
    form.template_key.choices = [
        (t.template_key, f"{t.title} ({t.role}, version {t.version})") for t in templates
    ]
    if request.method == "GET":
        form.start_date.data = rep.start_date or date.today()
        form.template_key.data = template_for_job_title(rep.job_title or "", templates)
    if form.validate_on_submit():
        try:
            plan = service.assign_plan(
                current_user,
                rep,
                form.template_key.data or "",
                form.start_date.data,
                key=form.submission_key.data,
            )
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash(f"{rep.full_name} now has the plan {plan.template.title}.", "success")
            return redirect(url_for("plans.rep_ramp", rep_id=rep.id))
    current = service.active_plan(rep)
    return render_template("plans/assign.html", form=form, rep=rep, current=current)


@bp.get("/milestones/<int:milestone_id>")
def milestone(milestone_id: int) -> str:
    item = service.get_milestone(current_user, milestone_id)
    notifications.mark_read(current_user, service.milestone_link(item.id))
    return _render_milestone(item)


@bp.post("/milestones/<int:milestone_id>/progress")
def report_progress(milestone_id: int) -> ResponseReturnValue:
    item = service.get_milestone(current_user, milestone_id)
    form = ProgressForm()
    if not form.validate_on_submit():
        return _render_milestone(item, progress_form=form), 400
    try:
        service.record_progress(
            current_user,
            item,
            value=float(form.value.data) if form.value.data is not None else None,
            note=form.note.data or "",
            evidence_url=form.evidence_url.data or "",
            key=form.submission_key.data,
        )
    except Invalid as error:
        show_domain_error(form, error)
        return _render_milestone(item, progress_form=form), 400
    flash(_progress_message(item), "success")
    return redirect(_back_to(item))


@bp.post("/milestones/<int:milestone_id>/verify")
def verify(milestone_id: int) -> Response:
    item = service.get_milestone(current_user, milestone_id)
    form = VerifyForm(prefix="verify")
    form.validate_on_submit()
    service.verify(current_user, item, form.comment.data or "", form.submission_key.data)
    flash(f"Verified: {item.title}.", "success")
    return redirect(_back_to(item))


@bp.post("/milestones/<int:milestone_id>/send-back")
def send_back(milestone_id: int) -> ResponseReturnValue:
    item = service.get_milestone(current_user, milestone_id)
    form = SendBackForm(prefix="send-back")
    if not form.validate_on_submit():
        return _render_milestone(item, send_back_form=form), 400
    service.send_back(current_user, item, form.comment.data or "", form.submission_key.data)
    flash(f"Sent back to {item.plan.rep.first_name}: {item.title}.", "success")
    return redirect(_back_to(item))


def _milestone_forms() -> dict[str, object]:
    return {"progress_form": ProgressForm(), "verify_form": VerifyForm(prefix="verify")}


def _render_milestone(item: Milestone, **forms: object) -> str:
    rep = item.plan.rep
    context: dict[str, object] = {
        "progress_form": ProgressForm(),
        "verify_form": VerifyForm(prefix="verify"),
        "send_back_form": SendBackForm(prefix="send-back"),
        **forms,
    }
    summary = service.summarise(rep, item.plan, accounts.local_today(rep))
    return render_template(
        "plans/milestone.html",
        milestone=item,
        state=summary.states[item.id],
        own=rep.id == current_user.id,
        can_manage=service.can_manage_plans_of(current_user, rep),
        **context,
    )


def _progress_message(item: Milestone) -> str:
    status = item.status
    if status == MilestoneStatus.DONE:
        return f"Done: {item.title}. Well done."
    if status == MilestoneStatus.SUBMITTED:
        return f"Sent to your coach to verify: {item.title}."
    return "Progress recorded. Keep going."


def _back_to(item: Milestone) -> str:
    rep_id = item.plan.rep_id
    if rep_id == current_user.id:
        return url_for("plans.my_ramp") + f"#milestone-{item.id}"
    return url_for("plans.rep_ramp", rep_id=rep_id) + f"#milestone-{item.id}"
