"""Checks of ``outcomes.yaml`` (ramped rule, targets, readiness weights) beyond its schema."""

from __future__ import annotations

from app.curriculum.checks.documents import Finding, format_path
from app.curriculum.schema_numbers import OutcomesDefinition

OUTCOMES_FILE = "outcomes.yaml"
WEIGHTS_TOTAL = 100


def check_outcomes(outcomes: OutcomesDefinition) -> list[Finding]:
    """The weights make 100 points and each role has one set of targets."""
    found: list[Finding] = []
    weights = outcomes.readiness.model_dump()
    total = sum(weights.values())
    if total != WEIGHTS_TOTAL:
        parts = " + ".join(f"{name} {weight}" for name, weight in weights.items())
        reason = f"the weights must add up to {WEIGHTS_TOTAL} points, not {total} ({parts})"
        found.append((("readiness",), reason))
    first: dict[str, int] = {}
    for index, targets in enumerate(outcomes.targets):
        role = targets.role.strip().upper()
        if role in first:
            also = format_path(("targets", first[role]))
            found.append((("targets", index, "role"), f"duplicate role '{targets.role}' ({also})"))
        first.setdefault(role, index)
    return found
