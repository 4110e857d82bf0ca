"""Checks of an agreement template (``agreements/*.yaml``): placeholders and variables.

What a template may refer to (the rep's record, the tables drawn from it) and what a value of
each variable type may be are part of the curriculum's language: the agreements feature renders
documents and parses what HR fills in with the same definitions.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from app.curriculum.checks.documents import Finding
from app.curriculum.checks.stages import Context
from app.curriculum.schema import AgreementTemplate, AgreementVariable

PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)\s*\}\}")
# What the agreement pulls from the rep's record, with what each is, for template authors.
RECORD_FIELDS: dict[str, str] = {
    "organisation.name": "the organisation's name",
    "rep.name": "the rep's full name",
    "rep.email": "the rep's email address",
    "rep.job_title": "the rep's job title",
    "rep.start_date": "the rep's start date",
    "rep.team": "the rep's team",
    "coach.name": "the rep's coach",
    "plan.title": "the title of the rep's onboarding plan",
    "plan.start_date": "day 1 of the plan",
    "plan.end_date": "the last due date of the plan",
    "ramp.day": "the day of the ramp the rep is on today",
    "ramp.done": "milestones done so far",
    "ramp.total": "milestones in the plan",
    "ramp.overdue": "milestones past their due date and not done",
    "agreement.date": "the date the agreement is issued",
}
BLOCKS: dict[str, str] = {
    "plan_milestones": "every milestone of the plan, by phase, with its due date",
    "certifications": "the certifications in the plan with their due dates",
    "overdue_milestones": "milestones past their due date and not done",
}


def check_template(template: AgreementTemplate) -> list[Finding]:
    """Problems the schema cannot see: unknown placeholders, unused or clashing variables."""
    found: list[Finding] = []
    declared: dict[str, int] = {}
    for index, variable in enumerate(template.variables):
        loc: tuple[str | int, ...] = ("variables", index)
        if variable.name in declared:
            found.append(
                (
                    (*loc, "name"),
                    f"duplicate variable '{variable.name}' "
                    f"(also variables[{declared[variable.name]}])",
                )
            )
        declared.setdefault(variable.name, index)
        if variable.name in BLOCKS:
            found.append(((*loc, "name"), f"'{variable.name}' is filled from the record"))
        if variable.default is not None and parse_value(variable, str(variable.default))[1]:
            reason = parse_value(variable, str(variable.default))[1]
            found.append(((*loc, "default"), f"default {variable.default!r}: {reason}"))
        if variable.min is not None and variable.max is not None and variable.min > variable.max:
            found.append(((*loc, "min"), f"min {variable.min} is greater than max {variable.max}"))
        if variable.plan_milestone and (variable.type != "number" or variable.required):
            found.append(
                (
                    (*loc, "plan_milestone"),
                    "a target from the plan is a number that is not required "
                    "(left empty, each rep's plan fills it in)",
                )
            )
        if variable.type == "money" and not variable.unit:
            found.append(((*loc, "unit"), 'a money variable names its currency, e.g. "EUR"'))
    if len(set(template.countersign)) != len(template.countersign):
        found.append((("countersign",), "each countersigner is listed once"))
    if "hr" not in template.countersign:
        found.append((("countersign",), "HR countersigns every agreement: include 'hr'"))
    used: set[str] = set()
    for number, line in enumerate(template.body.split("\n")):
        for match in PLACEHOLDER.finditer(line):
            name = match.group(1)
            used.add(name)
            if name in BLOCKS:
                if line.strip() != match.group(0):
                    found.append(
                        (
                            ("body", number),
                            f"{{{{ {name} }}}} is a table: put it on a line of its own",
                        )
                    )
            elif name not in RECORD_FIELDS and name not in declared:
                found.append((("body", number), _unknown_placeholder(name, declared)))
    for name, index in declared.items():
        if name not in used:
            found.append(
                (("variables", index, "name"), f"variable '{name}' is never used in the body")
            )
    found.extend(check_notice_conditions(template))
    return found


HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")


def clause_headings(body: str) -> list[str]:
    """The headings of a template's body: what a notice condition's ``clause`` may name."""
    return [m.group(1) for line in body.split("\n") if (m := HEADING.match(line.strip()))]


def check_notice_conditions(template: AgreementTemplate) -> list[Finding]:
    """Each condition says one thing to watch and cites a clause the body has."""
    found: list[Finding] = []
    if template.notice_when and template.kind != "consequence":
        found.append((("notice_when",), "only a consequence agreement names notice conditions"))
    headings = clause_headings(template.body)
    for index, condition in enumerate(template.notice_when):
        loc: tuple[str | int, ...] = ("notice_when", index)
        watched = [
            name
            for name in ("status", "milestone_overdue_days", "certification_failed")
            if getattr(condition, name) is not None
        ]
        if len(watched) != 1:
            found.append(
                (
                    loc,
                    "give exactly one of status (with for_days), milestone_overdue_days "
                    "and certification_failed",
                )
            )
        if (condition.status is None) != (condition.for_days is None):
            found.append(((*loc, "for_days"), "status and for_days go together"))
        if condition.clause.casefold() not in {h.casefold() for h in headings}:
            close = difflib.get_close_matches(condition.clause, headings, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "name a '## heading' of the body"
            found.append(((*loc, "clause"), f"no clause '{condition.clause}' ({hint})"))
    return found


def _unknown_placeholder(name: str, declared: Mapping[str, int]) -> str:
    known = [*declared, *RECORD_FIELDS, *BLOCKS]
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else "declare it under variables"
    return f"unknown placeholder {{{{ {name} }}}} ({hint})"


def parse_value(variable: AgreementVariable, raw: str | None) -> tuple[str | None, str | None]:
    """The canonical stored form of one value, or an error message; ``None`` for empty."""
    text = (raw or "").strip() if variable.type != "multiline" else (raw or "").strip("\n ")
    if not text:
        return None, ("Fill this in." if variable.required else None)
    if variable.type in ("text", "multiline"):
        limit = 300 if variable.type == "text" else 5000
        if len(text) > limit:
            return None, f"Keep it under {limit} characters."
        return text.replace("\r\n", "\n"), None
    if variable.type == "date":
        try:
            return date.fromisoformat(text).isoformat(), None
        except ValueError:
            return None, "Enter a date as YYYY-MM-DD."
    try:
        number = Decimal(text.replace(",", "").removesuffix("%").strip())
    except InvalidOperation:
        return None, "Enter a number."
    if not number.is_finite():
        return None, "Enter a number."
    if variable.min is not None and number < Decimal(str(variable.min)):
        return None, f"Enter at least {_plain_number(Decimal(str(variable.min)))}."
    if variable.max is not None and number > Decimal(str(variable.max)):
        return None, f"Enter at most {_plain_number(Decimal(str(variable.max)))}."
    return _plain_number(number), None


def _plain_number(number: Decimal) -> str:
    return format(number.normalize(), "f")


def check_agreement(template: AgreementTemplate, _context: Context) -> list[Finding]:
    """The loader's check of an agreement template: it refers to no other file."""
    return check_template(template)
