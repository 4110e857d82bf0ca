"""``flask curriculum validate|load``: precise problems, all-or-nothing loads, content versions."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.config import PROJECT_ROOT
from app.curriculum.models import PlanTemplate, Stage
from app.extensions import db
from app.plans import service
from app.plans.models import Milestone
from tests.conftest import shipped_curriculum

SHIPPED = PROJECT_ROOT / "curriculum"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the shipped curriculum to break or change."""
    target = tmp_path / "curriculum"
    shutil.copytree(SHIPPED, target)
    return target


def replace_once(path: Path, old: str, new: str) -> int:
    """Replace the first line that is exactly ``old`` (stripped); return its 1-based number."""
    lines = path.read_text().splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, start=1) if line.strip() == old)
    lines[number - 1] = lines[number - 1].replace(old, new)
    path.write_text("".join(lines))
    return number


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def versions(key: str) -> list[int]:
    return sorted(
        db.session.scalars(
            select(PlanTemplate.version).where(PlanTemplate.template_key == key)
        ).all()
    )


# --- validate -------------------------------------------------------------------------------


def test_the_shipped_curriculum_is_valid(runner):
    result = runner.invoke(args=["curriculum", "validate"])
    assert result.exit_code == 0, result.output
    assert "the curriculum is valid" in result.output


def test_validate_takes_a_directory(runner, copy):
    result = runner.invoke(args=["curriculum", "validate", str(copy)])
    assert result.exit_code == 0, result.output
    assert str(copy) in result.output


def test_validate_prints_file_line_path_and_reason(runner, copy):
    sdr = copy / "plans" / "sdr.yaml"
    line = replace_once(sdr, "due_day: 3", "due_day: 45")
    stage_line = replace_once(sdr, "stage: prospecting", "stage: prospectin")

    result = runner.invoke(args=["curriculum", "validate", str(copy)])

    assert result.exit_code != 0
    assert (
        f"plans/sdr.yaml:{line}: phases[0].milestones[0].due_day: "
        "due day 45 is outside phase 1 (days 1-30)"
    ) in result.output
    assert f"plans/sdr.yaml:{stage_line}: " in result.output
    assert "unknown stage 'prospectin' (did you mean 'prospecting'?)" in result.output
    assert "the curriculum is valid" not in result.output


def test_validate_reports_bad_yaml_with_its_line(runner, copy):
    ae = copy / "plans" / "ae.yaml"
    lines = ae.read_text().splitlines(keepends=True)
    lines.insert(5, "title: [unclosed\n")
    ae.write_text("".join(lines))

    result = runner.invoke(args=["curriculum", "validate", str(copy)])

    assert result.exit_code != 0
    assert "plans/ae.yaml:" in result.output
    assert "invalid YAML" in result.output


def test_validate_reports_a_missing_stages_file(runner, copy):
    (copy / "stages.yaml").unlink()
    result = runner.invoke(args=["curriculum", "validate", str(copy)])
    assert result.exit_code != 0
    assert "stages.yaml: (file): missing" in result.output


# --- load -----------------------------------------------------------------------------------


def test_load_stores_stages_and_templates(runner):
    result = runner.invoke(args=["curriculum", "load"])
    assert result.exit_code == 0, result.output
    assert count(Stage) == len(shipped_curriculum().stages)
    assert versions("sdr-ramp") == [1]
    assert versions("ae-ramp") == [1]


def test_a_broken_directory_loads_nothing(runner, copy):
    # Only one file is broken; the valid one is not loaded either.
    replace_once(copy / "plans" / "ae.yaml", "due_day: 3", "due_day: 0")

    result = runner.invoke(args=["curriculum", "load", str(copy)])

    assert result.exit_code != 0
    assert "plans/ae.yaml:" in result.output
    assert "Nothing was loaded." in result.output
    db.session.rollback()
    assert count(Stage) == 0
    assert count(PlanTemplate) == 0


def test_a_broken_directory_leaves_the_loaded_curriculum_alone(runner, copy):
    assert runner.invoke(args=["curriculum", "load"]).exit_code == 0
    sdr = copy / "plans" / "sdr.yaml"
    replace_once(sdr, "title: Set up your CRM, dialer and sequences", "title: Changed")
    replace_once(sdr, "due_day: 3", "due_day: 31")

    assert runner.invoke(args=["curriculum", "load", str(copy)]).exit_code != 0

    db.session.rollback()
    assert versions("sdr-ramp") == [1]


def test_loading_twice_makes_no_new_versions(runner):
    first = runner.invoke(args=["curriculum", "load"])
    db.session.rollback()
    rows = count(PlanTemplate)
    second = runner.invoke(args=["curriculum", "load"])

    assert (first.exit_code, second.exit_code) == (0, 0)
    assert "0 new, 0 new versions, 2 unchanged" in second.output
    db.session.rollback()
    assert count(PlanTemplate) == rows
    assert versions("sdr-ramp") == [1]


def test_a_changed_template_becomes_version_two_and_assigned_plans_keep_version_one(
    runner, copy, make_user
):
    assert runner.invoke(args=["curriculum", "load", str(copy)]).exit_code == 0
    coach = make_user(Role.COACH)
    rep = make_user(Role.REP, coach=coach)
    plan = service.assign_plan(coach, rep, "sdr-ramp", date(2025, 3, 3))
    db.session.commit()
    old_title = "Set up your CRM, dialer and sequences"
    assert old_title in [m.title for m in plan.milestones]

    replace_once(copy / "plans" / "sdr.yaml", f"title: {old_title}", "title: Set up the CRM")
    result = runner.invoke(args=["curriculum", "load", str(copy)])

    assert result.exit_code == 0, result.output
    assert "new version of sdr-ramp" in result.output
    db.session.expire_all()
    assert versions("sdr-ramp") == [1, 2]
    assert versions("ae-ramp") == [1]  # untouched templates stay as they are
    current = db.session.scalar(
        select(PlanTemplate).where(
            PlanTemplate.template_key == "sdr-ramp", PlanTemplate.is_current.is_(True)
        )
    )
    assert current.version == 2

    kept = service.active_plan(rep)
    assert kept.template.version == 1
    titles = db.session.scalars(select(Milestone.title).where(Milestone.plan_id == kept.id)).all()
    assert old_title in titles
    assert "Set up the CRM" not in titles

    newcomer = make_user(Role.REP, coach=coach)
    fresh = service.assign_plan(coach, newcomer, "sdr-ramp", date(2025, 3, 3))
    assert fresh.template.version == 2
    assert "Set up the CRM" in [m.title for m in fresh.milestones]
