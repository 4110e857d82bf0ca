"""Immutable data classes for the curriculum: stages, plans, rubrics, role-play scenarios and
agreements, and ``Curriculum``, the whole directory. The field types and base classes are in
``fields.py``; the numbers (outcomes, quests, points) in ``schema_numbers.py``.

These models check the shape of one file (types, required fields, slugs, URLs). Rules that
span fields or files (due days inside their phase, known stages, unique keys) live in
``loader.py``, which reports them all at once with file, path and line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from app.curriculum.fields import (
    ActivityMetric,
    Day,
    Frozen,
    Slug,
    Text,
    Versioned,
    check_link,
    whole_number_as_int,
)
from app.curriculum.schema_numbers import OutcomesDefinition, PointsRules, Quest


class Stage(Frozen):
    """A stage of the sales process (prospecting, discovery, ...), in pipeline order."""

    key: Slug
    name: Text
    description: Text


class CheckboxMeasure(Frozen):
    """Done or not done, ticked by the rep (or the coach when the milestone is verified)."""

    kind: Literal["checkbox"]
    description: Text | None = None


class Actuals(Frozen):
    """Where a number milestone's actual comes from: recorded activity, summed per ramp week
    (``per: week``, ``periods: [6, 7]``), per 30-day ramp month, or over the ramp up to the
    due day (``per: ramp``). Evaluated automatically from imported or logged figures."""

    metric: ActivityMetric
    per: Literal["week", "month", "ramp"]
    periods: tuple[Annotated[int, Field(strict=True, ge=1)], ...] = ()


class NumberMeasure(Frozen):
    """A numeric target, such as 50 dials per week or 10 meetings booked."""

    kind: Literal["number"]
    target: Annotated[float, Field(strict=True, gt=0), AfterValidator(whole_number_as_int)]
    unit: Text
    description: Text | None = None
    actuals: Actuals | None = None


class CertificationMeasure(Frozen):
    """Passing the certification for one sales stage."""

    kind: Literal["certification"]
    stage: Slug
    description: Text | None = None


class MeetingMeasure(Frozen):
    """A meeting that has to take place, with the coach, the manager or a peer."""

    kind: Literal["meeting"]
    with_: Text = Field(alias="with")
    description: Text | None = None


Measure = Annotated[
    CheckboxMeasure | NumberMeasure | CertificationMeasure | MeetingMeasure,
    Field(discriminator="kind"),
]


class Resource(Frozen):
    """A link to learning material for a milestone."""

    title: Text
    url: Annotated[
        str, StringConstraints(strict=True, strip_whitespace=True), AfterValidator(check_link)
    ]


class Milestone(Frozen):
    """One specific, measurable thing the rep does by a given day of the ramp."""

    key: Slug
    title: Text
    action: Text
    measure: Measure
    due_day: Day
    stage: Slug | None = None
    verify: Annotated[bool, Field(strict=True)] = False
    resource: Resource | None = None


class Phase(Frozen):
    """One of the three 30-day phases of a plan."""

    name: Text
    start_day: Day
    end_day: Day
    goal: Text
    milestones: tuple[Milestone, ...]


class PlanTemplate(Versioned):
    """A 30/60/90-day plan for one role, copied into a rep's plan when they start."""

    id: Slug
    title: Text
    role: Text
    description: Text
    phases: tuple[Phase, ...]

    def milestones(self) -> Iterator[tuple[int, Milestone]]:
        """Every milestone in plan order, with its phase number (1, 2 or 3)."""
        for number, phase in enumerate(self.phases, start=1):
            for milestone in phase.milestones:
                yield number, milestone


# --- certification rubrics -----------------------------------------------------------------

EvidenceKind = Literal["role-play", "recorded-call", "live-observation"]
EVIDENCE_LABELS: dict[str, str] = {
    "role-play": "Role-play with the assessor",
    "recorded-call": "Recorded call (link)",
    "live-observation": "Live observation of a real call",
}
Level = Annotated[int, Field(strict=True)]


class ScaleLevel(Frozen):
    """One level of a rubric's scale, such as 3 Proficient."""

    level: Level
    name: Text


class Criterion(Frozen):
    """What is scored: a behaviour, what good looks like, its weight and a descriptor per level.

    Weights are percentages of the weighted average and add up to 100 (checked by the loader).
    """

    key: Slug
    name: Text
    good: Text
    weight: Annotated[float, Field(strict=True), AfterValidator(whole_number_as_int)]
    levels: dict[Level, Text]


class PassRule(Frozen):
    """Passing needs all three: the weighted average, a floor on every criterion, must-passes."""

    min_average: Annotated[float, Field(strict=True)]
    min_level: Level
    must_pass: tuple[Slug, ...] = ()
    must_pass_level: Level | None = None


class EvidenceRule(Frozen):
    """What the assessor bases the score on; a recorded call always needs its link."""

    required: Annotated[bool, Field(strict=True)] = True
    kinds: Annotated[tuple[EvidenceKind, ...], Field(min_length=1)]


class AssessorRule(Frozen):
    """How many assessors score each attempt, and how their results make the final one."""

    required: Annotated[int, Field(strict=True, ge=1, le=2)] = 1
    final_rule: Literal["all-must-pass", "average"] = "all-must-pass"


class Rubric(Versioned):
    """The certification rubric for one sales stage (optionally for one role only)."""

    id: Slug
    stage: Slug
    role: Text | None = None
    title: Text
    description: Text
    scale: Annotated[tuple[ScaleLevel, ...], Field(min_length=2)]
    criteria: Annotated[tuple[Criterion, ...], Field(min_length=1)]
    pass_rule: PassRule
    evidence: EvidenceRule
    validity_days: Day
    cooldown_days: Annotated[int, Field(strict=True, ge=0)]
    self_assessment: Annotated[bool, Field(strict=True)] = True
    assessors: AssessorRule = AssessorRule()

    def criterion(self, key: str) -> Criterion:
        """The criterion with this key; KeyError if there is none."""
        for criterion in self.criteria:
            if criterion.key == key:
                return criterion
        raise KeyError(key)

    def level_name(self, level: int) -> str:
        return next((s.name for s in self.scale if s.level == level), str(level))

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(s.level for s in self.scale)


# --- role-play scenarios -------------------------------------------------------------------


class Scenario(Versioned):
    """A role-play for one sales stage: the buyer, the situation, what good sounds like."""

    id: Slug
    stage: Slug
    title: Text
    persona: Text  # the buyer the coach plays
    situation: Text
    objective: Text  # what the rep must achieve in the role-play
    objections: Annotated[tuple[Text, ...], Field(min_length=1)]
    strong_answer: Annotated[tuple[Text, ...], Field(min_length=1)]
    role: Text | None = None


# --- agreement templates -------------------------------------------------------------------

VARIABLE_PATTERN = r"^[a-z][a-z0-9_]*$"
VariableName = Annotated[str, StringConstraints(strict=True, pattern=VARIABLE_PATTERN)]


class AgreementVariable(Frozen):
    """A value HR fills in when drafting an agreement, in a form generated from this."""

    name: VariableName
    label: Text
    type: Literal["text", "multiline", "number", "money", "percent", "date"]
    required: Annotated[bool, Field(strict=True)] = True
    help: Text | None = None
    unit: Text | None = None  # a currency for money ("EUR"), a unit for a number ("calls")
    default: Annotated[str | int | float, Field(union_mode="left_to_right")] | None = None
    min: float | None = None
    max: float | None = None
    # A number whose value is, by default, the target of this milestone in the rep's own plan
    # (its ``key``): each rep's agreement then says what their plan says.
    plan_milestone: Slug | None = None


class NoticeCondition(Frozen):
    """When a signed consequence agreement calls for a written notice, and which clause it cites.

    Exactly one of ``status`` (with ``for_days``), ``milestone_overdue_days`` and
    ``certification_failed`` is given (``checks.agreements`` says so with the path).
    """

    status: Literal["at_risk", "behind"] | None = None
    for_days: Day | None = None  # days in that status (paused days not counted)
    milestone_overdue_days: Day | None = None  # a milestone overdue more than this many days
    certification_failed: Day | None = None  # this many failed certification attempts
    clause: Text  # the heading of the clause the notice cites (a "## ..." of the body)
    notice: Slug = "written-notice"  # the notice template it drafts


class AgreementTemplate(Versioned):
    """An expectation, consequence or notice agreement: Markdown text with placeholders."""

    id: Slug
    kind: Literal["expectation", "consequence", "notice"]
    title: Text
    description: Text
    countersign: tuple[Literal["hr", "coach"], ...] = ("hr",)
    variables: tuple[AgreementVariable, ...] = ()
    # A consequence agreement's conditions for drafting a written notice (app/notices).
    notice_when: tuple[NoticeCondition, ...] = ()
    # Not stripped: line numbers in problems count from the first line of the block.
    body: Annotated[str, StringConstraints(strict=True, min_length=1)]


class Curriculum(Frozen):
    """Everything under the curriculum directory, validated."""

    stages: tuple[Stage, ...]
    plans: tuple[PlanTemplate, ...] = ()
    rubrics: tuple[Rubric, ...] = ()
    agreements: tuple[AgreementTemplate, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    outcomes: OutcomesDefinition | None = None
    quests: tuple[Quest, ...] = ()
    points: PointsRules | None = None

    def scenario(self, scenario_id: str) -> Scenario:
        """The scenario with this id; KeyError if there is none."""
        for scenario in self.scenarios:
            if scenario.id == scenario_id:
                return scenario
        raise KeyError(scenario_id)

    def rubric(self, rubric_id: str) -> Rubric:
        """The rubric with this id; KeyError if there is none."""
        for rubric in self.rubrics:
            if rubric.id == rubric_id:
                return rubric
        raise KeyError(rubric_id)

    def stage(self, key: str) -> Stage:
        """The stage with this key; KeyError if there is none."""
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise KeyError(key)

    def plan(self, plan_id: str) -> PlanTemplate:
        """The plan template with this id; KeyError if there is none."""
        for plan in self.plans:
            if plan.id == plan_id:
                return plan
        raise KeyError(plan_id)
