"""Forms generated from a rubric: a radio group per criterion with its level descriptors."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.certification.service import (
    MAX_MINUTES,
    MIN_MINUTES,
    AssessmentEntry,
    Slot,
    comment_field,
    score_field,
)
from app.curriculum.schema import EVIDENCE_LABELS, Rubric
from app.web import OnceForm
from app.widgets import RadioField, SelectField


class LevelField(RadioField):
    """A criterion's score: one of the scale's levels, with a message a rep can act on."""

    def pre_validate(self, form: Any) -> None:
        levels = [choice.value for choice in self.choices or []]
        if self.data is not None and self.data not in levels:
            raise ValidationError(f"Choose one of the levels {levels[0]}-{levels[-1]}.")


class _AssessmentBase(OnceForm):
    feedback = TextAreaField("Overall feedback", validators=[Optional(), Length(max=5000)])


class _AssessorFields(_AssessmentBase):
    evidence_kind = SelectField("Evidence", validate_choice=False)
    evidence_url = URLField(
        "Evidence link",
        validators=[
            Optional(),
            URL(message="Enter a full link, starting with https://"),
            Length(max=500),
        ],
        description="A recording or notes; required for a recorded call.",
    )
    assessed_on = DateField(
        "Date of the assessment",
        validators=[InputRequired(message="Enter the date of the assessment.")],
    )
    second_assessor = SelectField("Second assessor", validate_choice=False)


def add_criterion_fields(
    form_class: type[FlaskForm], rubric: Rubric, *, required: bool, comment_label: str
) -> None:
    """A level choice (``score-<key>``) and a comment (``comment-<key>``) per criterion.

    Shared by the certification assessment and the coaching debrief, where scores are optional.
    """
    choices = [SelectChoice(str(s.level), f"{s.level} {s.name}") for s in rubric.scale]
    for criterion in rubric.criteria:
        needed = InputRequired(message=f"Score {criterion.name}: choose a level.")
        setattr(
            form_class,
            score_field(criterion.key),
            LevelField(
                criterion.name, choices=choices, validators=[needed if required else Optional()]
            ),
        )
        setattr(
            form_class,
            comment_field(criterion.key),
            TextAreaField(
                f"{comment_label} on {criterion.name.lower()}",
                validators=[Optional(), Length(max=2000)],
            ),
        )


def score_levels(form: FlaskForm, rubric: Rubric) -> tuple[dict[str, int | None], dict[str, str]]:
    """The levels and comments entered per criterion (None where no level was chosen)."""
    scores: dict[str, int | None] = {}
    comments: dict[str, str] = {}
    for criterion in rubric.criteria:
        raw = form[score_field(criterion.key)].data
        scores[criterion.key] = int(raw) if raw and str(raw).isdigit() else None
        comments[criterion.key] = form[comment_field(criterion.key)].data or ""
    return scores, comments


def assessment_form(
    rubric: Rubric,
    *,
    self_assessment: bool,
    today: date,
    second_assessors: list[tuple[str, str]] | None = None,
) -> FlaskForm:
    """A form for this rubric: ``score-<key>`` and ``comment-<key>`` per criterion."""
    base = _AssessmentBase if self_assessment else _AssessorFields

    class AssessmentForm(base):  # type: ignore[valid-type,misc]
        pass

    add_criterion_fields(
        AssessmentForm,
        rubric,
        required=True,
        comment_label="Your reflection" if self_assessment else "Comment",
    )
    form = AssessmentForm()
    if self_assessment:
        form.feedback.label.text = "Your overall reflection"
    else:
        form.evidence_kind.choices = [("", "Choose the evidence")] + [
            (kind, EVIDENCE_LABELS[kind]) for kind in rubric.evidence.kinds
        ]
        required = rubric.assessors.required > 1
        form.second_assessor.choices = [
            ("", "Choose the second assessor" if required else "No second assessor"),
            *(second_assessors or []),
        ]
        if form.assessed_on.data is None and not form.is_submitted():
            form.assessed_on.data = today
    return form


def entry_from(form: FlaskForm, rubric: Rubric) -> AssessmentEntry:
    """The form's data in the service's terms."""
    scores, comments = score_levels(form, rubric)
    return AssessmentEntry(
        scores=scores,
        comments=comments,
        feedback=form.feedback.data or "",
        evidence_kind=form.evidence_kind.data or "" if hasattr(form, "evidence_kind") else "",
        evidence_url=form.evidence_url.data or "" if hasattr(form, "evidence_url") else "",
        assessed_on=form.assessed_on.data if hasattr(form, "assessed_on") else None,
    )


class CorrectionForm(OnceForm):
    level = SelectField("Corrected level", validators=[InputRequired(message="Choose a level.")])
    reason = TextAreaField(
        "Why is the score corrected?",
        validators=[InputRequired(message="Say why the score is corrected."), Length(max=2000)],
        description="The rep sees the correction, with this reason.",
    )


class ScheduleForm(OnceForm):
    """Booking (or moving) an assessment: the day and time are the assessor's own zone's."""

    on = DateField("Day", validators=[InputRequired(message="Choose the day.")])
    start = TimeField("Start time", validators=[InputRequired(message="Choose the start time.")])
    minutes = IntegerField(
        "Duration in minutes",
        default=60,
        validators=[
            InputRequired(message="Say how long it lasts, in minutes."),
            NumberRange(min=MIN_MINUTES, max=MAX_MINUTES, message="From 15 minutes to 8 hours."),
        ],
    )
    place = StringField(
        "Place or video link",
        validators=[Optional(), Length(max=500)],
        description="A room, or the link to the video call.",
    )
    note = TextAreaField(
        "Note for the rep",
        validators=[Optional(), Length(max=2000)],
        description="What to prepare: the scenario, the call to bring.",
        render_kw={"rows": 3},
    )
    # The booking's sequence when the page was loaded: a change from an older page is refused.
    sequence = HiddenField()

    def slot(self) -> Slot:
        assert self.on.data is not None and self.start.data is not None
        return Slot(
            on=self.on.data,
            start=self.start.data,
            minutes=int(self.minutes.data or 0),
            place=self.place.data or "",
            note=self.note.data or "",
        )


class CancelBookingForm(FlaskForm):
    reason = TextAreaField(
        "Why is it cancelled?",
        validators=[
            InputRequired(message="Say why the assessment is cancelled."),
            Length(max=2000),
        ],
        description="The rep is told, with this reason.",
        render_kw={"rows": 2},
    )
    sequence = HiddenField()
