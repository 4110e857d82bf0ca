"""The buddy forms: pairing, unpairing, a check-in, and the list's filters."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import DataRequired, Length, Optional

from app.web import OnceForm
from app.widgets import SelectField


class MultiCheckboxField(SelectMultipleField):
    """Last time's commitments as checkboxes: ticked is kept, left clear is not kept."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PairForm(OnceForm):
    buddy_id = SelectField("Buddy", coerce=str, validators=[DataRequired()], validate_choice=False)


class EndPairingForm(OnceForm):
    reason = StringField("Why the pairing ends", validators=[DataRequired(), Length(max=300)])


class CheckInForm(OnceForm):
    held_on = DateField("Held on", validators=[DataRequired()])
    worked_on = TextAreaField(
        "What I worked on", validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 3}
    )
    blockers = TextAreaField(
        "What blocks me", validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )
    will_do = TextAreaField(
        "What I will do by next time",
        validators=[Optional(), Length(max=1500)],
        description="One a line, at most five; the next check-in marks each kept or not.",
        render_kw={"rows": 3},
    )
    kept = MultiCheckboxField("Kept since last time", coerce=int, validate_choice=False)


class PairingFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("New hire or buddy", validators=[Optional(), Length(max=120)])
    status = SelectField(
        "Pairings",
        choices=lambda: [("", "Active and ended"), ("active", "Active"), ("ended", "Ended")],
        validate_choice=False,
    )
