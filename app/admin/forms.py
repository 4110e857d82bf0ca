"""Forms an admin fills in about people, teams and the organisation."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from app.accounts.models import Role
from app.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PASSWORD_HINT
from app.widgets import SelectField


@cache
def timezone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    return [("UTC", "UTC"), *((zone, zone.replace("_", " ")) for zone in zones)]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _optional_id(value: str | None) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class PersonForm(FlaskForm):
    # The person's version the page was loaded at (see ``accounts.service.update_user``).
    row_version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    job_title = StringField("Job title", validators=[Optional(), Length(max=120)])
    employee_id = StringField(
        "Employee id",
        validators=[Optional(), Length(max=64)],
        description="The HR system's id, if any: a cohort import matches people by it.",
    )
    start_date = DateField("Start date", validators=[Optional()])
    timezone = SelectField("Time zone", default="UTC")
    roles = MultiCheckboxField(
        "Roles",
        # A callable: WTForms 3.3 deprecates (value, label) tuples given to the constructor.
        choices=lambda: [(role.value, role.label) for role in Role],
        validators=[DataRequired(message="Give the person at least one role.")],
    )
    coach_id = SelectField("Coach", coerce=_optional_id, validate_choice=True)
    team_id = SelectField("Team", coerce=_optional_id, validate_choice=True)

    def set_choices(self, coaches: list[tuple[int, str]], teams: list[tuple[int, str]]) -> None:
        self.timezone.choices = timezone_choices()
        self.coach_id.choices = [(None, "No coach"), *coaches]
        self.team_id.choices = [(None, "No team"), *teams]


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
        description=PASSWORD_HINT,
    )


class TeamForm(FlaskForm):
    name = StringField("Team name", validators=[DataRequired(), Length(max=120)])


class OrganisationForm(FlaskForm):
    name = StringField("Organisation name", validators=[DataRequired(), Length(max=120)])
    business_days = BooleanField(
        "Count ramp days in business days (Monday to Friday)",
        description="Applies to plans assigned from now on; assigned plans keep their dates.",
    )
    turnaround_days = IntegerField(
        "Turnaround target for coaches, in days",
        validators=[
            InputRequired(message="Give the number of days."),
            NumberRange(min=1, max=30, message="Between 1 and 30 days."),
        ],
        description="How long a verification, debrief notes, an assessment or a commitment "
        "review may wait on a coach before their work queue calls it late.",
    )
    debriefs_per_rep_month = IntegerField(
        "Coaching cadence target: debriefs per rep per month",
        validators=[
            InputRequired(message="Give the number of debriefs."),
            NumberRange(min=1, max=20, message="Between 1 and 20 debriefs."),
        ],
        description="The dashboards compare each coach's recorded debriefs with this target.",
    )
