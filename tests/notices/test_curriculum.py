"""Notice conditions in agreement templates: the shipped ones load; mistakes name file and path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from app.curriculum.loader import load_curriculum, validate_curriculum

HEAD = """\
id: broken
kind: consequence
title: Broken
description: A template with mistakes.
countersign: [hr]
body: |
  ## The gap

  Too few meetings.

  ## If the targets are missed

  It ends.
"""


@pytest.fixture
def curriculum_dir(tmp_path: Path) -> Path:
    shutil.copy(PROJECT_ROOT / "curriculum" / "stages.yaml", tmp_path / "stages.yaml")
    (tmp_path / "agreements").mkdir()
    return tmp_path


def _problems(directory: Path, conditions: str, kind: str = "consequence") -> list[str]:
    text = HEAD.replace("kind: consequence", f"kind: {kind}") + "notice_when:\n" + conditions
    (directory / "agreements" / "broken.yaml").write_text(text)
    return [f"{p.file} {p.path}: {p.reason}" for p in validate_curriculum(directory)]


def test_the_shipped_improvement_agreement_names_three_conditions() -> None:
    curriculum = load_curriculum(PROJECT_ROOT / "curriculum")
    pip = next(t for t in curriculum.agreements if t.id == "performance-improvement")
    assert (pip.notice_when[0].status, pip.notice_when[0].for_days, pip.notice_when[0].clause) == (
        "at_risk",
        14,
        "If the targets are missed",
    )
    assert {c.notice for c in pip.notice_when} == {"written-notice"}
    assert any(t.id == "written-notice" and t.kind == "notice" for t in curriculum.agreements)


def test_valid_conditions_have_no_problems(curriculum_dir: Path) -> None:
    conditions = (
        "  - {status: at_risk, for_days: 14, clause: If the targets are missed}\n"
        "  - {milestone_overdue_days: 21, clause: the gap}\n"
        "  - {certification_failed: 2, clause: The gap}\n"
    )
    assert _problems(curriculum_dir, conditions) == []


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        (
            "  - {status: at_risk, for_days: 14, clause: If targets are missed}\n",
            "agreements/broken.yaml notice_when[0].clause: no clause 'If targets are missed' "
            "(did you mean 'If the targets are missed'?)",
        ),
        (
            "  - {status: at_risk, clause: The gap}\n",
            "agreements/broken.yaml notice_when[0].for_days: status and for_days go together",
        ),
        (
            "  - {milestone_overdue_days: 21, certification_failed: 2, clause: The gap}\n",
            "agreements/broken.yaml notice_when[0]: give exactly one of status (with for_days), "
            "milestone_overdue_days and certification_failed",
        ),
        (
            "  - {status: at_risk, for_days: '14', clause: The gap}\n",
            "agreements/broken.yaml notice_when[0].for_days",
        ),
        (
            "  - {status: on_fire, for_days: 3, clause: The gap}\n",
            "agreements/broken.yaml notice_when[0].status",
        ),
    ],
)
def test_a_mistake_names_the_file_the_path_and_the_reason(
    curriculum_dir: Path, conditions: str, expected: str
) -> None:
    problems = _problems(curriculum_dir, conditions)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected)


def test_only_a_consequence_agreement_names_conditions(curriculum_dir: Path) -> None:
    problems = _problems(
        curriculum_dir, "  - {milestone_overdue_days: 5, clause: The gap}\n", "notice"
    )
    assert problems == [
        "agreements/broken.yaml notice_when: only a consequence agreement names notice conditions"
    ]
