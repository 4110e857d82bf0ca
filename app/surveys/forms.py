"""The pulse survey form (one set of radio buttons per question) and the debrief rating form."""

from __future__ import annotations

from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from app.surveys.questions import PulseSurvey
from app.surveys.service.ratings import COMMENT_LENGTH, RATINGS
from app.web import OnceForm
from app.widgets import RadioField

RATING_LABELS = {1: "1 Not useful", 2: "2", 3: "3", 4: "4", 5: "5 Very useful"}


class PulseForm(OnceForm):
    """Fields are added per question by :func:`pulse_form`."""


def pulse_form(survey: PulseSurvey) -> PulseForm:
    """A form with one required choice per question, on the survey's scale."""

    class Form(PulseForm):
        pass

    choices = [SelectChoice(p.value, p.label) for p in survey.scale]
    for question in survey.questions:
        field = RadioField(
            question.text,
            choices=choices,
            coerce=int,
            validators=[InputRequired(message="Choose one answer for this statement.")],
        )
        setattr(Form, question.key, field)
    return Form()


class RatingForm(OnceForm):
    rating = RadioField(
        "How useful was this debrief?",
        choices=[SelectChoice(v, RATING_LABELS[v]) for v in RATINGS],
        coerce=int,
        validators=[InputRequired(message="Choose a rating from 1 to 5.")],
    )
    comment = TextAreaField(
        "Comment (optional)",
        description="What helped, what did not. Your coach sees comments only in a month with "
        "at least five ratings, and never with your name.",
        validators=[Optional(), Length(max=COMMENT_LENGTH)],
    )
