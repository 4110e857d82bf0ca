"""Checks of ``stages.yaml``, and of references to a stage from the other files."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from app.curriculum.checks.documents import Finding, format_path
from app.curriculum.schema import Stage

STAGES_FILE = "stages.yaml"


@dataclass(frozen=True)
class Context:
    """What the checks of one file may refer to in the rest of the curriculum."""

    stage_keys: tuple[str, ...] | None  # None when stages.yaml is broken: skip stage checks
    # The stages the rubrics certify; None when there are no rubrics (yet) or they are broken.
    rubric_stages: frozenset[str] | None = None


def unknown_stage(key: str, context: Context) -> str | None:
    """Why ``key`` is not a stage (with the closest one), or None if it is one."""
    if context.stage_keys is None or key in context.stage_keys:
        return None
    close = difflib.get_close_matches(key, context.stage_keys, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(context.stage_keys)}"
    return f"unknown stage '{key}' ({hint})"


def check_stages(stages: Sequence[Stage]) -> list[Finding]:
    """Each stage key is given once."""
    findings: list[Finding] = []
    first: dict[str, int] = {}
    for index, stage in enumerate(stages):
        if stage.key in first:
            where = format_path(("stages", first[stage.key]))
            findings.append(
                (("stages", index, "key"), f"duplicate stage key '{stage.key}' (also {where})")
            )
        first.setdefault(stage.key, index)
    return findings


class StagesFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    stages: tuple[Stage, ...]
