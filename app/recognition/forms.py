"""The recognition form: which of the rep's achievements, and a short note."""

from __future__ import annotations

from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.recognition.models import NOTE_LENGTH
from app.web import OnceForm


class RecognitionForm(OnceForm):
    achievement = SelectField(
        "What are you recognising?",
        validators=[InputRequired(message="Choose one of their achievements.")],
    )
    note = TextAreaField(
        "Your note",
        description=f"A sentence or two, up to {NOTE_LENGTH} characters. "
        "The rep and their team see it.",
        validators=[
            InputRequired(message="Say in a few words what you are recognising."),
            Length(max=NOTE_LENGTH, message=f"Keep the note to {NOTE_LENGTH} characters."),
        ],
    )
