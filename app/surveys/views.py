"""Pulse surveys (the rep's, and HR's results) and debrief ratings (the rep's form, trends)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.coaching import service as coaching
from app.errors import Invalid
from app.surveys import service
from app.surveys.charts import trend_chart
from app.surveys.forms import RatingForm, pulse_form
from app.surveys.questions import pulse_survey
from app.web import show_domain_error

bp = Blueprint("surveys", __name__, url_prefix="/surveys")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; the service decides what they may see."""


@bp.get("/mine")
def mine() -> str:
    due = service.due_pulses(current_user, accounts.local_today(current_user))
    return render_template("surveys/mine.html", due=due, min_group=service.MIN_GROUP)


@bp.route("/pulse/<int:checkpoint>", methods=["GET", "POST"])
def pulse(checkpoint: int) -> Response | tuple[str, int] | str:
    today = accounts.local_today(current_user)
    if request.method == "GET" and checkpoint not in service.due_pulses(current_user, today):
        abort(404)  # not open for this person: nothing to answer here (a POST: the service says)
    survey = pulse_survey()
    form = pulse_form(survey)
    if form.validate_on_submit():
        ratings = {q.key: form[q.key].data for q in survey.questions}
        try:
            service.answer_pulse(current_user, checkpoint, ratings, today, form.submission_key.data)
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash("Thank you. Your answers are stored without your name.", "success")
            return redirect(url_for("surveys.mine"), 303)
    page = render_template(
        "surveys/pulse.html", form=form, survey=survey, checkpoint=checkpoint,
        min_group=service.MIN_GROUP,
    )  # fmt: skip
    return (page, 400) if request.method == "POST" else page


def _filter() -> service.ResultFilter:
    """The group asked for in the URL; anything malformed means "any"."""
    team, checkpoint = request.args.get("team", ""), request.args.get("checkpoint", "")
    return service.ResultFilter(
        team_id=int(team) if team.isdigit() and len(team) < 10 else None,
        role=request.args.get("role", "")[:32],
        cohort=request.args.get("cohort", "")[:7],
        checkpoint=int(checkpoint) if checkpoint.isdigit() and len(checkpoint) < 5 else None,
    )


@bp.get("/results")
def results() -> str:
    group = _filter()
    found = service.pulse_results(current_user, group)
    teams, roles, cohorts = service.result_filters()
    return render_template(
        "surveys/results.html", results=found, group=group, teams=teams, roles=roles,
        cohorts=cohorts, survey=pulse_survey(), min_group=service.MIN_GROUP,
    )  # fmt: skip


@bp.route("/debriefs/<int:debrief_id>/rating", methods=["GET", "POST"])
def rate(debrief_id: int) -> Response | tuple[str, int] | str:
    """Only the rep sees this page: their rating is nobody else's to read with their name."""
    debrief = coaching.get_debrief(current_user, debrief_id)
    service.require_rater(current_user, debrief)
    form = RatingForm()
    if form.validate_on_submit():
        try:
            service.rate_debrief(
                current_user, debrief, form.rating.data, form.comment.data or "",
                accounts.local_today(current_user), form.submission_key.data,
            )  # fmt: skip
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash("Thank you for rating the debrief.", "success")
            return redirect(url_for("coaching.debrief", debrief_id=debrief.id), 303)
    elif request.method == "POST":
        service.require_rate(current_user, debrief)  # a refused rating says why (403, 409)
    page = render_template(
        "surveys/rate.html", debrief=debrief, form=form, rating=service.rating_of(debrief),
        min_group=service.MIN_GROUP,
    )  # fmt: skip
    return (page, 400) if request.method == "POST" else page


@bp.get("/ratings")
def ratings() -> str:
    return render_template(
        "surveys/ratings.html",
        coaches=service.ratings_by_coach(current_user),
        min_group=service.MIN_GROUP,
    )


@bp.get("/ratings/coaches/<int:user_id>")
def coach_ratings(user_id: int) -> str:
    trend = service.coach_trend(current_user, accounts.get_user(user_id))
    return render_template(
        "surveys/coach.html", trend=trend, chart=trend_chart(trend), min_group=service.MIN_GROUP,
        own=user_id == current_user.id,
    )  # fmt: skip
