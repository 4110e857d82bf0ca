"""Role-play scenarios as curriculum data: shipped ones valid, mistakes named precisely, stored
by content version."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from app.curriculum.loader import validate_curriculum
from app.curriculum.models import ScenarioTemplate
from app.curriculum.service import store_curriculum
from app.extensions import db
from tests.conftest import shipped_curriculum

SCENARIO_FILES = sorted((PROJECT_ROOT / "curriculum" / "scenarios").glob("*.yaml"))

SCENARIO = """\
id: discovery-test
stage: discovery
title: A test call
persona: A buyer
situation: Something happened
objective: Book a meeting
objections:
  - "Send me an email"
strong_answer:
  - Asks permission
  - Proposes a time
"""


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_every_shipped_scenario_is_valid_and_complete(path: Path) -> None:
    scenario = shipped_curriculum().scenario(path.stem)
    assert scenario.stage in {s.key for s in shipped_curriculum().stages}
    assert scenario.objections and scenario.strong_answer


def test_at_least_two_scenarios_for_every_stage() -> None:
    curriculum = shipped_curriculum()
    for stage in curriculum.stages:
        assert sum(s.stage == stage.key for s in curriculum.scenarios) >= 2, stage.key


def _write(root: Path, text: str) -> Path:
    (root / "stages.yaml").write_text(
        (PROJECT_ROOT / "curriculum" / "stages.yaml").read_text(), encoding="utf-8"
    )
    (root / "scenarios").mkdir(exist_ok=True)
    (root / "scenarios" / "s.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("change", "path", "line", "reason"),
    [
        (("stage: discovery", "stage: discovry"), "stage", 2, "did you mean 'discovery'?"),
        (("objective: Book a meeting\n", ""), "objective", None, "what the rep must achieve"),
        (
            ('objections:\n  - "Send me an email"\n', "objections: []\n"),
            "objections",
            7,
            "at least 1",
        ),
        (("  - Proposes a time", "  - asks permission"), "strong_answer[1]", 11, "given twice"),
        (("persona: A buyer", "persona: A buyer\nbudget: 10"), "budget", 5, "unknown field"),
    ],
)
def test_scenario_mistakes_name_file_path_line_and_reason(
    tmp_path: Path, change, path, line, reason
) -> None:
    (problem,) = validate_curriculum(_write(tmp_path, SCENARIO.replace(*change)))
    assert problem.file == "scenarios/s.yaml"
    assert problem.path == path
    assert problem.line == line
    assert reason in problem.reason


def test_a_changed_scenario_is_a_new_version(app, tmp_path: Path) -> None:
    from app.curriculum.loader import load_curriculum

    report = store_curriculum(load_curriculum(_write(tmp_path, SCENARIO)))
    assert report.scenarios_added == ["discovery-test"]
    changed = load_curriculum(_write(tmp_path, SCENARIO.replace("A test call", "A new title")))
    report = store_curriculum(changed)
    assert report.scenarios_new_versions == ["discovery-test"]
    rows = db.session.scalars(db.select(ScenarioTemplate).order_by(ScenarioTemplate.version))
    assert [(r.version, r.is_current) for r in rows] == [(1, False), (2, True)]
    (tmp_path / "scenarios" / "s.yaml").unlink()
    report = store_curriculum(load_curriculum(tmp_path))
    assert report.scenarios_retired == ["discovery-test"]
