"""Storing validated curriculum in the database, versioned by content."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.curriculum.models import PlanTemplate, RubricTemplate, ScenarioTemplate, Stage
from app.curriculum.schema import Curriculum, Rubric, Scenario
from app.curriculum.schema import PlanTemplate as PlanTemplateSpec
from app.errors import NotFound
from app.extensions import db


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


def store_curriculum(curriculum: Curriculum) -> LoadReport:
    """Store stages and plan templates; an unchanged template is left as it is (idempotent).

    A template whose content changed becomes a new version; plans already assigned keep
    pointing at the version they were assigned with.
    """
    report = LoadReport()
    _store_stages(curriculum, report)
    loaded_keys = set()
    for template in curriculum.plans:
        loaded_keys.add(template.id)
        _store_plan_template(template, report)
    for row in db.session.scalars(select(PlanTemplate).where(PlanTemplate.is_current.is_(True))):
        if row.template_key not in loaded_keys:
            row.is_current = False
            report.retired.append(row.template_key)
    rubric_keys = set()
    for rubric in curriculum.rubrics:
        rubric_keys.add(rubric.id)
        _store_rubric(rubric, report)
    current = select(RubricTemplate).where(RubricTemplate.is_current.is_(True))
    for old in db.session.scalars(current):
        if old.rubric_key not in rubric_keys:
            old.is_current = False
            report.rubrics_retired.append(old.rubric_key)
    scenario_keys = set()
    for scenario in curriculum.scenarios:
        scenario_keys.add(scenario.id)
        _store_scenario(scenario, report)
    current_scenarios = select(ScenarioTemplate).where(ScenarioTemplate.is_current.is_(True))
    for row in db.session.scalars(current_scenarios):
        if row.scenario_key not in scenario_keys:
            row.is_current = False
            report.scenarios_retired.append(row.scenario_key)
    from app.agreements.service import store_agreement_templates

    report.agreements_unchanged = store_agreement_templates(
        curriculum.agreements, report.agreements_added, report.agreements_new_versions
    )
    db.session.flush()
    return report


def _store_scenario(scenario: Scenario, report: LoadReport) -> None:
    """Like rubrics: unchanged content is left alone, changed content is a new version."""
    versions = list(
        db.session.scalars(
            select(ScenarioTemplate)
            .where(ScenarioTemplate.scenario_key == scenario.id)
            .order_by(ScenarioTemplate.version.desc())
        )
    )
    latest = versions[0] if versions else None
    if latest is not None and latest.content_hash == scenario.content_hash:
        latest.is_current = True
        report.scenarios_unchanged.append(scenario.id)
        return
    for row in versions:
        row.is_current = False
    db.session.add(
        ScenarioTemplate(
            scenario_key=scenario.id,
            version=(latest.version + 1) if latest else 1,
            content_hash=scenario.content_hash,
            stage=scenario.stage,
            title=scenario.title,
            content=scenario.model_dump(mode="json"),
            is_current=True,
        )
    )
    (report.scenarios_new_versions if latest else report.scenarios_added).append(scenario.id)


def _store_rubric(rubric: Rubric, report: LoadReport) -> None:
    """Like plan templates: unchanged content is left alone, changed content is a new version."""
    versions = list(
        db.session.scalars(
            select(RubricTemplate)
            .where(RubricTemplate.rubric_key == rubric.id)
            .order_by(RubricTemplate.version.desc())
        )
    )
    latest = versions[0] if versions else None
    if latest is not None and latest.content_hash == rubric.content_hash:
        latest.is_current = True
        report.rubrics_unchanged.append(rubric.id)
        return
    for row in versions:
        row.is_current = False
    db.session.add(
        RubricTemplate(
            rubric_key=rubric.id,
            version=(latest.version + 1) if latest else 1,
            content_hash=rubric.content_hash,
            stage=rubric.stage,
            role=rubric.role,
            title=rubric.title,
            content=rubric.model_dump(mode="json"),
            is_current=True,
        )
    )
    (report.rubrics_new_versions if latest else report.rubrics_added).append(rubric.id)


def _store_stages(curriculum: Curriculum, report: LoadReport) -> None:
    existing = {stage.key: stage for stage in db.session.scalars(select(Stage))}
    for position, stage in enumerate(curriculum.stages):
        row = existing.get(stage.key) or Stage(key=stage.key)
        row.name = stage.name
        row.description = stage.description or ""
        row.position = position
        db.session.add(row)
        report.stages += 1


def _store_plan_template(template: PlanTemplateSpec, report: LoadReport) -> None:
    key = template.id
    content_hash = template.content_hash
    versions = list(
        db.session.scalars(
            select(PlanTemplate)
            .where(PlanTemplate.template_key == key)
            .order_by(PlanTemplate.version.desc())
        )
    )
    latest = versions[0] if versions else None
    if latest is not None and latest.content_hash == content_hash:
        latest.is_current = True
        report.unchanged.append(key)
        return
    for row in versions:
        row.is_current = False
    db.session.add(
        PlanTemplate(
            template_key=key,
            version=(latest.version + 1) if latest else 1,
            content_hash=content_hash,
            title=template.title,
            role=template.role,
            content=template.model_dump(mode="json"),
            is_current=True,
        )
    )
    (report.new_versions if latest else report.added).append(key)


def current_plan_templates() -> list[PlanTemplate]:
    return list(
        db.session.scalars(
            select(PlanTemplate)
            .where(PlanTemplate.is_current.is_(True))
            .order_by(PlanTemplate.role, PlanTemplate.title)
        )
    )


def current_plan_template(key: str) -> PlanTemplate:
    row = db.session.scalar(
        select(PlanTemplate).where(
            PlanTemplate.template_key == key, PlanTemplate.is_current.is_(True)
        )
    )
    if row is None:
        raise NotFound(f"No current plan template '{key}'.")
    return row


def stages() -> list[Stage]:
    return list(db.session.scalars(select(Stage).order_by(Stage.position)))


def stage_names() -> dict[str, str]:
    return {stage.key: stage.name for stage in stages()}


def has_curriculum() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(PlanTemplate)))
