"""Recognition pages: the team feed, and a rep's recognition with the form to give some."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.accounts.models import User
from app.errors import Invalid
from app.pagination import PageRequest
from app.recognition import service
from app.recognition.forms import RecognitionForm
from app.web import show_domain_error

bp = Blueprint("recognition", __name__, url_prefix="/recognition")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; the service decides what they may see."""


def _page_request() -> PageRequest:
    return PageRequest.from_args(request.args, sortable=())


@bp.get("/")
def feed() -> str:
    return render_template(
        "recognition/feed.html",
        page=service.team_feed(current_user, _page_request()),
        reps=service.recognisable_reps(current_user),
    )


@bp.route("/reps/<int:rep_id>", methods=["GET", "POST"])
def rep(rep_id: int) -> Response | tuple[str, int] | str:
    person = accounts.get_user(rep_id)
    if request.method == "POST":
        service.require_recognise(current_user, person)
    else:
        service.require_see_recognition_of(current_user, person)
    form = _form(person)
    if form is not None and form.validate_on_submit():
        try:
            service.give_recognition(
                current_user, person, form.achievement.data or "", form.note.data or "",
                form.submission_key.data,
            )  # fmt: skip
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash(f"Thank you: {person.first_name} has been told.", "success")
            return redirect(url_for("recognition.rep", rep_id=person.id), 303)
    page = render_template(
        "recognition/rep.html", rep=person, form=form,
        page=service.recognition_of(current_user, person, _page_request()),
    )  # fmt: skip
    return (page, 400) if request.method == "POST" else page


def _form(rep: User) -> RecognitionForm | None:
    """The form for someone who may recognise ``rep``; None for everyone else."""
    if not service.can_recognise(current_user, rep):
        return None
    form = RecognitionForm()
    choices = service.achievements_of(current_user, rep)
    form.achievement.choices = [("", "Choose an achievement")] + [
        (a.choice, f"{a.kind.label}: {a.what}") for a in choices
    ]
    return form
