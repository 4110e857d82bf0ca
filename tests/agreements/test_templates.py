"""Agreement templates in curriculum/agreements: the shipped ones load; mistakes are pinpointed."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from app.agreements.document import RepRecord, build_document, default_values
from app.config import PROJECT_ROOT
from app.curriculum.loader import load_curriculum, validate_curriculum

SHIPPED = sorted((PROJECT_ROOT / "curriculum" / "agreements").glob("*.yaml"))


def test_every_kind_is_shipped() -> None:
    kinds = {t.kind for t in load_curriculum(PROJECT_ROOT / "curriculum").agreements}
    assert kinds == {"expectation", "consequence", "notice"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_agreement_template_is_valid_and_renders(path: Path) -> None:
    problems = [p for p in validate_curriculum(PROJECT_ROOT / "curriculum") if path.name in p.file]
    assert problems == []
    curriculum = load_curriculum(PROJECT_ROOT / "curriculum")
    template = next(t for t in curriculum.agreements if f"{t.id}.yaml" == path.name)
    record = RepRecord(organisation="Northwind", rep_name="Ava Chen", rep_email="a@example.com")
    document = build_document(template, 1, default_values(template), record, date(2026, 11, 23))
    assert "{{" not in document["body_html"]


@pytest.fixture
def curriculum_dir(tmp_path: Path) -> Path:
    shutil.copy(PROJECT_ROOT / "curriculum" / "stages.yaml", tmp_path / "stages.yaml")
    (tmp_path / "agreements").mkdir()
    return tmp_path


def write(directory: Path, text: str) -> None:
    (directory / "agreements" / "broken.yaml").write_text(text)


GOOD_HEAD = """\
id: broken
kind: consequence
title: Broken
description: A template with mistakes.
countersign: [hr]
variables:
  - name: gap
    label: The gap
    type: multiline
body: |
  ## The gap

  {{ gap }}
"""


def test_a_valid_template_has_no_problems(curriculum_dir: Path) -> None:
    write(curriculum_dir, GOOD_HEAD)
    assert validate_curriculum(curriculum_dir) == []


def test_an_unknown_placeholder_names_file_path_line_and_a_suggestion(
    curriculum_dir: Path,
) -> None:
    write(curriculum_dir, GOOD_HEAD + "  Signed by {{ rep.nmae }}.\n")
    [problem] = validate_curriculum(curriculum_dir)
    assert problem.file == "agreements/broken.yaml"
    assert problem.path == "body[3]"
    assert problem.line == 14  # the very line of the file with the placeholder
    assert "unknown placeholder {{ rep.nmae }}" in problem.reason
    assert "did you mean 'rep.name'" in problem.reason


@pytest.mark.parametrize(
    ("text", "path", "reason"),
    [
        (GOOD_HEAD.replace("type: multiline", "type: essay"), "variables[0].type", "essay"),
        (GOOD_HEAD.replace("kind: consequence", "kind: warning"), "kind", "warning"),
        (GOOD_HEAD.replace("countersign: [hr]", "countersign: [coach]"), "countersign", "HR"),
        (GOOD_HEAD + "  {{ plan_milestones }} inline\n", "body[3]", "line of its own"),
        (
            GOOD_HEAD.replace("    type: multiline", "    type: money"),
            "variables[0].unit",
            "currency",
        ),
        (
            GOOD_HEAD.replace("  {{ gap }}\n", "  Nothing here.\n"),
            "variables[0].name",
            "never used",
        ),
        (
            GOOD_HEAD.replace(
                "variables:\n", "variables:\n  - name: gap\n    label: Again\n    type: text\n"
            ),
            "variables[1].name",
            "duplicate variable 'gap'",
        ),
        (
            GOOD_HEAD.replace(
                "    type: multiline", "    type: multiline\n    required: yes please"
            ),
            "variables[0].required",
            "true or false",
        ),
        (
            GOOD_HEAD.replace("    type: multiline", "    type: date\n    default: soon"),
            "variables[0].default",
            "YYYY-MM-DD",
        ),
    ],
)
def test_each_kind_of_mistake_is_reported(
    curriculum_dir: Path, text: str, path: str, reason: str
) -> None:
    write(curriculum_dir, text)
    problems = validate_curriculum(curriculum_dir)
    assert any(p.path == path and reason in p.reason and p.line for p in problems), problems


def test_loading_stores_each_template_version_once(app: object, curriculum: object) -> None:
    from app.agreements import service
    from app.curriculum.service import store_curriculum
    from app.extensions import db

    before = {(t.template_key, t.version) for t in service.current_templates()}
    store_curriculum(load_curriculum(PROJECT_ROOT / "curriculum"))
    db.session.commit()
    after = {(t.template_key, t.version) for t in service.current_templates()}
    shipped = {
        ("onboarding-expectations", 1),
        ("performance-improvement", 1),
        ("written-notice", 1),
    }
    assert before == after == shipped
