"""Forms for assigning plans and reporting or verifying milestones."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional

from app.plans.status import RepStatus
from app.web import OnceForm
from app.widgets import SelectField


class AssignPlanForm(OnceForm):
    template_key = SelectField("Plan template", validators=[DataRequired()])
    start_date = DateField("Start date (day 1)", validators=[DataRequired()])


class ProgressForm(OnceForm):
    value = DecimalField("Number reached", places=None, validators=[Optional()])
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=2000)])
    evidence_url = URLField(
        "Evidence link (optional)",
        validators=[
            Optional(),
            URL(message="Enter a full link, starting with https://"),
            Length(max=500),
        ],
    )


class VerifyForm(OnceForm):
    comment = TextAreaField("Comment (optional)", validators=[Optional(), Length(max=2000)])


class SendBackForm(OnceForm):
    comment = TextAreaField(
        "What is still missing?",
        validators=[DataRequired(message="Tell the rep what is still missing."), Length(max=2000)],
    )


class TeamFilterForm(FlaskForm):
    """A GET form: filters live in the URL so a filtered view can be bookmarked and shared."""

    class Meta:
        csrf = False

    q = StringField("Name", validators=[Optional(), Length(max=120)])
    team = SelectField("Team", coerce=str, validate_choice=False)
    coach = SelectField("Coach", coerce=str, validate_choice=False)
    status = SelectField(
        "Status",
        # A callable: WTForms 3.3 deprecates (value, label) tuples given to the constructor.
        choices=lambda: [("", "Any status"), *((s.value, s.value.capitalize()) for s in RepStatus)],
        validate_choice=False,
    )


class PausePlanForm(OnceForm):
    first_day = DateField("First day of leave", validators=[DataRequired()])
    last_day = DateField("Last day of leave", validators=[DataRequired()])
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired(message="Say why the plan is paused."), Length(max=500)],
    )


class ResumePlanForm(OnceForm):
    """Only the submission key: resuming has nothing to ask."""
