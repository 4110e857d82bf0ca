"""Pydantic's schema errors in a curriculum author's words, at their path in the file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from app.curriculum.checks.documents import Document, Finding, Loc, Problem

_MISSING_HINTS = {
    "measure": "every milestone needs a measure: how it is judged done",
    "target": "a number measure needs a target, e.g. 50",
    "unit": 'a number measure needs a unit, e.g. "dials per week"',
    "with": 'a meeting measure says who it is with, e.g. "your coach"',
    "stage": "a certification names the sales stage it certifies",
    "due_day": "the day of the ramp the milestone is due",
    "milestones": "a phase lists its milestones",
    "levels": "a descriptor for every level of the scale",
    "weight": "the criterion's share of the weighted average, in percent",
    "pass_rule": "min_average, min_level and optionally must_pass",
    "evidence": "which evidence the assessor bases the score on",
    "validity_days": "how many days a certification stays valid",
    "cooldown_days": "days to wait after a failed attempt (0 for none)",
    "persona": "who the buyer is: the person the coach plays",
    "situation": "what is going on at the buyer when the conversation starts",
    "objective": "what the rep must achieve in the role-play",
    "objections": "the objections the buyer is likely to raise",
    "strong_answer": "what a strong answer includes",
}

_TYPE_REASONS = {
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "model_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
    "dict_type": "must be a mapping of fields",
}


def _schema_findings(error: ValidationError, data: Any) -> list[Finding]:
    return [(_data_loc(detail["loc"], data), _reason(detail)) for detail in error.errors()]


def _data_loc(loc: Sequence[str | int], data: Any) -> Loc:
    """Pydantic's error location as a path in the YAML: drop the union tag it inserts.

    A discriminated union reports ``measure.number.target``; in the file that is
    ``measure.target``, where ``number`` is the measure's ``kind``.
    """
    path: list[str | int] = []
    current = data
    for part in loc:
        if (
            isinstance(current, dict)
            and isinstance(part, str)
            and part not in current
            and current.get("kind") == part
        ):
            continue
        path.append(part)
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            current = None
    return tuple(path)


def _reason(detail: ErrorDetails) -> str:
    """Pydantic's message in a curriculum author's words."""
    kind = detail["type"]
    ctx = detail.get("ctx", {})
    name = detail["loc"][-1] if detail["loc"] else ""
    given = detail.get("input")
    if kind == "missing":
        return f"missing ({_MISSING_HINTS.get(str(name), 'required field')})"
    if kind == "extra_forbidden":
        return f"unknown field '{name}'"
    if kind == "union_tag_invalid":
        return f"unknown kind {ctx.get('tag')!r} (expected one of {ctx.get('expected_tags')})"
    if kind == "union_tag_not_found":
        return "missing kind (checkbox, number, certification or meeting)"
    if kind == "literal_error":
        return f"{given!r} is not allowed here (expected {ctx.get('expected')})"
    if kind == "string_pattern_mismatch":
        return (
            f"{given!r} is not a valid key: use lowercase letters, digits and hyphens, "
            "starting with a letter"
        )
    if kind == "string_too_short":
        return "must not be empty"
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        word = "greater than" if kind == "greater_than" else "at least"
        return f"must be {word} {_number(bound)}, not {given!r}"
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind in _TYPE_REASONS:
        shown = "" if isinstance(given, dict | list) else f", not {given!r}"
        return f"{_TYPE_REASONS[kind]}{shown}"
    return detail["msg"]


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def validate(document: Document, model: type[BaseModel]) -> BaseModel | None:
    """The file's data as ``model``, or None with the schema problems added to the document."""
    if document.problems and document.data is None:
        return None  # unreadable or unparseable: nothing more to say about it
    if document.data is None:
        document.problems.append(Problem(document.file, "", "the file is empty"))
        return None
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        for loc, reason in _schema_findings(exc, document.data):
            document.problems.append(document.problem(loc, reason))
        return None
