"""Debriefs, the rep's reflection and follow-up, commitments' follow-through, one-on-one prep."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.accounts.models import User
from app.certification import service as certification
from app.coaching import service
from app.coaching.followthrough import Outcome
from app.coaching.forms import (
    ConfirmForm,
    DebriefSetupForm,
    FollowUpForm,
    ReviewForm,
    record_form,
    record_from,
    reflection_form,
)
from app.coaching.models import REFLECTION_QUESTIONS, Commitment, Debrief, DebriefKind
from app.curriculum.service import stage_names
from app.errors import ChangedMeanwhile, Invalid
from app.pagination import PageRequest, paginate_rows
from app.web import discard_writes, once_per_request, show_domain_error

bp = Blueprint("coaching", __name__, url_prefix="/coaching")
bp.add_app_template_global(REFLECTION_QUESTIONS, "reflection_questions")  # type: ignore[arg-type]
bp.add_app_template_global(service.criterion_name, "criterion_name")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; the service decides what they may see."""


@bp.app_context_processor
def _notifications() -> dict[str, object]:
    def unread() -> int:
        if not current_user.is_authenticated:
            return 0
        return once_per_request("unread", lambda: service.unread_count(current_user))

    return {"unread_notifications": unread}


def review_form(commitment: Commitment) -> ReviewForm:
    return ReviewForm(prefix=f"commitment-{commitment.id}")


@bp.get("/mine")
def mine() -> str:
    today = accounts.local_today(current_user)
    return render_template(
        "coaching/mine.html",
        debriefs=service.debriefs_page(current_user, current_user, _page_request()),
        open_commitments=service.open_commitments(current_user, current_user, today),
        today=today,
    )  # fmt: skip


@bp.route("/mine/new", methods=["GET", "POST"])
def start() -> Response | str:
    """A rep asks their coach for a debrief, answering the reflection questions first."""
    service.require_ask_for_debrief(current_user)
    today = accounts.local_today(current_user)
    form = _setup_form(today)
    reflection = reflection_form()
    if form.validate_on_submit() and reflection.validate():
        answers = {key: reflection[key].data or "" for key, _ in REFLECTION_QUESTIONS}
        try:
            debrief = service.start_debrief(current_user, _setup(form), answers, today)
        except Invalid as error:
            show_domain_error(reflection if error.field == "went_well" else form, error)
        else:
            flash("Sent to your coach with your answers.", "success")
            return redirect(url_for("coaching.debrief", debrief_id=debrief.id), 303)
    return render_template("coaching/start.html", form=form, reflection=reflection)


def _setup(form: DebriefSetupForm) -> service.DebriefSetup:
    return service.DebriefSetup(
        held_on=form.held_on.data, kind=DebriefKind(form.kind.data),
        stage=form.stage.data or None, scenario_key=form.scenario.data or None,
    )  # fmt: skip


@bp.get("/notifications")
def notifications() -> str:
    page = service.notifications_page(current_user, _page_request())
    return render_template("coaching/notifications.html", page=page, form=ConfirmForm())


def _page_request() -> PageRequest:
    """Newest first, whatever the URL says: these lists are paged, not sorted."""
    return PageRequest.from_args(request.args, sortable=())


@bp.post("/notifications/read")
def read_all() -> Response:
    if ConfirmForm().validate_on_submit():
        service.mark_all_read(current_user)
    return redirect(url_for("coaching.notifications"), 303)


@bp.get("/reps/<int:rep_id>")
def rep_debriefs(rep_id: int) -> str:
    rep = accounts.get_user(rep_id)
    progress = service.progress_of(current_user, rep)
    # The trends need every debrief; the list shows 50 of them at a time.
    history = paginate_rows(progress.debriefs, _page_request(), keys={})
    return render_template(
        "coaching/rep.html", rep=rep, progress=progress, history=history,
        own=rep.id == current_user.id,
        can_coach=service.can_coach(current_user, rep), stage_names=stage_names(),
    )  # fmt: skip


@bp.route("/reps/<int:rep_id>/new", methods=["GET", "POST"])
def new_debrief(rep_id: int) -> Response | str:
    rep = accounts.get_user(rep_id)
    service.require_coach(current_user, rep)
    today = accounts.local_today(rep)
    form = _setup_form(today)
    if form.validate_on_submit():
        try:
            debrief = service.create_debrief(current_user, rep, _setup(form), today)
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash(f"Debrief opened. {rep.first_name} can answer the questions first.", "success")
            return redirect(url_for("coaching.debrief", debrief_id=debrief.id), 303)
    open_commitments = service.open_commitments(current_user, rep, today)
    return render_template(
        "coaching/new.html", rep=rep, form=form, open_commitments=open_commitments,
        review_form=review_form, today=today,
    )  # fmt: skip


def _setup_form(today: object) -> DebriefSetupForm:
    form = DebriefSetupForm()
    names = stage_names()
    form.stage.choices = [("", "No particular stage"), *names.items()]
    form.scenario.choices = [("", "No scenario")] + [
        (row.scenario_key, f"{names.get(row.stage, row.stage)}: {row.title}")
        for row in service.current_scenarios()
    ]
    if not form.is_submitted():
        form.held_on.data = today
    return form


@bp.get("/debriefs/<int:debrief_id>")
def debrief(debrief_id: int) -> str:
    item = service.get_debrief(current_user, debrief_id)
    service.mark_read(current_user, service.debrief_link(item.id))
    return _debrief_page(item, _current_reflection(item), FollowUpForm())


def _current_reflection(item: Debrief, message: str = "") -> FlaskForm:
    """The reflection form filled from the debrief as stored now, at its current version."""
    answers: dict[str, Any] = {key: getattr(item, f"rep_{key}") for key, _ in REFLECTION_QUESTIONS}
    form = reflection_form(answers | {"row_version": item.row_version}, formdata=None)
    if message:
        form.form_errors.append(message)
    return form


def _debrief_page(item: Debrief, reflection: FlaskForm, follow_up: FlaskForm) -> str:
    return render_template(
        "coaching/debrief.html", debrief=item, own=item.rep_id == current_user.id,
        reflection=reflection, follow_up=follow_up, confirm=ConfirmForm(),
        rubric=service.rubric_of(item), stage_names=stage_names(),
        scenario=service.scenario_spec(item.scenario) if item.scenario else None,
        can_coach=service.can_coach(current_user, item.rep),
    )  # fmt: skip


@bp.post("/debriefs/<int:debrief_id>/reflection")
def reflect(debrief_id: int) -> Response | tuple[str, int]:
    item = service.get_debrief(current_user, debrief_id)
    form = reflection_form()
    if form.validate_on_submit():
        answers = {key: form[key].data or "" for key, _ in REFLECTION_QUESTIONS}
        try:
            service.answer_reflection(current_user, item, answers, form.row_version.data)
        except ChangedMeanwhile as error:
            discard_writes()
            return _debrief_page(
                item, _current_reflection(item, error.message), FollowUpForm()
            ), 409
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash("Your answers are saved; your coach sees them before adding theirs.", "success")
            return redirect(url_for("coaching.debrief", debrief_id=item.id), 303)
    return _debrief_page(item, form, FollowUpForm(formdata=None)), 400


@bp.route("/debriefs/<int:debrief_id>/record", methods=["GET", "POST"])
def record(debrief_id: int) -> Response | str:
    item = service.get_debrief(current_user, debrief_id)
    service.require_coach(current_user, item.rep)
    today, rubric = accounts.local_today(item.rep), service.rubric_of(item)
    form = record_form(rubric, today)
    if not form.is_submitted():
        form.row_version.data = item.row_version
    if form.validate_on_submit():
        try:
            record = record_from(form, rubric)
            version, key = form.row_version.data, form.submission_key.data
            service.record_debrief(current_user, item, record, today, key, version)
        except ChangedMeanwhile as error:
            # Keep the coach's entries; show what changed (the rep's answers) beside them.
            show_domain_error(form, error)
            form.row_version.data = item.row_version
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash(f"Debrief recorded; {item.rep.first_name} has been notified.", "success")
            return redirect(url_for("coaching.debrief", debrief_id=item.id), 303)
    return render_template(
        "coaching/record.html", debrief=item, form=form, rubric=rubric, today=today,
        open_commitments=service.open_commitments(current_user, item.rep, today),
        review_form=review_form, stage_names=stage_names(),
        scenario=service.scenario_spec(item.scenario) if item.scenario else None,
    )  # fmt: skip


@bp.post("/debriefs/<int:debrief_id>/acknowledge")
def acknowledge(debrief_id: int) -> Response:
    item = service.get_debrief(current_user, debrief_id)
    if ConfirmForm().validate_on_submit():
        service.acknowledge(current_user, item)
        flash("Acknowledged. Your coach sees that you have read it.", "success")
    return redirect(url_for("coaching.debrief", debrief_id=item.id), 303)


@bp.post("/debriefs/<int:debrief_id>/follow-up")
def follow_up(debrief_id: int) -> Response | tuple[str, int]:
    item = service.get_debrief(current_user, debrief_id)
    form = FollowUpForm()
    if form.validate_on_submit():
        try:
            service.add_follow_up(current_user, item, form.follow_up.data or "")
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash("Follow-up added; your coach has been notified.", "success")
            return redirect(url_for("coaching.debrief", debrief_id=item.id), 303)
    return _debrief_page(item, reflection_form(formdata=None), form), 400


@bp.post("/commitments/<int:commitment_id>/review")
def review(commitment_id: int) -> Response | tuple[str, int]:
    commitment = service.get_commitment(current_user, commitment_id)
    service.require_coach(current_user, commitment.rep)
    form = review_form(commitment)
    if form.validate_on_submit():
        try:
            outcome = Outcome(form.outcome.data)
            service.review_commitment(
                current_user,
                commitment,
                outcome,
                form.note.data or "",
                form.close.data,
                form.submission_key.data,
            )
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash(f"Commitment marked {outcome.label.lower()}.", "success")
            return redirect(_back_to(commitment.rep), 303)
    page = render_template("coaching/review.html", commitment=commitment, form=form)
    return page, 400


def _back_to(rep: User) -> str:
    """The page the review was made on (a debrief being recorded, the one-on-one prep)."""
    target = request.form.get("next", "")
    if target.startswith("/coaching/") and "//" not in target:
        return target
    return url_for("coaching.rep_debriefs", rep_id=rep.id)


@bp.get("/reps/<int:rep_id>/one-on-one")
def one_on_one(rep_id: int) -> str:
    rep = accounts.get_user(rep_id)
    prep = service.one_on_one_prep(current_user, rep, accounts.local_today(rep))
    return render_template(
        "coaching/one_on_one.html", prep=prep, rep=rep, review_form=review_form,
        stage_names=stage_names(), window=certification.DUE_WINDOW_DAYS,
    )  # fmt: skip
