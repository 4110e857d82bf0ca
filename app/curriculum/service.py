"""Storing validated curriculum in the database, versioned by content."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, func, select

from app.curriculum.models import (
    AgreementKind,
    AgreementTemplate,
    OutcomesTemplate,
    PlanTemplate,
    PointsTemplate,
    QuestTemplate,
    RubricTemplate,
    ScenarioTemplate,
    Stage,
    VersionedTemplate,
)
from app.curriculum.schema import AgreementTemplate as AgreementTemplateSpec
from app.curriculum.schema import Curriculum, Rubric, Scenario
from app.curriculum.schema import PlanTemplate as PlanTemplateSpec
from app.curriculum.schema_numbers import OutcomesDefinition, PointsRules, Quest
from app.errors import NotFound
from app.extensions import db
from app.transaction import forget, remembered


@dataclass
class LoadReport:
    """What a load changed, for the CLI to print."""

    stages: int = 0
    added: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    rubrics_added: list[str] = field(default_factory=list)
    rubrics_new_versions: list[str] = field(default_factory=list)
    rubrics_unchanged: list[str] = field(default_factory=list)
    rubrics_retired: list[str] = field(default_factory=list)
    scenarios_added: list[str] = field(default_factory=list)
    scenarios_new_versions: list[str] = field(default_factory=list)
    scenarios_unchanged: list[str] = field(default_factory=list)
    scenarios_retired: list[str] = field(default_factory=list)
    agreements_added: list[str] = field(default_factory=list)
    agreements_new_versions: list[str] = field(default_factory=list)
    agreements_unchanged: list[str] = field(default_factory=list)
    agreements_retired: list[str] = field(default_factory=list)
    outcomes_added: list[str] = field(default_factory=list)
    outcomes_new_versions: list[str] = field(default_factory=list)
    outcomes_unchanged: list[str] = field(default_factory=list)
    outcomes_retired: list[str] = field(default_factory=list)
    quests: VersionOutcome = field(default_factory=lambda: VersionOutcome([], [], [], []))
    points: VersionOutcome = field(default_factory=lambda: VersionOutcome([], [], [], []))


def store_curriculum(curriculum: Curriculum) -> LoadReport:
    """Store stages and every versioned item; an unchanged item is left as it is (idempotent).

    An item whose content changed becomes a new version; plans, assessments, debriefs and
    agreements already made keep pointing at the version they were made with.
    """
    report = LoadReport()
    _store_stages(curriculum, report)
    forget(STAGES)
    _store_versions(
        PlanTemplate,
        curriculum.plans,
        _plan_template_row,
        VersionOutcome(report.added, report.new_versions, report.unchanged, report.retired),
    )
    _store_versions(
        RubricTemplate,
        curriculum.rubrics,
        _rubric_row,
        VersionOutcome(
            report.rubrics_added,
            report.rubrics_new_versions,
            report.rubrics_unchanged,
            report.rubrics_retired,
        ),
    )
    _store_versions(
        ScenarioTemplate,
        curriculum.scenarios,
        _scenario_row,
        VersionOutcome(
            report.scenarios_added,
            report.scenarios_new_versions,
            report.scenarios_unchanged,
            report.scenarios_retired,
        ),
    )
    _store_versions(
        AgreementTemplate,
        curriculum.agreements,
        _agreement_template_row,
        VersionOutcome(
            report.agreements_added,
            report.agreements_new_versions,
            report.agreements_unchanged,
            report.agreements_retired,
        ),
    )
    _store_versions(
        OutcomesTemplate,
        (curriculum.outcomes,) if curriculum.outcomes else (),
        _outcomes_row,
        VersionOutcome(
            report.outcomes_added,
            report.outcomes_new_versions,
            report.outcomes_unchanged,
            report.outcomes_retired,
        ),
    )
    _store_versions(QuestTemplate, curriculum.quests, _quest_row, report.quests)
    points = (curriculum.points,) if curriculum.points else ()
    _store_versions(PointsTemplate, points, _points_row, report.points)
    db.session.flush()
    return report


SpecT = TypeVar("SpecT", bound="VersionedSpec")
TemplateT = TypeVar("TemplateT", bound=VersionedTemplate)


class VersionedSpec(Protocol):
    """A validated curriculum item that is stored by version: it has an id and a content hash."""

    @property
    def id(self) -> str: ...

    @property
    def content_hash(self) -> str: ...

    def model_dump(self, *, mode: str) -> dict[str, Any]: ...


@dataclass
class VersionOutcome:
    """Where the keys of one kind of item go, by what loading did to them."""

    added: list[str]
    new_versions: list[str]
    unchanged: list[str]
    retired: list[str]


def _store_versions(
    model: type[TemplateT],
    specs: Iterable[SpecT],
    make_row: Callable[[SpecT], TemplateT],
    outcome: VersionOutcome,
) -> None:
    """One rule for every kind of curriculum item, stored in the table of ``model``.

    Unchanged content is left alone, changed content becomes a new current version, and an item
    no longer in the files stops being current. ``make_row`` fills the kind's own columns.
    """
    key_column = model.key_attribute()
    loaded: set[str] = set()
    for spec in specs:
        loaded.add(spec.id)
        versions = list(
            db.session.scalars(
                select(model).where(key_column == spec.id).order_by(model.version.desc())
            )
        )
        latest = versions[0] if versions else None
        if latest is not None and latest.content_hash == spec.content_hash:
            latest.is_current = True
            outcome.unchanged.append(spec.id)
            continue
        for row in versions:
            row.is_current = False
        row = make_row(spec)
        setattr(row, model.key_name, spec.id)
        row.version = (latest.version + 1) if latest else 1
        row.content_hash = spec.content_hash
        row.content = spec.model_dump(mode="json")
        row.is_current = True
        db.session.add(row)
        (outcome.new_versions if latest else outcome.added).append(spec.id)
    for row in current_versions(model):
        if row.key not in loaded:
            row.is_current = False
            outcome.retired.append(row.key)


def _plan_template_row(template: PlanTemplateSpec) -> PlanTemplate:
    return PlanTemplate(title=template.title, role=template.role)


def _rubric_row(rubric: Rubric) -> RubricTemplate:
    return RubricTemplate(stage=rubric.stage, role=rubric.role, title=rubric.title)


def _scenario_row(scenario: Scenario) -> ScenarioTemplate:
    return ScenarioTemplate(stage=scenario.stage, title=scenario.title)


def _agreement_template_row(template: AgreementTemplateSpec) -> AgreementTemplate:
    return AgreementTemplate(kind=AgreementKind(template.kind), title=template.title)


def _outcomes_row(outcomes: OutcomesDefinition) -> OutcomesTemplate:
    return OutcomesTemplate(title=outcomes.title)


def _quest_row(quest: Quest) -> QuestTemplate:
    return QuestTemplate(title=quest.title, scope=quest.scope)


def _points_row(points: PointsRules) -> PointsTemplate:
    return PointsTemplate(title=points.title)


STAGES = "curriculum.stages"


def _store_stages(curriculum: Curriculum, report: LoadReport) -> None:
    existing = {stage.key: stage for stage in db.session.scalars(select(Stage))}
    for position, stage in enumerate(curriculum.stages):
        row = existing.get(stage.key) or Stage(key=stage.key)
        row.name = stage.name
        row.description = stage.description or ""
        row.position = position
        db.session.add(row)
        report.stages += 1


def current_versions(
    model: type[TemplateT],
    *criteria: ColumnElement[bool],
    order_by: Sequence[Any] = (),
) -> list[TemplateT]:
    """The current version of every item of one kind (plans, rubrics, ...) meeting ``criteria``."""
    query = select(model).where(model.is_current.is_(True), *criteria).order_by(*order_by)
    return list(db.session.scalars(query))


def current_version(model: type[TemplateT], key: str, missing: str | None = None) -> TemplateT:
    """The current version of one item; NotFound with ``missing`` (or a general message) if none."""
    row = db.session.scalar(
        select(model).where(model.key_attribute() == key, model.is_current.is_(True))
    )
    if row is None:
        raise NotFound(missing or f"No current {model.noun} '{key}'.")
    return row


def current_plan_templates() -> list[PlanTemplate]:
    return current_versions(PlanTemplate, order_by=(PlanTemplate.role, PlanTemplate.title))


def current_plan_template(key: str) -> PlanTemplate:
    return current_version(PlanTemplate, key)


def stages() -> list[Stage]:
    """The sales stages in order: read once per transaction (a page asks several times)."""
    return remembered(
        STAGES, lambda: list(db.session.scalars(select(Stage).order_by(Stage.position)))
    )


def stage_names() -> dict[str, str]:
    return {stage.key: stage.name for stage in stages()}


def has_curriculum() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(PlanTemplate)))
