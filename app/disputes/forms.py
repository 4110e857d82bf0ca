"""Forms for disputing an item and resolving a dispute."""

from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.disputes.models import DisputeStatus
from app.web import OnceForm
from app.widgets import RadioField, SelectField

OUTCOME_CHOICES = [
    (DisputeStatus.UPHELD.value, "Upheld: the rep is right"),
    (DisputeStatus.CHANGED.value, "Changed: the result or notes were corrected"),
    (DisputeStatus.REJECTED.value, "Rejected: it stands as recorded"),
]


class DisputeForm(OnceForm):
    reason = TextAreaField(
        "What do you dispute, and why?",
        validators=[DataRequired(message="Say what you dispute and why."), Length(max=2000)],
    )


class AcknowledgeForm(OnceForm):
    """Only the submission key: acknowledging has nothing to ask."""


class ResolveForm(OnceForm):
    outcome = RadioField(
        "Outcome",
        # A callable: WTForms 3.3 deprecates (value, label) tuples given to the constructor.
        choices=lambda: OUTCOME_CHOICES,
        validators=[DataRequired(message="Choose the outcome.")],
    )
    correction = SelectField(
        "The correction made (for a changed certification)",
        coerce=str,
        validators=[Optional()],
        validate_choice=False,
    )
    resolution = TextAreaField(
        "Why (the rep reads this)",
        validators=[DataRequired(message="Say why; the rep will read it."), Length(max=2000)],
    )
