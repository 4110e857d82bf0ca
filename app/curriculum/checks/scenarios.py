"""Checks of a role-play scenario (``scenarios/*.yaml``) beyond its schema."""

from __future__ import annotations

from app.curriculum.checks.documents import Finding, format_path
from app.curriculum.checks.stages import Context, unknown_stage
from app.curriculum.schema import Scenario


def check_scenario(scenario: Scenario, context: Context) -> list[Finding]:
    """A scenario belongs to a known stage and lists each objection and answer point once."""
    found: list[Finding] = []
    unknown = unknown_stage(scenario.stage, context)
    if unknown:
        found.append((("stage",), unknown))
    for name in ("objections", "strong_answer"):
        seen: dict[str, int] = {}
        for index, text in enumerate(getattr(scenario, name)):
            if text.casefold() in seen:
                reason = f"given twice (also {format_path((name, seen[text.casefold()]))})"
                found.append(((name, index), reason))
            seen.setdefault(text.casefold(), index)
    return found
