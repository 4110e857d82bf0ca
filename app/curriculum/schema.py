"""Immutable data classes for the curriculum: sales stages and 30/60/90-day plan templates.

These models check the shape of one file (types, required fields, slugs, URLs). Rules that
span fields or files (due days inside their phase, known stages, unique keys) live in
``loader.py``, which reports them all at once with file, path and line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z][a-z0-9-]*$"

# YAML gives us native types, so anything that is not already the right type is a mistake in
# the file ("5" for a day, "yes" typed as text): strict types refuse to coerce it.
Slug = Annotated[str, StringConstraints(strict=True, pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]
Day = Annotated[int, Field(strict=True, ge=1)]


def _whole_number_as_int(value: float) -> float:
    """Keep ``50`` an int so targets read "50 dials per week", not "50.0"."""
    return int(value) if value.is_integer() else value


def _check_link(url: str) -> str:
    if not url.startswith(("https://", "http://", "/")) or url.startswith("//"):
        raise ValueError("must be an http(s) URL or a path starting with /")
    return url


class _Frozen(BaseModel):
    # serialize_by_alias: dumps use the file's own keys (a meeting's "with", not "with_"),
    # so stored content reads like the YAML it came from.
    model_config = ConfigDict(frozen=True, extra="forbid", serialize_by_alias=True)


class Stage(_Frozen):
    """A stage of the sales process (prospecting, discovery, ...), in pipeline order."""

    key: Slug
    name: Text
    description: Text


class CheckboxMeasure(_Frozen):
    """Done or not done, ticked by the rep (or the coach when the milestone is verified)."""

    kind: Literal["checkbox"]
    description: Text | None = None


class NumberMeasure(_Frozen):
    """A numeric target, such as 50 dials per week or 10 meetings booked."""

    kind: Literal["number"]
    target: Annotated[float, Field(strict=True, gt=0), AfterValidator(_whole_number_as_int)]
    unit: Text
    description: Text | None = None


class CertificationMeasure(_Frozen):
    """Passing the certification for one sales stage."""

    kind: Literal["certification"]
    stage: Slug
    description: Text | None = None


class MeetingMeasure(_Frozen):
    """A meeting that has to take place, with the coach, the manager or a peer."""

    kind: Literal["meeting"]
    with_: Text = Field(alias="with")
    description: Text | None = None


Measure = Annotated[
    CheckboxMeasure | NumberMeasure | CertificationMeasure | MeetingMeasure,
    Field(discriminator="kind"),
]


class Resource(_Frozen):
    """A link to learning material for a milestone."""

    title: Text
    url: Annotated[
        str, StringConstraints(strict=True, strip_whitespace=True), AfterValidator(_check_link)
    ]


class Milestone(_Frozen):
    """One specific, measurable thing the rep does by a given day of the ramp."""

    key: Slug
    title: Text
    action: Text
    measure: Measure
    due_day: Day
    stage: Slug | None = None
    verify: Annotated[bool, Field(strict=True)] = False
    resource: Resource | None = None


class Phase(_Frozen):
    """One of the three 30-day phases of a plan."""

    name: Text
    start_day: Day
    end_day: Day
    goal: Text
    milestones: tuple[Milestone, ...]


class PlanTemplate(_Frozen):
    """A 30/60/90-day plan for one role, copied into a rep's plan when they start."""

    id: Slug
    title: Text
    role: Text
    description: Text
    phases: tuple[Phase, ...]

    @property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of the content: the template's version in the DB."""
        canonical = json.dumps(
            self.model_dump(mode="json"),
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def milestones(self) -> Iterator[tuple[int, Milestone]]:
        """Every milestone in plan order, with its phase number (1, 2 or 3)."""
        for number, phase in enumerate(self.phases, start=1):
            for milestone in phase.milestones:
                yield number, milestone


VARIABLE_PATTERN = r"^[a-z][a-z0-9_]*$"
VariableName = Annotated[str, StringConstraints(strict=True, pattern=VARIABLE_PATTERN)]


class AgreementVariable(_Frozen):
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


class AgreementTemplate(_Frozen):
    """An expectation or consequence agreement: Markdown text with placeholders to fill in."""

    id: Slug
    kind: Literal["expectation", "consequence"]
    title: Text
    description: Text
    countersign: tuple[Literal["hr", "coach"], ...] = ("hr",)
    variables: tuple[AgreementVariable, ...] = ()
    # Not stripped: line numbers in problems count from the first line of the block.
    body: Annotated[str, StringConstraints(strict=True, min_length=1)]

    @property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of the content: the template's version in the DB."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Curriculum(_Frozen):
    """Everything under the curriculum directory, validated."""

    stages: tuple[Stage, ...]
    plans: tuple[PlanTemplate, ...] = ()
    agreements: tuple[AgreementTemplate, ...] = ()

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
