"""Checks of a certification rubric (``rubrics/*.yaml``) beyond its schema."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from app.curriculum.checks.documents import Finding, Loc, format_path
from app.curriculum.checks.stages import Context, unknown_stage
from app.curriculum.schema import Rubric

# Weights are percentages of the weighted average: a reader sees at once that questioning is
# "25% of the score". Allow for rounding in thirds (33.3 + 33.3 + 33.4).
WEIGHT_TOTAL = 100
WEIGHT_TOLERANCE = 0.01


def check_rubric(rubric: Rubric, context: Context) -> list[Finding]:
    """Rules across a rubric's fields: the scale, a descriptor per level, weights, the pass rule."""
    found: list[Finding] = []
    unknown = unknown_stage(rubric.stage, context)
    if unknown:
        found.append((("stage",), unknown))
    levels = [s.level for s in rubric.scale]
    expected = list(range(1, len(levels) + 1))
    if levels != expected:
        reason = f"the scale's levels must be {_list(expected)} in order, not {_list(levels)}"
        found.append((("scale",), reason))
    names = {s.level: s.name for s in rubric.scale}
    low, high = (min(levels), max(levels)) if levels else (1, 1)
    span = f"{low}-{high}"

    seen: dict[str, int] = {}
    for c, criterion in enumerate(rubric.criteria):
        loc: Loc = ("criteria", c)
        if criterion.key in seen:
            also = format_path(("criteria", seen[criterion.key]))
            reason = f"duplicate criterion key '{criterion.key}' (also {also})"
            found.append(((*loc, "key"), reason))
        seen.setdefault(criterion.key, c)
        if criterion.weight <= 0:
            found.append(((*loc, "weight"), f"must be greater than 0, not {criterion.weight!r}"))
        for level in levels:
            if level not in criterion.levels:
                reason = f"missing descriptor for level {level} ({names[level]})"
                found.append(((*loc, "levels"), reason))
        for level in criterion.levels:
            if level not in names:
                reason = f"level {level} is not on the scale ({span})"
                found.append(((*loc, "levels", level), reason))
    total = sum(c.weight for c in rubric.criteria)
    if all(c.weight > 0 for c in rubric.criteria) and abs(total - WEIGHT_TOTAL) > WEIGHT_TOLERANCE:
        reason = (
            f"the weights add up to {total:g}; they are percentages of the score "
            f"and must add up to {WEIGHT_TOTAL}"
        )
        found.append((("criteria",), reason))

    rule = rubric.pass_rule
    if not low <= rule.min_average <= high:
        reason = f"{rule.min_average:g} is outside the scale ({span})"
        found.append((("pass_rule", "min_average"), reason))
    levels_named: tuple[tuple[str, int | None], ...] = (
        ("min_level", rule.min_level),
        ("must_pass_level", rule.must_pass_level),
    )
    for name, value in levels_named:
        if value is not None and value not in names:
            found.append((("pass_rule", name), f"{value} is not a level of the scale ({span})"))
    if rule.must_pass and rule.must_pass_level is None:
        reason = "must-pass criteria need a must_pass_level: the level they must reach"
        found.append((("pass_rule",), reason))
    keys = [criterion.key for criterion in rubric.criteria]
    for m, key in enumerate(rule.must_pass):
        if key not in keys:
            close = difflib.get_close_matches(key, keys, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"criteria: {', '.join(keys)}"
            found.append((("pass_rule", "must_pass", m), f"unknown criterion '{key}' ({hint})"))
    return found


def _list(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def rubric_audience(rubric: Rubric) -> tuple[str, str]:
    """One rubric per stage and role: a rep's certification must name exactly one rubric."""
    return rubric.stage, (rubric.role or "").casefold()
