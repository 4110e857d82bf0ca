"""Quests and points in the curriculum files: validated with file, path and reason; versioned."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.curriculum.loader import load_curriculum, validate_curriculum
from app.curriculum.models import QuestTemplate
from app.curriculum.service import store_curriculum
from app.extensions import db
from app.quests import service
from tests.curriculum.test_loader import SHIPPED

GOOD = """\
id: friday-certified
title: Every SDR certified on prospecting by Friday
description: The whole team certified.
scope: team
role: SDR
window:
  start: 2026-11-23
  end: 2026-11-27
goal:
  kind: certification
  stage: prospecting
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "curriculum"
    shutil.copytree(SHIPPED, copy)
    return copy


def _problems(root: Path, text: str) -> list[str]:
    (root / "quests" / "friday.yaml").write_text(text)
    return [str(problem) for problem in validate_curriculum(root)]


def test_the_shipped_quests_and_points_load():
    curriculum = load_curriculum(SHIPPED)
    assert {quest.id for quest in curriculum.quests} >= {
        "sdr-prospecting-certified",
        "book-ten-meetings",
    }
    assert {quest.scope for quest in curriculum.quests} == {"team", "personal"}
    assert curriculum.points is not None and curriculum.points.milestone_on_time > 0


def test_a_quest_with_fixed_dates_is_valid(root):
    assert _problems(root, GOOD) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "stage: prospecting",
            "stage: prospectng",
            "quests/friday.yaml:11: goal.stage: unknown stage 'prospectng' "
            "(did you mean 'prospecting'?)",
        ),
        (
            "  end: 2026-11-27\n",
            "  end: 2026-11-20\n",
            "quests/friday.yaml:8: window.end: ends (2026-11-20) before it starts (2026-11-23)",
        ),
        (
            "  end: 2026-11-27\n",
            "",
            "quests/friday.yaml:6: window.end: missing 'end': a quest runs from a start date to "
            "an end date (or give 'every: week' or 'every: month')",
        ),
        (
            "  kind: certification\n  stage: prospecting\n",
            "  kind: metric\n  metric: meetings_booked\n",
            "quests/friday.yaml:9: goal.target: a metric goal needs how many "
            "(a whole number from 1)",
        ),
        (
            "  start: 2026-11-23\n",
            "  every: week\n  start: 2026-11-23\n",
            "quests/friday.yaml:6: window: give either 'every' or 'start' and 'end', not both",
        ),
    ],
)
def test_a_broken_quest_names_file_line_path_and_reason(root, old, new, expected):
    assert old in GOOD
    assert _problems(root, GOOD.replace(old, new)) == [expected]


def test_a_quest_scope_must_be_team_or_personal(root):
    problems = _problems(root, GOOD.replace("scope: team", "scope: company"))
    assert len(problems) == 1
    assert problems[0].startswith("quests/friday.yaml:4: scope:")


def test_points_must_be_whole_numbers(root):
    points = root / "points.yaml"
    points.write_text(
        points.read_text().replace("milestone_on_time: 10", 'milestone_on_time: "10"')
    )
    problems = [str(problem) for problem in validate_curriculum(root)]
    assert len(problems) == 1 and problems[0].startswith("points.yaml:")
    assert "milestone_on_time" in problems[0]


def test_a_changed_quest_is_a_new_version_and_the_old_one_stays(app, root):
    store_curriculum(load_curriculum(root))
    quest = root / "quests" / "book-ten-meetings.yaml"
    quest.write_text(quest.read_text().replace("target: 10", "target: 12"))
    report = store_curriculum(load_curriculum(root))
    db.session.commit()
    assert report.quests.new_versions == ["book-ten-meetings"]
    versions = db.session.scalars(
        select(QuestTemplate.version)
        .where(QuestTemplate.quest_key == "book-ten-meetings")
        .order_by(QuestTemplate.version)
    ).all()
    assert versions == [1, 2]
    current = {quest.key: quest for quest in service.quests_on(date.today())}
    assert current["book-ten-meetings"].target == 12
    assert current["book-ten-meetings"].version == 2
