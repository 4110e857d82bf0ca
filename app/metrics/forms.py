"""Forms: uploading an export, mapping its columns, going ahead, and the rep's day."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, Field, IntegerField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.metrics.catalogue import DATE_FORMATS, METRICS, Period, RepMatch, Unit
from app.metrics.parsing import parse_value
from app.metrics.service import LOGGED, MappingChoice
from app.web import OnceForm
from app.widgets import RadioField, SelectField

NOT_IN_FILE = ""


class UploadForm(FlaskForm):
    source = StringField(
        "Source",
        validators=[DataRequired("Name the CRM the file comes from."), Length(max=60)],
        description="The CRM it comes from, e.g. HubSpot or Salesforce. A new name asks for "
        "its column mapping once; later files from it reuse the mapping.",
        render_kw={"list": "known-sources", "autocomplete": "off"},
    )
    file = FileField(
        "Activity report (CSV)",
        validators=[
            FileRequired("Choose the CSV file your CRM exported."),
            FileAllowed(["csv", "txt"], "Choose a CSV file (.csv)."),
        ],
        description="One row per rep per day or per week.",
    )


class StartImportForm(OnceForm):
    """Going ahead after the preview (a repeated click finds the import queued already)."""


def mapping_form(headers: list[str], choice: MappingChoice, data: Any = None) -> FlaskForm:
    """The mapping form for a file with ``headers``, proposing ``choice``."""
    columns = [(NOT_IN_FILE, "— choose a column —"), *((h, h) for h in headers)]
    optional = [(NOT_IN_FILE, "— not in this file —"), *((h, h) for h in headers)]

    class MappingForm(FlaskForm):
        rep_column = SelectField(
            "Column naming the rep",
            choices=lambda: columns,
            default=choice.rep_column,
            validators=[DataRequired("Choose the column that names the rep.")],
        )
        rep_match = RadioField(
            "The rep is named by",
            choices=lambda: [(RepMatch.EMAIL.value, "Email"), (RepMatch.NAME.value, "Full name")],
            default=choice.rep_match.value,
            validators=[InputRequired("Choose how the file names the rep.")],
        )
        date_column = SelectField(
            "Column with the date or week",
            choices=lambda: columns,
            default=choice.date_column,
            validators=[DataRequired("Choose the column with the date or week.")],
        )
        period = RadioField(
            "One row covers",
            choices=lambda: [(Period.DAY.value, "A day"), (Period.WEEK.value, "A week (Mon-Sun)")],
            default=choice.period.value,
            validators=[InputRequired("Choose whether a row covers a day or a week.")],
        )
        date_format = SelectField(
            "Dates are written as",
            choices=lambda: list(DATE_FORMATS.items()),
            default=choice.date_format,
        )

    for metric in METRICS:
        field = SelectField(
            metric.label + (" (minutes or h:mm)" if metric.unit is Unit.MINUTES else ""),
            choices=lambda: optional,
            default=choice.columns.get(metric.key, NOT_IN_FILE),
        )
        setattr(MappingForm, f"col_{metric.key}", field)
    return MappingForm(formdata=data)


def choice_from(form: FlaskForm) -> MappingChoice:
    """What the mapping form says, for the service."""
    return MappingChoice(
        rep_match=RepMatch(form.rep_match.data),
        rep_column=form.rep_column.data,
        date_column=form.date_column.data,
        period=Period(form.period.data),
        date_format=form.date_format.data,
        columns={
            metric.key: form[f"col_{metric.key}"].data
            for metric in METRICS
            if form[f"col_{metric.key}"].data
        },
    )


class DurationField(StringField):
    """Time like a time clock: ``90`` minutes or ``1:30``."""

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        if validation_stopped or not self.data:
            return
        try:
            parse_value("call_minutes", self.data)
        except ValueError as error:
            message = f"Enter minutes (90) or hours and minutes (1:30); it {error}."
            raise ValidationError(message) from None

    @property
    def minutes(self) -> int | None:
        return parse_value("call_minutes", self.data) if self.data else None


def _count_field(label: str) -> Field:
    return IntegerField(
        label,
        validators=[Optional(), NumberRange(min=0, max=10_000, message="Enter 0 to 10,000.")],
        render_kw={"inputmode": "numeric", "min": 0},
    )


class LogDayForm(OnceForm):
    day = DateField("Day", validators=[DataRequired("Choose the day.")])
    dials = _count_field("Dials")
    conversations = _count_field("Conversations")
    meetings_booked = _count_field("Meetings booked")
    meetings_held = _count_field("Meetings held")
    call_minutes = DurationField("Time on calls", render_kw={"placeholder": "1:30"})
    meeting_minutes = DurationField("Time in meetings", render_kw={"placeholder": "0:45"})
    selling_minutes = DurationField(
        "Other selling time",
        description="Prospecting, research, emails: minutes or h:mm.",
        render_kw={"placeholder": "2:00"},
    )

    def values(self) -> dict[str, int | None]:
        """Each logged metric's value (minutes for times), None when left empty."""
        values: dict[str, int | None] = {}
        for metric in LOGGED:
            field = self[metric.key]
            values[metric.key] = field.minutes if isinstance(field, DurationField) else field.data
        return values

    def fill(self, values: dict[str, int | None]) -> None:
        """Show what was logged for the day (times as h:mm)."""
        for metric in LOGGED:
            value = values.get(metric.key)
            if value is not None and metric.unit is Unit.MINUTES:
                self[metric.key].data = f"{value // 60}:{value % 60:02d}"
            elif value is not None:
                self[metric.key].data = value
