"""The Escalations list's filters: a GET form, so a filtered list can be bookmarked."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional


class EscalationFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Rep or item", validators=[Optional(), Length(max=120)])
    status = SelectField(
        "Status",
        choices=lambda: [("", "Open and resolved"), ("open", "Open"), ("resolved", "Resolved")],
        validate_choice=False,
    )
    level = SelectField(
        "Raised to",
        choices=lambda: [("", "Any level"), ("1", "Coach"), ("2", "Manager or HR")],
        validate_choice=False,
    )
    kind = SelectField(
        "Item",
        choices=lambda: [
            ("", "Milestones and commitments"),
            ("milestone", "Milestones"),
            ("commitment", "Commitments"),
        ],
        validate_choice=False,
    )
    team = SelectField("Team", coerce=str, validate_choice=False)
