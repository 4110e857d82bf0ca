"""People, teams, organisation settings and the outbox, for admins (HR may look at people)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import service, signins
from app.accounts.access import require_role
from app.accounts.models import Role, User
from app.accounts.service import PersonDetails
from app.admin import service as admin_service
from app.admin.forms import OrganisationForm, PersonForm, ResetPasswordForm, TeamForm
from app.errors import ChangedMeanwhile, Invalid
from app.invitations import service as invitations
from app.invitations.forms import ResendForm
from app.lookup import parse_id
from app.mail import MailStatus
from app.pagination import PageRequest
from app.web import discard_writes, show_domain_error

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every admin page needs a signed-in user; services check the role."""


@bp.get("/people")
def people() -> str:
    team = request.args.get("team", "")
    team_id = parse_id(team)
    page_request = PageRequest.from_args(request.args, service.PEOPLE_SORTS, default_sort="name")
    page = service.people_page(current_user, page_request, team_id)
    invited = invitations.invitations_of([person.id for person in page.items])
    return render_template(
        "admin/people.html",
        page=page,
        teams=service.teams(),
        team_id=team_id,
        invitations=invited,
        now=invitations.now(),
    )


@bp.route("/people/new", methods=["GET", "POST"])
def new_person() -> Response | str:
    require_role(current_user, Role.ADMIN)
    form = _with_choices(PersonForm())
    if form.validate_on_submit():
        try:
            person = invitations.add_person(current_user, _details(form))
        except Invalid as error:
            show_domain_error(form, error)
        else:
            invited = (
                f"{person.full_name} is invited: an email with a link to choose a password "
                "is on its way."
            )
            if Role.REP in person.roles:  # a rep starts with a plan: assigning it comes next
                flash(f"{invited} Assign their plan.", "success")
                return redirect(url_for("plans.assign", rep_id=person.id))
            flash(invited, "success")
            return redirect(url_for("admin.people"))
    return render_template("admin/person_form.html", form=form, person=None)


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
def edit_person(user_id: int) -> Response | str | tuple[str, int]:
    require_role(current_user, Role.ADMIN)
    person = service.get_user(user_id)
    form = _with_choices(PersonForm(data=_form_data(person)))
    if form.validate_on_submit():
        try:
            service.update_user(current_user, person, _details(form), form.row_version.data)
        except ChangedMeanwhile as error:
            discard_writes()  # the person as saved now, with the message above the form
            form = _with_choices(PersonForm(formdata=None, data=_form_data(person)))
            form.form_errors.append(error.message)
            return _person_page(form, person), 409
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash(f"Saved {person.full_name}.", "success")
            return redirect(url_for("admin.people"))
    return _person_page(form, person)


@bp.post("/people/<int:user_id>/deactivate")
def deactivate(user_id: int) -> Response:
    """An explicit action, not a toggle: pressing it twice leaves the person deactivated."""
    person = service.get_user(user_id)
    service.set_active(current_user, person, active=False)
    flash(f"{person.full_name} is deactivated; their records stay.", "success")
    return redirect(url_for("admin.people"))


@bp.post("/people/<int:user_id>/activate")
def activate(user_id: int) -> Response:
    """Reactivating is its own button, so a double click on Deactivate never re-enables."""
    person = service.get_user(user_id)
    service.set_active(current_user, person, active=True)
    flash(f"{person.full_name} is active and can sign in.", "success")
    return redirect(url_for("admin.people"))


@bp.post("/people/<int:user_id>/sign-out")
def sign_out_everywhere(user_id: int) -> Response:
    person = service.get_user(user_id)
    signins.sign_out_everywhere(current_user, person)
    flash(f"{person.full_name} is signed out on every device.", "success")
    return redirect(url_for("admin.edit_person", user_id=person.id))


@bp.post("/people/<int:user_id>/password")
def reset_password(user_id: int) -> Response | str:
    require_role(current_user, Role.ADMIN)
    person = service.get_user(user_id)
    reset = ResetPasswordForm(prefix="reset")
    if reset.validate_on_submit():
        try:
            service.reset_password(current_user, person, reset.password.data or "")
        except Invalid as error:
            show_domain_error(reset, error)
        else:
            flash(f"{person.full_name}'s password is reset.", "success")
            return redirect(url_for("admin.edit_person", user_id=person.id))
    form = _with_choices(PersonForm(data=_form_data(person)))
    return _person_page(form, person, reset)


@bp.route("/teams", methods=["GET", "POST"])
def teams() -> Response | str:
    require_role(current_user, Role.ADMIN)
    form = TeamForm()
    if form.validate_on_submit():
        try:
            team = service.create_team(current_user, form.name.data or "")
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash(f"Team {team.name} created.", "success")
            return redirect(url_for("admin.teams"))
    return render_template(
        "admin/teams.html", form=form, teams=service.teams(), members=service.team_member_counts()
    )


@bp.route("/organisation", methods=["GET", "POST"])
def organisation() -> Response | str:
    require_role(current_user, Role.ADMIN)
    org = service.organisation()
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        service.update_organisation(
            current_user,
            form.name.data or "",
            form.business_days.data,
            turnaround_days=form.turnaround_days.data,
            debriefs_per_rep_month=form.debriefs_per_rep_month.data,
        )
        flash("Organisation settings saved.", "success")
        return redirect(url_for("admin.organisation"))
    return render_template("admin/organisation.html", form=form)


@bp.get("/outbox")
def outbox() -> str:
    status = request.args.get("status", "")
    wanted = MailStatus(status) if status in set(MailStatus) else None
    page_request = PageRequest.from_args(request.args, ())
    page = admin_service.outbox(current_user, page_request, wanted)
    return render_template("admin/outbox.html", page=page, wanted=wanted, statuses=list(MailStatus))


@bp.get("/outbox/<int:mail_id>")
def outbox_message(mail_id: int) -> str:
    mail = admin_service.outbound_mail(current_user, mail_id)
    return render_template("admin/outbox_message.html", mail=mail)


# The HTML part, for the message page's sandboxed frame: no script runs, nothing is fetched
# (remote images would tell the sender the message was read), and only this site may frame it.
EMAIL_PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'self'"
)


@bp.get("/outbox/<int:mail_id>/html")
def outbox_html(mail_id: int) -> Response:
    mail = admin_service.outbound_mail(current_user, mail_id)
    response = Response(mail.html_body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = EMAIL_PREVIEW_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.post("/outbox/<int:mail_id>/retry")
def retry_mail(mail_id: int) -> Response:
    mail = admin_service.retry_mail(current_user, mail_id)
    flash(f"The message to {mail.to_address} is queued to be sent again.", "success")
    return redirect(url_for("admin.outbox_message", mail_id=mail.id))


def _person_page(form: PersonForm, person: User, reset: ResetPasswordForm | None = None) -> str:
    """The person's page: their details, access, invitation and password reset."""
    return render_template(
        "admin/person_form.html",
        form=form,
        person=person,
        reset=reset or ResetPasswordForm(prefix="reset"),
        invitation=invitations.invitation_of(person),
        resend=ResendForm(),
        now=invitations.now(),
    )


def _with_choices(form: PersonForm) -> PersonForm:
    form.set_choices(
        coaches=service.coach_choices(),
        teams=[(t.id, t.name) for t in service.teams()],
    )
    return form


def _form_data(person: User) -> dict[str, object]:
    """The person as the edit form wants it pre-filled (roles as their values)."""
    return {
        "full_name": person.full_name,
        "email": person.email,
        "job_title": person.job_title,
        "start_date": person.start_date,
        "timezone": person.timezone,
        "roles": [role.value for role in person.roles],
        "coach_id": person.coach_id,
        "team_id": person.team_id,
        "employee_id": person.employee_id or "",
        "row_version": person.row_version,
    }


def _details(form: PersonForm) -> PersonDetails:
    return PersonDetails(
        email=form.email.data or "",
        full_name=form.full_name.data or "",
        job_title=form.job_title.data or "",
        start_date=form.start_date.data,
        timezone=form.timezone.data or "UTC",
        roles=[Role(value) for value in form.roles.data or []],
        coach_id=form.coach_id.data,
        team_id=form.team_id.data,
        employee_id=form.employee_id.data or "",
    )
