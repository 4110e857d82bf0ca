"""The dashboard's filters: a GET form, so a filtered dashboard can be bookmarked and shared."""

from __future__ import annotations

from flask_wtf import FlaskForm

from app.widgets import SelectField


class DashboardFilterForm(FlaskForm):
    class Meta:
        csrf = False

    team = SelectField("Team", coerce=str, validate_choice=False)
    role = SelectField("Role", coerce=str, validate_choice=False)
    cohort = SelectField("Start cohort", coerce=str, validate_choice=False)
