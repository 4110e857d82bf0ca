"""Rubric versions as stored, and which one a rep is certified against."""

from __future__ import annotations

from collections.abc import Sequence

from app.accounts.models import User
from app.curriculum.models import RubricTemplate
from app.curriculum.schema import Rubric
from app.curriculum.service import current_version, current_versions, stage_names, stages
from app.errors import NotFound
from app.plans import service as plans

# --- rubrics ---------------------------------------------------------------------------------


# Parsed rubric versions by content hash: a version's content never changes, so this is safe.
_SPECS: dict[str, Rubric] = {}


def rubric_spec(row: RubricTemplate) -> Rubric:
    """The stored rubric version as the validated data class it was loaded from."""
    spec = _SPECS.get(row.content_hash)
    if spec is None:
        content = dict(row.content)
        # JSON turned the level numbers that key each criterion's descriptors into strings.
        content["criteria"] = [
            {**c, "levels": {int(level): text for level, text in c["levels"].items()}}
            for c in content["criteria"]
        ]
        spec = _SPECS[row.content_hash] = Rubric.model_validate(content)
    return spec


def current_rubrics() -> list[RubricTemplate]:
    order = {stage.key: stage.position for stage in stages()}
    rows = current_versions(RubricTemplate)
    return sorted(rows, key=lambda r: (order.get(r.stage, 99), r.role or "", r.rubric_key))


def current_rubric(key: str) -> RubricTemplate:
    return current_version(RubricTemplate, key)


def plan_role(rep: User) -> str:
    """The role of the rep's active plan (SDR, AE, ...): rubrics may be written for one role."""
    return plans.active_plan_role(rep)


def pick_rubric(rubrics: Sequence[RubricTemplate], stage: str, role: str) -> RubricTemplate | None:
    """The stage's rubric for this role if there is one, else the stage's general rubric."""
    rows = [r for r in rubrics if r.stage == stage]
    for row in rows:
        if row.role and row.role.casefold() == role.casefold():
            return row
    return next((r for r in rows if not r.role), None)


def rubric_for(rep: User, stage: str) -> RubricTemplate:
    """The current rubric a rep is certified against."""
    row = pick_rubric(current_rubrics(), stage, plan_role(rep))
    if row is None:
        name = stage_names().get(stage, stage)
        raise NotFound(f"There is no rubric for the {name} stage yet.")
    return row
