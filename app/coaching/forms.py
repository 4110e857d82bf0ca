"""Debrief forms: setting one up, the reflection, the coach's record with scores and commitments."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    FormField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.certification.forms import add_criterion_fields, score_levels
from app.coaching.followthrough import Outcome
from app.coaching.models import REFLECTION_QUESTIONS, DebriefKind
from app.coaching.service import CommitmentEntry, DebriefRecord
from app.curriculum.schema import Rubric
from app.web import OnceForm
from app.widgets import RadioField, SelectField

COMMITMENT_ROWS = 3  # blank rows are ignored; "Add another" is not needed without JavaScript


class DebriefSetupForm(FlaskForm):
    held_on = DateField("Date", validators=[InputRequired(message="Enter the date.")])
    kind = SelectField(
        "Kind",
        choices=[SelectChoice(kind.value, kind.label) for kind in DebriefKind],
        validators=[InputRequired(message="Choose the kind of debrief.")],
    )
    stage = SelectField("Sales stage", validate_choice=False)
    scenario = SelectField(
        "Scenario",
        validate_choice=False,
        description="For a role-play: the buyer, the situation and what a strong answer includes.",
    )


def _reflection_fields(labels: dict[str, str]) -> type[FlaskForm]:
    class ReflectionForm(OnceForm):
        # The debrief's version the page was loaded with (see ``service.answer_reflection``).
        row_version = IntegerField(widget=HiddenInput(), validators=[Optional()])

    for key, question in REFLECTION_QUESTIONS:
        setattr(
            ReflectionForm,
            key,
            TextAreaField(labels.get(key, question), validators=[Optional(), Length(max=5000)]),
        )
    return ReflectionForm


def reflection_form(answers: dict[str, str] | None = None, **kwargs: Any) -> FlaskForm:
    """The rep's answers to the three questions (``answers`` fill it when nothing was posted)."""
    return _reflection_fields({})(data=answers or {}, **kwargs)


class CommitmentRow(Form):
    """One SMART commitment; a row left entirely blank is ignored."""

    action = StringField("Action", validators=[Optional(), Length(max=500)])
    measure = StringField(
        "Measure", validators=[Optional(), Length(max=500)], description="How you will both know."
    )
    due_on = DateField("Due", validators=[Optional()])
    criterion = SelectField("Improves", validate_choice=False)


def _raw_text(field: Any) -> bool:
    return any((value or "").strip() for value in (field.raw_data or []))


def record_form(rubric: Rubric | None, today: date) -> FlaskForm:
    """The coach's notes, a score per criterion (optional) and the commitment rows."""
    labels = {
        "went_well": "What went well (your view)",
        "better": "What could have gone better (your view)",
        "differently": "What to do differently next time (your view)",
    }
    base = _reflection_fields(labels)

    class RecordForm(base):  # type: ignore[valid-type,misc]
        commitments_error = ""

        @property
        def commitment_rows(self) -> list[CommitmentRow]:
            return [self[f"commitments-{i}"].form for i in range(COMMITMENT_ROWS)]

        def validate(self, extra_validators: Any = None) -> bool:
            valid: bool = super().validate(extra_validators)
            filled = [row for row in self.commitment_rows if not _row_blank(row)]
            for row in filled:
                valid = _check_row(row, today) and valid
            if not filled:
                self.commitments_error = "End the debrief with at least one commitment."
                valid = False
            return valid

    # Fixed rows named commitments-0 ... rather than a FieldList, whose renumbering of posted
    # rows can read one row twice when an earlier row is left out.
    for index in range(COMMITMENT_ROWS):
        setattr(RecordForm, f"commitments-{index}", FormField(CommitmentRow))
    if rubric is not None:
        add_criterion_fields(RecordForm, rubric, required=False, comment_label="Comment")
    form = RecordForm()
    criteria = [("", "No particular criterion")]
    if rubric is not None:
        criteria += [(c.key, c.name) for c in rubric.criteria]
    for row in form.commitment_rows:
        row.criterion.choices = criteria
    return form


def _row_blank(row: CommitmentRow) -> bool:
    return (
        not (row.action.data or "").strip()
        and not (row.measure.data or "").strip()
        and not _raw_text(row.due_on)
        and not row.criterion.data
    )


def _check_row(row: CommitmentRow, today: date) -> bool:
    """SMART in the form, next to each field; the service checks the same again."""
    problems = False
    if not (row.action.data or "").strip():
        row.action.errors = [*row.action.errors, "Say what the rep will do."]
        problems = True
    if not (row.measure.data or "").strip():
        row.measure.errors = [*row.measure.errors, "Say how you will both know it was done."]
        problems = True
    if row.due_on.data is None:
        if not row.due_on.errors:
            row.due_on.errors = ["Give the date it is due."]
        problems = True
    elif row.due_on.data <= today:
        row.due_on.errors = [*row.due_on.errors, "The due date must be in the future."]
        problems = True
    return not problems


def record_from(form: FlaskForm, rubric: Rubric | None) -> DebriefRecord:
    scores, comments = score_levels(form, rubric) if rubric is not None else ({}, {})
    commitments = [
        CommitmentEntry(
            action=row.action.data or "",
            measure=row.measure.data or "",
            due_on=row.due_on.data,
            criterion=row.criterion.data or None,
            row=index,
        )
        for index, row in enumerate(form.commitment_rows)
        if not _row_blank(row)
    ]
    notes = {key: form[key].data or "" for key, _ in REFLECTION_QUESTIONS}
    return DebriefRecord(notes=notes, scores=scores, comments=comments, commitments=commitments)


class ReviewForm(OnceForm):
    outcome = RadioField(
        "Outcome",
        choices=[SelectChoice(o.value, o.label) for o in Outcome],
        validators=[InputRequired(message="Choose kept, partly kept or missed.")],
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)])
    close = BooleanField("Close it (a missed commitment otherwise stays open)")


class FollowUpForm(FlaskForm):
    follow_up = TextAreaField(
        "Your follow-up",
        validators=[
            InputRequired(message="Write what you changed since the debrief."),
            Length(max=5000),
        ],
        description="In your own words: you coached me on X; I changed Y in these calls.",
    )


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
