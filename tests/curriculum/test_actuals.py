"""A number milestone's ``actuals``: which activity measures it, validated on load with the
file, path and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.curriculum.loader import validate_curriculum
from tests.curriculum.test_loader import PLAN, edit, only_problem, write_curriculum

UNIT = "          unit: dials per week\n"


def _with_actuals(lines: str) -> str:
    return edit(PLAN, UNIT, UNIT + "          actuals:\n" + lines)


def test_actuals_by_week_are_valid(tmp_path: Path) -> None:
    text = _with_actuals(
        "            metric: dials\n            per: week\n            periods: [6, 7]\n"
    )
    assert validate_curriculum(write_curriculum(tmp_path, {"p.yaml": text})) == []


@pytest.mark.parametrize(
    ("lines", "path", "reason"),
    [
        (
            "            metric: calls\n            per: week\n            periods: [6]\n",
            "phases[1].milestones[0].measure.actuals.metric",
            "'calls' is not allowed here (expected 'dials', 'conversations'",
        ),
        (
            "            metric: dials\n            per: week\n",
            "phases[1].milestones[0].measure.actuals.periods",
            "name the weeks of the ramp to measure, e.g. [6, 7]",
        ),
        (
            "            metric: dials\n            per: ramp\n            periods: [2]\n",
            "phases[1].milestones[0].measure.actuals.periods",
            "a whole-ramp total (per: ramp) takes no periods",
        ),
        (
            "            metric: dials\n            per: month\n            periods: [2, 4]\n",
            "phases[1].milestones[0].measure.actuals.periods[1]",
            "month 4 is past the ramp's last month (3)",
        ),
        (
            "            metric: dials\n            per: week\n            periods: [0]\n",
            "phases[1].milestones[0].measure.actuals.periods[0]",
            "must be at least 1",
        ),
    ],
)
def test_bad_actuals_name_the_file_path_and_reason(
    tmp_path: Path, lines: str, path: str, reason: str
) -> None:
    problem = only_problem(write_curriculum(tmp_path, {"p.yaml": _with_actuals(lines)}))
    assert problem.file.endswith("p.yaml")
    assert problem.path == path
    assert problem.reason.startswith(reason), problem.reason
