"""Curriculum content as stored: every loaded version is kept so assigned plans keep theirs."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import InstrumentedAttribute, Mapped, declared_attr, mapped_column

from app.db import string_enum
from app.extensions import db

# Columns shared by every versioned template keep the tables' column order: the id, the key
# (declared by each template, as its name differs) and the version first, the content last.
_FIRST, _KEY, _AFTER_KEY, _LAST = -3, -2, -1, 1


class Stage(db.Model):  # type: ignore[name-defined]
    """A stage of the sales process (prospecting, discovery, ...)."""

    __tablename__ = "stages"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer)


class VersionedTemplate(db.Model):  # type: ignore[name-defined]
    """One version of a curriculum file: a changed file becomes a new version, old ones stay.

    Each kind names its key column (``key_name``) and declares it with ``key_column()``; this
    base adds the unique (key, version) constraint and the index on the key. ``noun`` is what
    a sales manager calls one item, for messages.
    """

    __abstract__ = True
    key_name: ClassVar[str]
    noun: ClassVar[str]

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=_FIRST)
    version: Mapped[int] = mapped_column(Integer, sort_order=_AFTER_KEY)
    content_hash: Mapped[str] = mapped_column(String(64), sort_order=_AFTER_KEY)
    content: Mapped[dict[str, Any]] = mapped_column(JSON, sort_order=_LAST)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True, sort_order=_LAST)
    loaded_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), sort_order=_LAST
    )

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (UniqueConstraint(cls.key_name, "version"), Index(None, cls.key_name))

    @classmethod
    def key_attribute(cls) -> InstrumentedAttribute[str]:
        """The key column as a query expression (``PlanTemplate.template_key``)."""
        attribute: InstrumentedAttribute[str] = getattr(cls, cls.key_name)
        return attribute

    @property
    def key(self) -> str:
        return str(getattr(self, self.key_name))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key} v{self.version}>"


def key_column() -> Mapped[str]:
    """The column of a template's key (``template_key``, ``rubric_key``, ...)."""
    return mapped_column(String(64), sort_order=_KEY)


class PlanTemplate(VersionedTemplate):
    """One version of an onboarding plan template; a changed file becomes a new version."""

    __tablename__ = "plan_templates"
    noun = "plan template"
    key_name = "template_key"

    template_key: Mapped[str] = key_column()
    title: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(64))


class RubricTemplate(VersionedTemplate):
    """One version of a certification rubric; assessments keep the version they were scored on."""

    __tablename__ = "rubric_templates"
    noun = "rubric"
    key_name = "rubric_key"

    rubric_key: Mapped[str] = key_column()
    stage: Mapped[str] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))


class ScenarioTemplate(VersionedTemplate):
    """One version of a role-play scenario; debriefs keep the version they were played on."""

    __tablename__ = "scenario_templates"
    noun = "scenario"
    key_name = "scenario_key"

    scenario_key: Mapped[str] = key_column()
    stage: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))


class AgreementKind(enum.StrEnum):
    EXPECTATION = "expectation"
    CONSEQUENCE = "consequence"
    NOTICE = "notice"  # a written notice under a consequence agreement (app/notices)

    @property
    def label(self) -> str:
        labels = {"expectation": "Expectation", "consequence": "Consequence", "notice": "Notice"}
        return labels[self.value]


class AgreementTemplate(VersionedTemplate):
    """One version of an agreement template; agreements keep the version they were drafted from."""

    __tablename__ = "agreement_templates"
    noun = "agreement template"
    key_name = "template_key"

    template_key: Mapped[str] = key_column()
    kind: Mapped[AgreementKind] = mapped_column(string_enum(AgreementKind))
    title: Mapped[str] = mapped_column(String(200))


class OutcomesTemplate(VersionedTemplate):
    """One version of ``outcomes.yaml``: the ramped rule, targets and readiness weights.

    A readiness score names the version of the weights it was computed with.
    """

    __tablename__ = "outcome_definitions"
    noun = "outcomes definition"
    key_name = "definition_key"

    definition_key: Mapped[str] = key_column()
    title: Mapped[str] = mapped_column(String(200))


class QuestTemplate(VersionedTemplate):
    """One version of a quest file; a completion names the version it was reached under."""

    __tablename__ = "quest_templates"
    noun = "quest"
    key_name = "quest_key"

    quest_key: Mapped[str] = key_column()
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(16))


class PointsTemplate(VersionedTemplate):
    """One version of ``points.yaml``: what a milestone on time, a certification passed and a
    commitment kept are worth."""

    __tablename__ = "points_rules"
    noun = "points rules"
    key_name = "rules_key"

    rules_key: Mapped[str] = key_column()
    title: Mapped[str] = mapped_column(String(200))
