"""The models of the numbers in the curriculum: ``outcomes.yaml`` (what "ramped" means, targets,
readiness weights, the drivers' minimum), quests (``quests/*.yaml``) and ``points.yaml``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from app.curriculum.fields import (
    ActivityMetric,
    Frozen,
    Slug,
    Text,
    Versioned,
    whole_number_as_int,
)

# --- ramp outcomes and the readiness score ----------------------------------------------------

Percent = Annotated[int, Field(strict=True, ge=1, le=100)]
Weight = Annotated[int, Field(strict=True, ge=0, le=100)]
MonthlyTarget = Annotated[float, Field(strict=True, gt=0), AfterValidator(whole_number_as_int)]


class RampedRule(Frozen):
    """When a rep counts as ramped: ``share`` percent of their role's monthly target of its
    metric, reached in ``months_running`` ramp months in a row (30-day months from the start)."""

    share: Percent
    months_running: Annotated[int, Field(strict=True, ge=1, le=12)]
    description: Text


class RoleTargets(Frozen):
    """A role's monthly target of one metric, by ramp month; the last one holds afterwards."""

    role: Text
    metric: ActivityMetric
    monthly: Annotated[tuple[MonthlyTarget, ...], Field(min_length=1, max_length=24)]

    def target_in_month(self, month: int) -> float:
        """The target of ramp month ``month`` (1 = days 1-30)."""
        return self.monthly[min(month, len(self.monthly)) - 1]


class ReadinessWeights(Frozen):
    """How many of the readiness score's 100 points each part is worth (they add up to 100)."""

    milestones_on_time: Weight
    certifications: Weight
    commitments_kept: Weight
    activity: Weight


class DriversRule(Frozen):
    """Which parts of the plan go with faster ramps: a milestone's on-time reps are compared
    with the others only when each group has at least ``min_reps`` reps who have ramped (a
    median of one or two people is an anecdote, and gives their figures away)."""

    min_reps: Annotated[int, Field(strict=True, ge=2, le=1000)] = 5


class OutcomesDefinition(Versioned):
    """``outcomes.yaml``: what "ramped" means, the monthly targets per role, and the weights of
    the readiness score. Versioned: a score says which version of the weights it used."""

    id: Slug
    title: Text
    ramped: RampedRule
    targets: Annotated[tuple[RoleTargets, ...], Field(min_length=1)]
    readiness: ReadinessWeights
    drivers: DriversRule = DriversRule()

    def targets_for(self, role: str | None) -> RoleTargets | None:
        """The targets of a role (as plan templates name it, case aside), if it has any."""
        wanted = (role or "").strip().upper()
        return next((t for t in self.targets if t.role.strip().upper() == wanted), None)


# --- quests and points (opt-in motivation) ----------------------------------------------------

Count = Annotated[int, Field(strict=True, ge=1, le=100_000)]
PointValue = Annotated[int, Field(strict=True, ge=0, le=1000)]


class QuestWindow(Frozen):
    """When a quest runs: fixed dates (``start`` and ``end``, both counted), or ``every``
    calendar week (Monday to Sunday) or month, in each person's own today."""

    every: Literal["week", "month"] | None = None
    start: Annotated[date, Field(strict=True)] | None = None
    end: Annotated[date, Field(strict=True)] | None = None


class QuestGoal(Frozen):
    """What counts towards a quest: a certification passed on ``stage`` by the end; or, inside
    the window, ``target`` milestones done (of ``stage`` when given), commitments kept, or the
    sum of an activity ``metric`` (revenue in whole units)."""

    kind: Literal["certification", "milestones", "commitments", "metric"]
    stage: Slug | None = None
    metric: ActivityMetric | None = None
    target: Count | None = None


class Quest(Versioned):
    """A time-boxed challenge: ``personal`` (each rep on their own) or ``team`` (done when every
    rep of the team, of ``role`` when given, reaches the goal)."""

    id: Slug
    title: Text
    description: Text
    scope: Literal["personal", "team"]
    role: Text | None = None
    window: QuestWindow
    goal: QuestGoal


class PointsRules(Versioned):
    """``points.yaml``: the points a rep earns for what shows engagement (not ability)."""

    id: Slug
    title: Text
    milestone_on_time: PointValue
    certification_passed: PointValue
    commitment_kept: PointValue
