"""Checks of a quest (``quests/*.yaml``) and of ``points.yaml`` beyond their schema."""

from __future__ import annotations

from app.curriculum.checks.documents import Finding
from app.curriculum.checks.stages import Context, unknown_stage
from app.curriculum.schema_numbers import Quest, QuestGoal, QuestWindow

POINTS_FILE = "points.yaml"

# What each kind of goal needs, and what it must not say (it would be silently ignored).
_NEEDS: dict[str, tuple[str, ...]] = {
    "certification": ("stage",),
    "milestones": ("target",),
    "commitments": ("target",),
    "metric": ("metric", "target"),
}
_MEANS = {
    "stage": "the stage",
    "target": "how many (a whole number from 1)",
    "metric": "which activity metric",
}


def check_quest(quest: Quest, context: Context) -> list[Finding]:
    """A window that is either fixed dates or a repeating period, and a goal that says all its
    kind needs: a known (and certified) stage, a metric, a target."""
    return _window_problems(quest.window) + _goal_problems(quest.goal, context)


def _window_problems(window: QuestWindow) -> list[Finding]:
    dates = (window.start, window.end)
    if window.every is not None:
        if any(day is not None for day in dates):
            return [(("window",), "give either 'every' or 'start' and 'end', not both")]
        return []
    if window.start is None or window.end is None:
        missing = "start" if window.start is None else "end"
        reason = f"missing '{missing}': a quest runs from a start date to an end date"
        return [(("window", missing), reason + " (or give 'every: week' or 'every: month')")]
    if window.end < window.start:
        return [(("window", "end"), f"ends ({window.end}) before it starts ({window.start})")]
    return []


def _goal_problems(goal: QuestGoal, context: Context) -> list[Finding]:
    found: list[Finding] = []
    needs = _NEEDS[goal.kind]
    for name in needs:
        if getattr(goal, name) is None:
            found.append((("goal", name), f"a {goal.kind} goal needs {_MEANS[name]}"))
    for name in ("metric", "target"):
        if name not in needs and getattr(goal, name) is not None:
            found.append((("goal", name), f"a {goal.kind} goal has no {name}: remove it"))
    if goal.kind == "metric" and goal.stage is not None:
        found.append((("goal", "stage"), "a metric goal has no stage: remove it"))
    elif goal.stage is not None:
        found += [(("goal", "stage"), reason) for reason in _stage_problems(goal, context)]
    return found


def _stage_problems(goal: QuestGoal, context: Context) -> list[str]:
    """A known stage; for a certification, one a rubric certifies (when the rubrics load)."""
    stage = goal.stage or ""
    unknown = unknown_stage(stage, context)
    if unknown:
        return [unknown]
    rubrics = context.rubric_stages
    if goal.kind == "certification" and rubrics is not None and stage not in rubrics:
        return [f"no rubric certifies the '{stage}' stage: add one to rubrics/"]
    return []
