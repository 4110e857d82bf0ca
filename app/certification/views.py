"""My certifications, a rep's certification, assessing, corrections, team matrix, rubrics."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.accounts.access import can_view_person
from app.accounts.models import Role, User
from app.certification import presenting, service
from app.certification.forms import (
    CancelBookingForm,
    CorrectionForm,
    ScheduleForm,
    assessment_form,
    entry_from,
)
from app.certification.models import CertificationAttempt, ScheduledAssessment
from app.certification.scoring import format_score
from app.curriculum.models import RubricTemplate
from app.curriculum.schema import EVIDENCE_LABELS
from app.curriculum.service import stage_names
from app.errors import Invalid
from app.extensions import db
from app.lookup import parse_id
from app.notifications import service as notifications
from app.pagination import PageRequest
from app.timezones import in_zone
from app.web import show_domain_error

bp = Blueprint("certification", __name__, url_prefix="/certifications")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; the service decides what they may see."""


# Globals rather than context, so that imported macros see them too.
bp.add_app_template_global(EVIDENCE_LABELS, "evidence_labels")  # type: ignore[arg-type]
bp.add_app_template_global(service.rubric_spec, "rubric_spec")
bp.add_app_template_global(presenting.matrix_rows, "matrix_rows")
bp.add_app_template_global(presenting.status_badge, "certification_badge")


@bp.app_template_filter("score")
def _score(value: float | None) -> str:
    return "—" if value is None else format_score(value)


@bp.get("/")
def index() -> Response:
    oversees = current_user.has_role(Role.COACH, Role.HR, Role.ADMIN)
    if current_user.has_role(Role.REP) and not oversees:
        return redirect(url_for("certification.mine"))
    return redirect(url_for("certification.team"))


@bp.get("/mine")
def mine() -> str:
    return _render_certifications(current_user)


@bp.get("/reps/<int:rep_id>")
def rep_certifications(rep_id: int) -> str:
    return _render_certifications(accounts.get_user(rep_id))


def _render_certifications(rep: User) -> str:
    today = accounts.local_today(rep)
    certifications = service.certifications_of(current_user, rep, today)
    return render_template(
        "certification/mine.html", rep=rep, own=rep.id == current_user.id,
        certifications=certifications, today=today,
        can_assess=service.can_assess(current_user, rep), bookings=service.bookings_of(rep),
        stage_names=stage_names(),
    )  # fmt: skip


@bp.get("/reps/<int:rep_id>/<stage>")
def certification(rep_id: int, stage: str) -> str:
    rep = accounts.get_user(rep_id)
    today = accounts.local_today(rep)
    cert = service.certification_of(current_user, rep, stage, today)
    notifications.mark_read(current_user, service.schedule_link(rep.id, stage))
    return render_template(
        "certification/certification.html", cert=cert, rep=rep, today=today,
        own=rep.id == current_user.id, actions=service.actions_on(current_user, cert, today),
        bookings=service.bookings_of(rep, stage),
        can_schedule=service.can_assess(current_user, rep),
    )  # fmt: skip


@bp.route("/reps/<int:rep_id>/<stage>/schedule", methods=["GET", "POST"])
def schedule(rep_id: int, stage: str) -> Response | tuple[str, int] | str:
    """Book an assessment of the rep for the stage, in the assessor's own time zone."""
    rep = accounts.get_user(rep_id)
    service.require_assess(current_user, rep)
    form = ScheduleForm()
    if form.validate_on_submit():
        try:
            service.schedule(current_user, rep, stage, form.slot(), form.submission_key.data)
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash(f"Assessment scheduled; {rep.full_name} is told.", "success")
            return redirect(url_for("certification.certification", rep_id=rep.id, stage=stage))
    return _schedule_page(form, rep, stage, None)


@bp.route("/scheduled/<int:booking_id>", methods=["GET", "POST"])
def reschedule(booking_id: int) -> Response | tuple[str, int] | str:
    """Move a booked assessment; the page also offers to cancel it."""
    booking = service.get_booking(current_user, booking_id)
    form = ScheduleForm()
    if request.method == "GET":
        local = in_zone(booking.starts_at, current_user.timezone)
        form.on.data, form.start.data = local.date(), local.time()
        form.minutes.data, form.place.data = booking.duration_minutes, booking.place
        form.note.data, form.sequence.data = booking.note, str(booking.sequence)
    elif form.validate_on_submit():
        try:
            sequence = int(form.sequence.data or -1)
            service.reschedule(current_user, booking, form.slot(), sequence)
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash(f"Assessment moved; {booking.rep.full_name} is told.", "success")
            return redirect(service.schedule_link(booking.rep_id, booking.stage))
    return _schedule_page(form, booking.rep, booking.stage, booking)


@bp.post("/scheduled/<int:booking_id>/cancel")
def cancel_booking(booking_id: int) -> Response:
    booking = service.get_booking(current_user, booking_id)
    form = CancelBookingForm(prefix="cancel")
    if not form.validate_on_submit():
        flash(" ".join(form.reason.errors) or "Say why the assessment is cancelled.", "warning")
        return redirect(url_for("certification.reschedule", booking_id=booking.id))
    sequence = int(form.sequence.data or -1)
    service.cancel(current_user, booking, form.reason.data or "", sequence)
    flash(f"Assessment cancelled; {booking.rep.full_name} is told.", "info")
    return redirect(service.schedule_link(booking.rep_id, booking.stage))


def _schedule_page(
    form: ScheduleForm, rep: User, stage: str, booking: ScheduledAssessment | None
) -> tuple[str, int] | str:
    cancel = CancelBookingForm(prefix="cancel", sequence=str(booking.sequence)) if booking else None
    page = render_template(
        "certification/schedule.html", form=form, rep=rep, stage=stage, booking=booking,
        stage_name=stage_names().get(stage, stage), cancel_form=cancel,
    )  # fmt: skip
    return (page, 400) if form.is_submitted() else page


@bp.route("/reps/<int:rep_id>/<stage>/assess", methods=["GET", "POST"])
def assess(rep_id: int, stage: str) -> Response | tuple[str, int] | str:
    rep = accounts.get_user(rep_id)
    today = accounts.local_today(rep)
    row = service.assessment_rubric(current_user, rep, stage)
    rubric = service.rubric_spec(row)
    choices = [(str(u.id), u.full_name) for u in service.second_assessor_choices(current_user, rep)]
    form = assessment_form(rubric, self_assessment=False, today=today, second_assessors=choices)
    if request.method == "GET":
        notifications.mark_read(current_user, request.path)  # "assess ..." notifications
    if form.validate_on_submit():
        try:
            second = _second_assessor(form.second_assessor.data)
            entry = entry_from(form, rubric)
            key = form.submission_key.data
            service.submit_assessment(current_user, rep, stage, entry, today, second, key)
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash(f"Assessment of {rep.full_name} recorded.", "success")
            return redirect(url_for("certification.certification", rep_id=rep.id, stage=stage))
    return _assessment_page(form, row, rep, stage, today, self_assessment=False)


@bp.route("/mine/<stage>/self-assessment", methods=["GET", "POST"])
def self_assess(stage: str) -> Response | tuple[str, int] | str:
    today = accounts.local_today(current_user)
    row = service.self_assessment_rubric(current_user, stage, today)
    rubric = service.rubric_spec(row)
    form = assessment_form(rubric, self_assessment=True, today=today)
    if form.validate_on_submit():
        try:
            entry = entry_from(form, rubric)
            key = form.submission_key.data
            service.submit_self_assessment(current_user, stage, entry, today, key)
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash("Self-assessment saved. Your coach will see it next to their scores.", "success")
            target = url_for("certification.certification", rep_id=current_user.id, stage=stage)
            return redirect(target)
    return _assessment_page(form, row, current_user, stage, today, self_assessment=True)


def _second_assessor(value: str | None) -> User | None:
    if not value:
        return None
    number = parse_id(value)
    person = db.session.get(User, number) if number else None
    if person is None:
        raise Invalid("Choose the second assessor from the list.", field="second_assessor")
    return person


def _assessment_page(
    form: FlaskForm, row: RubricTemplate, rep: User, stage: str, today: date, self_assessment: bool
) -> tuple[str, int] | str:
    """The assessment form; the rep's certification alongside for those who may see it."""
    sees = can_view_person(current_user, rep)  # an invited assessor may not
    reading = service.reading_of(current_user, rep, stage, today) if sees else None
    page = render_template(
        "certification/assess.html", form=form, rubric=service.rubric_spec(row), row=row,
        rep=rep, reading=reading, stage_name=stage_names().get(stage, stage),
        self_assessment=self_assessment,
    )  # fmt: skip
    return (page, 400) if form.is_submitted() else page


@bp.get("/attempts/<int:attempt_id>")
def attempt(attempt_id: int) -> str:
    item = service.get_attempt(current_user, attempt_id)
    notifications.mark_read(current_user, service.attempt_link(item.id))
    return render_template(
        "certification/attempt.html", attempt=item, rubric=service.rubric_spec(item.rubric),
        assessments=service.visible_assessments(current_user, item),
        final_scores=service.final_scores(item) if item.is_decided else {},
        stage_name=stage_names().get(item.stage, item.stage),
    )  # fmt: skip


@bp.get("/attempts/<int:attempt_id>/certificate.pdf")
def certificate(attempt_id: int) -> Response:
    item: CertificationAttempt = service.get_attempt(current_user, attempt_id)
    pdf = service.certificate_pdf(current_user, item)  # rendered on the first download only
    name = f"certificate-{item.stage}-{item.rep_id}.pdf"
    response = Response(
        pdf, mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )  # fmt: skip
    response.set_etag(item.certificate_sha256 or "")
    # A download asked again with the stored copy's tag is answered "not modified".
    return response.make_conditional(request)


@bp.route("/scores/<int:score_id>/correct", methods=["GET", "POST"])
def correct(score_id: int) -> Response | tuple[str, int] | str:
    score = service.get_score(current_user, score_id)
    service.require_correct_score(current_user, score)
    rubric = service.rubric_spec(score.assessment.attempt.rubric)
    form = CorrectionForm()
    form.level.choices = [(str(s.level), f"{s.level} {s.name}") for s in rubric.scale]
    if request.method == "GET":
        form.level.data = str(score.level)
    if form.validate_on_submit():
        try:
            level, reason = int(form.level.data), form.reason.data or ""
            service.correct_score(current_user, score, level, reason, form.submission_key.data)
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash("Score corrected; the correction is on the record.", "success")
            attempt_id = score.assessment.attempt_id
            return redirect(url_for("certification.attempt", attempt_id=attempt_id))
    page = render_template("certification/correct.html", form=form, score=score, rubric=rubric)
    return (page, 400) if form.is_submitted() else page


@bp.get("/team")
def team() -> str:
    today = accounts.local_today(current_user)
    team_id = request.args.get("team", "")
    filters = service.MatrixFilters(team_id=parse_id(team_id), stage=request.args.get("stage", ""))
    page_request = PageRequest.from_args(request.args, sortable=("name",), default_sort="name")
    overview = service.team_certifications(current_user, today, filters, page_request)
    teams = accounts.teams_for(current_user)  # a coach's filter offers their reps' teams only
    return render_template(
        "certification/team.html", overview=overview, today=today, teams=teams,
        waiting=service.waiting_for(current_user), window=service.DUE_WINDOW_DAYS,
    )  # fmt: skip


@bp.get("/rubrics")
def rubrics() -> str:
    return render_template(
        "certification/rubrics.html", rubrics=service.current_rubrics(), stage_names=stage_names()
    )


@bp.get("/rubrics/print")
def print_rubrics() -> str:
    return render_template(
        "certification/print.html", rubrics=service.current_rubrics(), stage_names=stage_names()
    )


@bp.get("/rubrics/<key>")
def rubric(key: str) -> str:
    row = service.current_rubric(key)
    return render_template(
        "certification/rubric.html", row=row, rubric=service.rubric_spec(row),
        stage_names=stage_names(),
    )  # fmt: skip


@bp.get("/calibration/<key>")
def calibration(key: str) -> str:
    report = service.calibration_report(current_user, key)
    return render_template("certification/calibration.html", report=report)
