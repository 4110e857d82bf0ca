"""The outcomes page's filters: a GET form, so a filtered view is a URL to bookmark and share."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional


class OutcomeFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Name", validators=[Optional(), Length(max=120)])
    team = SelectField("Team", coerce=str, validate_choice=False)
    role = SelectField("Role", coerce=str, validate_choice=False)
    cohort = SelectField("Start cohort", coerce=str, validate_choice=False)
    by = SelectField(
        "Curves by",
        choices=lambda: [("month", "Start month"), ("quarter", "Start quarter")],
        validate_choice=False,
    )


class MetricForm(FlaskForm):
    """Which metric the rep's weekly chart shows."""

    class Meta:
        csrf = False

    metric = SelectField("Metric by week", coerce=str, validate_choice=False)
