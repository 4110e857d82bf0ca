"""Forms for drafting, sending, signing, declining, voiding, verifying and exporting.

The drafting form is generated from the variables a template declares; the service checks
the values again, so the CLI and the tests get the same rules.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from app.agreements.consent import CURRENT_CONSENT_VERSION
from app.agreements.models import AgreementKind, AgreementStatus, AgreementTemplate
from app.agreements.service import AgreementFilters, SignatureInput
from app.curriculum.schema import AgreementTemplate as TemplateSpec
from app.curriculum.schema import AgreementVariable
from app.lookup import parse_id
from app.web import OnceForm
from app.widgets import SelectField

VALUE_PREFIX = "v_"  # form field names for template variables, clear of the form's own fields


class ChooseForm(FlaskForm):
    """Step one of drafting: which rep and which template (a GET form).

    The rep is found by typing part of their name or email (``rep_q``): the select then lists
    the first matches, so the page works without JavaScript however many reps there are.
    """

    class Meta:
        csrf = False

    rep_q = StringField(
        "Find a rep",
        validators=[Length(max=100)],
        description="Type part of the rep's name or email, then press Find.",
        render_kw={"autocomplete": "off", "type": "search"},
    )
    shown_q = HiddenField()  # the search that made the rep list, to notice a new one
    rep_id = SelectField("Rep", validators=[DataRequired()])
    template = SelectField("Agreement", validators=[DataRequired()])


def choose_form(
    args: Any, reps: Any, templates: list[AgreementTemplate], shown: str = ""
) -> ChooseForm:
    """The chooser with ``reps`` (a page of matches) to pick from; ``shown`` says how many."""
    form = ChooseForm(args)
    form.rep_id.description = shown
    names = Counter(rep.full_name for rep in reps)
    form.rep_id.choices = [
        ("", "Choose a rep"),
        *((str(r.id), _rep_label(r, names[r.full_name] > 1)) for r in reps),
    ]
    form.template.choices = [
        ("", "Choose an agreement"),
        *((t.template_key, f"{t.title} ({t.kind.label})") for t in templates),
    ]
    return form


def _rep_label(rep: Any, shared_name: bool) -> str:
    """The rep's name, and their email when another rep in the list has the same name."""
    return f"{rep.full_name} ({rep.email})" if shared_name else rep.full_name


def _field_for(variable: AgreementVariable) -> Field:
    presence: list[Any] = [InputRequired()] if variable.required else [Optional()]
    label = variable.label + ("" if variable.required else " (optional)")
    help_text = variable.help or ""
    if variable.type == "date":
        return DateField(label, validators=presence, description=help_text)
    if variable.type in ("number", "money", "percent"):
        bounds = NumberRange(min=variable.min, max=variable.max)
        unit = {"percent": "%", "money": variable.unit}.get(variable.type, variable.unit)
        description = " ".join(part for part in (help_text, f"In {unit}." if unit else "") if part)
        return DecimalField(
            label, places=None, validators=[*presence, bounds], description=description
        )
    if variable.type == "multiline":
        return TextAreaField(
            label,
            validators=[*presence, Length(max=5000)],
            description=help_text,
            render_kw={"rows": 4},
        )
    return StringField(label, validators=[*presence, Length(max=300)], description=help_text)


def values_form(
    spec: TemplateSpec, data: dict[str, Any] | None = None, revision: int | None = None
) -> FlaskForm:
    """A form with one field per declared variable, named ``v_<name>``.

    Given ``data``, the form shows it (not what was posted); ``revision`` is the draft's
    revision it was loaded at, sent back so a save from a stale page is refused.
    """

    class ValuesForm(FlaskForm):
        revision = IntegerField(widget=HiddenInput(), validators=[Optional()])

    for variable in spec.variables:
        setattr(ValuesForm, VALUE_PREFIX + variable.name, _field_for(variable))
    if any(variable.plan_milestone for variable in spec.variables):
        ValuesForm.override_reason = TextAreaField(
            "Why targets differ from the plan (if they do)",
            validators=[Optional(), Length(max=1000)],
            description="Required when a target you set differs from the number in the "
            "rep's own plan. It is kept on the agreement's audit trail.",
            render_kw={"rows": 2},
        )
    initial: dict[str, Any] = {VALUE_PREFIX + key: value for key, value in (data or {}).items()}
    if data is None:
        return ValuesForm()
    return ValuesForm(formdata=None, data=initial | {"revision": revision})


def typed_values(form: FlaskForm, spec: TemplateSpec) -> dict[str, str | None]:
    """The submitted values as text, for the service to parse and check."""
    values: dict[str, str | None] = {}
    for variable in spec.variables:
        raw = form[VALUE_PREFIX + variable.name].data
        values[variable.name] = None if raw is None or raw == "" else str(raw)
    return values


def override_reason_of(form: FlaskForm) -> str:
    """Why targets differ from the plan, as typed; empty for templates without plan targets."""
    field = getattr(form, "override_reason", None)
    return str(field.data or "").strip() if field is not None else ""


def form_values(spec: TemplateSpec, stored: dict[str, Any]) -> dict[str, Any]:
    """Stored values converted for the generated form's fields (dates and numbers typed)."""
    converted: dict[str, Any] = {}
    for variable in spec.variables:
        value = stored.get(variable.name)
        if value is None or value == "":
            converted[variable.name] = None
        elif variable.type == "date":
            converted[variable.name] = date.fromisoformat(str(value))
        elif variable.type in ("number", "money", "percent"):
            converted[variable.name] = Decimal(str(value))
        else:
            converted[variable.name] = str(value)
    return converted


class SendForm(FlaskForm):
    """Sending a draft: the day to sign by (empty: the default) and the button."""

    sign_by = DateField(
        "Sign by",
        validators=[Optional()],
        description="The day the signatures are due; past it, the agreement shows as overdue.",
    )


class VoidForm(FlaskForm):
    reason = TextAreaField(
        "Why is it voided?",
        validators=[DataRequired(message="Say why the agreement is voided."), Length(max=2000)],
        render_kw={"rows": 2},
    )


class SignForm(FlaskForm):
    # The service checks both again; here they are so a refused submit names every gap at once.
    consent = BooleanField(
        "I agree to sign electronically (read the text above).",
        validators=[DataRequired(message="Tick the box to agree to sign electronically.")],
    )
    consent_version = HiddenField(default=CURRENT_CONSENT_VERSION)
    typed_name = StringField(
        "Type your full legal name",
        validators=[DataRequired(message="Type your full legal name to sign."), Length(max=120)],
        description="It must match the name on record, shown above.",
        render_kw={"autocomplete": "name"},
    )
    password = PasswordField(
        "Your password",
        validators=[Optional(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )

    def signature(self, signed_in_at: datetime | None) -> SignatureInput:
        """What was submitted, for the service to check; ``signed_in_at`` is the last login."""
        return SignatureInput(
            typed_name=self.typed_name.data or "",
            consent=bool(self.consent.data),
            consent_version=self.consent_version.data or "",
            password=self.password.data or "",
            signed_in_at=signed_in_at,
        )


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        "Why do you decline?",
        validators=[DataRequired(message="Say why you decline, so HR can follow up.")],
        render_kw={"rows": 3},
    )


class BulkForm(OnceForm):
    """Sending one template to a team or a start cohort."""

    team = SelectField("Team", validators=[Optional()])
    cohort = SelectField("Start cohort (month started)", validators=[Optional()])
    sign_by = DateField(
        "Sign by",
        validators=[Optional()],
        description="The day the signatures are due; empty: the usual number of days from today.",
    )
    # Set by the preview: sending happens only for exactly what was previewed.
    previewed = HiddenField()

    @property
    def team_id(self) -> int | None:
        return parse_id(self.team.data)


def bulk_form(teams: Any, cohorts: list[str]) -> BulkForm:
    form = BulkForm()
    form.team.choices = [("", "Any team"), *((str(t.id), t.name) for t in teams)]
    form.cohort.choices = [("", "Any start month"), *((c, c) for c in cohorts)]
    return form


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    # Callables: WTForms 3.3 deprecates (value, label) tuples given to the constructor.
    status = SelectField(
        "Status",
        choices=lambda: [("", "Any status"), *((s.value, s.short_label) for s in AgreementStatus)],
        validators=[Optional()],
    )
    kind = SelectField(
        "Kind",
        choices=lambda: [("", "Any kind"), *((k.value, k.label) for k in AgreementKind)],
        validators=[Optional()],
    )
    team = SelectField("Team", validators=[Optional()])
    q = StringField(
        "Rep name or email",
        validators=[Optional(), Length(max=100)],
        render_kw={"type": "search", "autocomplete": "off"},
    )
    # One rep's agreements (a link from elsewhere): kept while the other filters change.
    rep = HiddenField()
    sort = HiddenField()
    date_from = DateField("Sent from", validators=[Optional()])
    date_to = DateField("Sent until", validators=[Optional()])


def filter_form(args: Any, teams: Any) -> FilterForm:
    form = FilterForm(args)
    form.team.choices = [("", "All teams"), *((str(t.id), t.name) for t in teams)]
    return form


FILTER_KEYS = ("status", "kind", "team", "rep", "q", "date_from", "date_to")


def filters_from(args: Any) -> AgreementFilters:
    """The list's filters from a query string or the export form; anything unreadable is unset."""

    def number(key: str) -> int | None:
        return parse_id(args.get(key, ""))

    def day(key: str) -> date | None:
        try:
            return date.fromisoformat(args.get(key, ""))
        except ValueError:
            return None

    status, kind = args.get("status", ""), args.get("kind", "")
    return AgreementFilters(
        status=AgreementStatus(status) if status in set(AgreementStatus) else None,
        kind=AgreementKind(kind) if kind in set(AgreementKind) else None,
        team_id=number("team"),
        rep_id=number("rep"),
        date_from=day("date_from"),
        date_to=day("date_to"),
        search=str(args.get("q", "")).strip()[:100],
    )


class ExportForm(FlaskForm):
    """Exporting the current selection; the filters travel as hidden fields."""

    status = HiddenField()
    kind = HiddenField()
    team = HiddenField()
    rep = HiddenField()
    q = HiddenField()
    date_from = HiddenField()
    date_to = HiddenField()


class VerifyForm(FlaskForm):
    pdf = FileField(
        "Agreement PDF",
        validators=[FileRequired("Choose a PDF file."), FileAllowed(["pdf"], "Choose a PDF file.")],
    )
