"""From an agreement template, the rep's record and HR's values to the document a rep signs.

Pure functions, no database and no Flask: the service builds documents with them, and the tests
cover them directly. What a template may say (placeholders, tables, variable values) is defined
with the curriculum's checks of templates, in ``app.curriculum.checks.agreements``.

Safety: the template's Markdown is rendered with raw HTML and images switched off, and
placeholders are replaced *after* the Markdown is rendered, with values escaped. Nothing a
user types can become markup, a link or an image, so it can never make the PDF renderer
fetch anything.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from app.curriculum.checks.agreements import BLOCKS, PLACEHOLDER, parse_value
from app.curriculum.schema import AgreementTemplate, AgreementVariable

# A block placeholder stands alone in its paragraph and becomes a table from the record.
BLOCK_PARAGRAPH = re.compile(r"<p>\{\{\s*([a-z][a-z0-9_]*)\s*\}\}</p>")

RECORD_DATE_FIELDS = {"rep.start_date", "plan.start_date", "plan.end_date", "agreement.date"}
COUNTERSIGNER_LABELS = {"rep": "Rep", "hr": "HR", "coach": "Coach"}


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable("image")
    return md


_MD = _markdown()


@lru_cache(maxsize=64)
def _body_html(body: str) -> str:
    """A template body's Markdown as HTML, before its placeholders are filled: the same for
    every rep, so a batch of many agreements renders it once."""
    return _MD.render(body)


# --- values HR fills in ---------------------------------------------------------------------


def parse_values(
    template: AgreementTemplate, raw: Mapping[str, str | None]
) -> tuple[dict[str, str | None], dict[str, str]]:
    """All values in stored form, and an error message per variable that is not right."""
    values: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for variable in template.variables:
        value, error = parse_value(variable, raw.get(variable.name))
        values[variable.name] = value
        if error:
            errors[variable.name] = error
    return values, errors


def default_values(template: AgreementTemplate) -> dict[str, str | None]:
    return {v.name: None if v.default is None else str(v.default) for v in template.variables}


# --- targets from the rep's plan ------------------------------------------------------------


@dataclass(frozen=True)
class TargetOverride:
    """A target in the agreement that differs from the same target in the rep's plan."""

    name: str
    label: str
    plan: str  # both as the document reads them ("50 dials")
    agreed: str

    @property
    def text(self) -> str:
        return f"{self.label}: {self.agreed} in the agreement, {self.plan} in the plan"


def with_plan_targets(
    template: AgreementTemplate, values: Mapping[str, str | None], record: RepRecord
) -> dict[str, str | None]:
    """HR's values, with each target left empty taken from the rep's own plan.

    A target the plan does not set (an AE's plan has no dials) stays empty, and reads "—",
    rather than a number nobody agreed for this rep.
    """
    filled = dict(values)
    for variable in template.variables:
        if variable.plan_milestone and filled.get(variable.name) in (None, ""):
            filled[variable.name] = record.plan_targets.get(variable.plan_milestone)
    return filled


def target_overrides(
    template: AgreementTemplate, values: Mapping[str, str | None], record: RepRecord
) -> list[TargetOverride]:
    """The targets whose value differs from the number in the rep's plan, with both numbers."""
    overrides = []
    for variable in template.variables:
        planned = record.plan_targets.get(variable.plan_milestone or "")
        agreed = values.get(variable.name)
        if planned is None or agreed in (None, "") or Decimal(str(agreed)) == Decimal(planned):
            continue
        overrides.append(
            TargetOverride(
                variable.name,
                variable.label,
                plan=format_value(variable, planned),
                agreed=format_value(variable, agreed),
            )
        )
    return overrides


def override_detail(overrides: Sequence[TargetOverride], reason: str) -> str:
    """What the audit trail keeps about targets set apart from the plan, and why."""
    if not overrides:
        return ""
    return "; ".join(o.text for o in overrides) + f". Reason: {reason}"


def format_value(variable: AgreementVariable, value: str | None) -> str:
    """How a stored value reads in the document."""
    if value is None or value == "":
        return "—"
    if variable.type == "date":
        return format_date(date.fromisoformat(value))
    if variable.type in ("number", "money", "percent"):
        number = Decimal(value)
        if variable.type == "money":
            shown = f"{number:,.2f}" if number % 1 else f"{number:,.0f}"
        else:
            shown = f"{number.normalize():,f}"
        if variable.type == "percent":
            return f"{shown}%"
        return f"{shown} {variable.unit}" if variable.unit else shown
    return value


def format_date(value: date | None) -> str:
    if value is None:
        return "—"
    return f"{value.day} {value:%B %Y}"


# --- the rep's record -----------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneLine:
    phase: int
    title: str
    measure: str
    due: date
    done: bool


@dataclass(frozen=True)
class RepRecord:
    """What an agreement pulls from the rep's record, as plain values."""

    organisation: str
    rep_name: str
    rep_email: str
    rep_job_title: str = ""
    rep_start_date: date | None = None
    team: str = ""
    coach: str = ""
    plan_title: str = ""
    plan_start_date: date | None = None
    plan_end_date: date | None = None
    ramp_day: int | None = None
    overdue: int = 0
    milestones: tuple[MilestoneLine, ...] = ()
    certifications: tuple[MilestoneLine, ...] = ()
    overdue_milestones: tuple[MilestoneLine, ...] = ()
    phase_names: tuple[str, ...] = field(default_factory=tuple)
    # The plan's numeric targets by milestone key ("weekly-dials": "50"), for the variables
    # whose number comes from the plan (``plan_milestone``).
    plan_targets: Mapping[str, str] = field(default_factory=dict)

    def fields(self, issued: date) -> dict[str, str]:
        done = sum(1 for m in self.milestones if m.done)
        values: dict[str, Any] = {
            "organisation.name": self.organisation,
            "rep.name": self.rep_name,
            "rep.email": self.rep_email,
            "rep.job_title": self.rep_job_title or "Sales representative",
            "rep.start_date": self.rep_start_date,
            "rep.team": self.team,
            "coach.name": self.coach,
            "plan.title": self.plan_title,
            "plan.start_date": self.plan_start_date,
            "plan.end_date": self.plan_end_date,
            "ramp.day": self.ramp_day,
            "ramp.done": done if self.milestones else None,
            "ramp.total": len(self.milestones) if self.milestones else None,
            "ramp.overdue": self.overdue if self.milestones else None,
            "agreement.date": issued,
        }
        return {
            key: format_date(value)
            if isinstance(value, date)
            else ("—" if value in (None, "") else str(value))
            for key, value in values.items()
        }


# --- building the document ------------------------------------------------------------------


def render_body(
    template: AgreementTemplate,
    values: Mapping[str, str | None],
    record: RepRecord,
    issued: date,
) -> str:
    """The agreement's text as HTML: Markdown from the template, every value escaped."""
    html = _body_html(template.body)
    variables = {v.name: v for v in template.variables}
    fields = record.fields(issued)

    def block(match: re.Match[str]) -> str:
        name = match.group(1)
        return _block_html(name, record) if name in BLOCKS else match.group(0)

    def inline(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in variables:
            text = format_value(variables[name], values.get(name))
        else:
            text = fields.get(name, "—")
        return str(Markup("<br>").join(escape(line) for line in text.split("\n")))

    html = BLOCK_PARAGRAPH.sub(block, html)
    return PLACEHOLDER.sub(inline, html)


def _block_html(name: str, record: RepRecord) -> str:
    rows: Sequence[MilestoneLine]
    if name == "plan_milestones":
        rows, empty = record.milestones, "No onboarding plan is assigned yet."
    elif name == "certifications":
        rows, empty = record.certifications, "The plan has no certifications."
    elif name == "overdue_milestones":
        rows, empty = record.overdue_milestones, "Nothing is overdue."
    else:
        return str(escape(f"{{{{ {name} }}}}"))
    if not rows:
        return str(Markup('<p class="muted">{}</p>').format(empty))
    # Escaped cell by cell as Markup.format would, without its formatter's cost per cell.
    lines = [
        Markup(
            f"<tr><td>{escape(_phase_label(row.phase, record))}</td><td>{escape(row.title)}</td>"
            f"<td>{escape(row.measure)}</td><td>{escape(format_date(row.due))}</td></tr>"
        )
        for row in rows
    ]
    head = Markup(
        '<table class="record-table"><thead><tr><th scope="col">Phase</th>'
        '<th scope="col">Milestone</th><th scope="col">How it is measured</th>'
        '<th scope="col">Due</th></tr></thead><tbody>'
    )
    return str(head + Markup("").join(lines) + Markup("</tbody></table>"))


def _phase_label(phase: int, record: RepRecord) -> str:
    days = {1: "days 1-30", 2: "days 31-60", 3: "days 61-90"}.get(phase, "")
    return f"Phase {phase} ({days})" if days else f"Phase {phase}"


def build_document(
    template: AgreementTemplate,
    template_version: int,
    values: Mapping[str, str | None],
    record: RepRecord,
    issued: date,
) -> dict[str, Any]:
    """The complete document as plain, JSON-serialisable values: what is frozen and hashed."""
    return {
        "title": template.title,
        "kind": template.kind,
        "template": {"id": template.id, "version": template_version},
        "organisation": record.organisation,
        "rep": {"name": record.rep_name, "email": record.rep_email, "title": record.rep_job_title},
        "coach": record.coach,
        "issued_on": issued.isoformat(),
        "issued_on_text": format_date(issued),
        "countersign": list(template.countersign),
        "body_html": render_body(template, values, record, issued),
    }


def content_hash(document: Mapping[str, Any]) -> str:
    """SHA-256 of the document's canonical JSON: what every audit event records."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def names_match(typed: str, on_record: str) -> bool:
    """The typed name is the name on record, ignoring case and spacing."""

    def normal(text: str) -> str:
        return " ".join(text.split()).casefold()

    return bool(normal(typed)) and normal(typed) == normal(on_record)
