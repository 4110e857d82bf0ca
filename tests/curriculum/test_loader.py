"""The curriculum loader: the shipped files load, and every mistake is reported precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.curriculum.loader import (
    CurriculumError,
    Problem,
    load_curriculum,
    validate_curriculum,
)
from app.curriculum.schema import CertificationMeasure, NumberMeasure

SHIPPED = Path(__file__).resolve().parents[2] / "curriculum"

STAGES = """\
stages:
  - key: prospecting
    name: Prospecting
    description: Opening conversations.
  - key: discovery
    name: Discovery
    description: Understanding the buyer.
  - key: qualification
    name: Qualification
    description: Deciding whether it is real.
"""

PLAN = """\
id: test-ramp
title: Test ramp
role: SDR
description: A small plan for tests.
phases:
  - name: Learn
    start_day: 1
    end_day: 30
    goal: Learn the basics.
    milestones:
      - key: crm-setup
        title: Set up your CRM
        action: Get access to the CRM.
        measure:
          kind: checkbox
        due_day: 5
      - key: prospecting-cert
        title: Pass the prospecting certification
        action: Role-play a cold call.
        measure:
          kind: certification
          stage: prospecting
        due_day: 28
        stage: prospecting
        verify: true
  - name: Practise
    start_day: 31
    end_day: 60
    goal: Build the habit.
    milestones:
      - key: weekly-dials
        title: Make 50 dials a week
        action: Call every day.
        measure:
          kind: number
          target: 50
          unit: dials per week
        due_day: 40
  - name: Perform
    start_day: 61
    end_day: 90
    goal: Hit quota.
    milestones:
      - key: ninety-day-review
        title: 90-day review
        action: Review the ramp.
        measure:
          kind: meeting
          with: your manager
        due_day: 90
        resource:
          title: Review template
          url: https://example.com/review
"""


def write_curriculum(root: Path, plans: dict[str, str], stages: str | None = STAGES) -> Path:
    """A curriculum directory under ``root`` with the given plan files (name -> YAML)."""
    root.mkdir(parents=True, exist_ok=True)
    if stages is not None:
        (root / "stages.yaml").write_text(stages, encoding="utf-8")
    (root / "plans").mkdir(exist_ok=True)
    for name, text in plans.items():
        (root / "plans" / name).write_text(text, encoding="utf-8")
    return root


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the only line containing ``needle``."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(lines) == 1, f"{needle!r} is on lines {lines}"
    return lines[0]


def only_problem(root: Path) -> Problem:
    problems = validate_curriculum(root)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# --- the shipped curriculum ---------------------------------------------------------------


def test_shipped_curriculum_loads() -> None:
    curriculum = load_curriculum(SHIPPED)

    assert [stage.key for stage in curriculum.stages] == [
        "prospecting",
        "discovery",
        "qualification",
        "demo",
        "proposal",
        "negotiation",
        "closing",
    ]
    assert {plan.id for plan in curriculum.plans} >= {"sdr-ramp", "ae-ramp"}
    sdr = curriculum.plan("sdr-ramp")
    assert sdr.role == "SDR"
    certified = {
        m.measure.stage for _, m in sdr.milestones() if isinstance(m.measure, CertificationMeasure)
    }
    assert {"prospecting", "qualification"} <= certified


@pytest.mark.parametrize(
    "file",
    [
        "stages.yaml",
        "outcomes.yaml",
        "points.yaml",
        *sorted(p.relative_to(SHIPPED).as_posix() for p in SHIPPED.glob("plans/*.yaml")),
        *sorted(p.relative_to(SHIPPED).as_posix() for p in SHIPPED.glob("quests/*.yaml")),
    ],
)
def test_shipped_file_is_valid(file: str) -> None:
    assert [str(p) for p in validate_curriculum(SHIPPED) if p.file == file] == []


def test_test_plan_is_valid(tmp_path: Path) -> None:
    curriculum = load_curriculum(write_curriculum(tmp_path, {"test.yaml": PLAN}))

    plan = curriculum.plan("test-ramp")
    assert [(phase, m.key) for phase, m in plan.milestones()] == [
        (1, "crm-setup"),
        (1, "prospecting-cert"),
        (2, "weekly-dials"),
        (3, "ninety-day-review"),
    ]
    dials = plan.phases[1].milestones[0].measure
    assert isinstance(dials, NumberMeasure)
    assert (dials.target, dials.unit) == (50, "dials per week")
    assert curriculum.stage("discovery").name == "Discovery"
    with pytest.raises(KeyError):
        curriculum.plan("nope")


# --- problems: one kind of mistake per test -----------------------------------------------


def test_problem_str_names_file_line_path_and_reason() -> None:
    problem = Problem(
        "plans/sdr.yaml",
        "phases[0].milestones[2].due_day",
        "due day 45 is outside phase 1 (days 1-30)",
        42,
    )
    assert str(problem) == (
        "plans/sdr.yaml:42: phases[0].milestones[2].due_day: "
        "due day 45 is outside phase 1 (days 1-30)"
    )
    assert str(Problem("stages.yaml", "", "missing")) == "stages.yaml: (file): missing"


def test_bad_yaml_reports_the_parser_line(tmp_path: Path) -> None:
    text = edit(PLAN, "goal: Build the habit.", "goal: [Build the habit.")
    problem = only_problem(write_curriculum(tmp_path, {"bad.yaml": text}))

    assert problem.file == "plans/bad.yaml"
    assert problem.path == ""
    assert problem.line is not None and problem.line >= line_of(text, "[Build the habit.")
    assert problem.reason.startswith("invalid YAML: ")


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    text = edit(PLAN, "title: Make 50 dials a week", "title: Make 50 dials\n        title: Dial")
    problem = only_problem(write_curriculum(tmp_path, {"dup.yaml": text}))

    assert problem.path == "phases[1].milestones[0].title"
    assert problem.line == line_of(text, "title: Dial")
    assert problem.reason.startswith("duplicate key 'title'")


def test_missing_measure(tmp_path: Path) -> None:
    text = edit(PLAN, "        measure:\n          kind: checkbox\n", "")
    problem = only_problem(write_curriculum(tmp_path, {"p.yaml": text}))

    assert problem.path == "phases[0].milestones[0].measure"
    assert problem.line == line_of(text, "key: crm-setup")  # the milestone that lacks it
    assert problem.reason == "missing (every milestone needs a measure: how it is judged done)"


def test_number_measure_without_target(tmp_path: Path) -> None:
    text = edit(PLAN, "          target: 50\n", "")
    problem = only_problem(write_curriculum(tmp_path, {"p.yaml": text}))

    # the measure's kind is not part of the path, as it is not in the file
    assert problem.path == "phases[1].milestones[0].measure.target"
    assert problem.line == line_of(text, "kind: number") - 1  # the measure: key
    assert "missing" in problem.reason and "target" in problem.reason


def test_unknown_field(tmp_path: Path) -> None:
    text = edit(PLAN, "        due_day: 40\n", "        due_day: 40\n        owner: Sam\n")
    problem = only_problem(write_curriculum(tmp_path, {"p.yaml": text}))

    assert problem.path == "phases[1].milestones[0].owner"
    assert problem.line == line_of(text, "owner: Sam")
    assert problem.reason == "unknown field 'owner'"


def test_wrong_types_are_refused_not_coerced(tmp_path: Path) -> None:
    text = edit(PLAN, "due_day: 40", 'due_day: "40"')
    text = edit(text, "url: https://example.com/review", "url: ftp://example.com/review")
    problems = validate_curriculum(write_curriculum(tmp_path, {"p.yaml": text}))

    assert [(p.path, p.line, p.reason) for p in problems] == [
        (
            "phases[1].milestones[0].due_day",
            line_of(text, 'due_day: "40"'),
            "must be a whole number, not '40'",
        ),
        (
            "phases[2].milestones[0].resource.url",
            line_of(text, "url: ftp:"),
            "must be an http(s) URL or a path starting with /",
        ),
    ]


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        (
            "\n        stage: prospecting\n",
            "\n        stage: discvery\n",
            "phases[0].milestones[1].stage",
        ),
        (
            "          stage: prospecting\n",
            "          stage: discvery\n",
            "phases[0].milestones[1].measure.stage",
        ),
    ],
    ids=["milestone-stage", "certification-stage"],
)
def test_unknown_stage(tmp_path: Path, old: str, new: str, path: str) -> None:
    text = edit(PLAN, old, new)
    problem = only_problem(write_curriculum(tmp_path, {"p.yaml": text}))

    assert problem.path == path
    assert problem.line == line_of(text, new.strip())
    assert problem.reason == "unknown stage 'discvery' (did you mean 'discovery'?)"


def test_due_day_outside_its_phase(tmp_path: Path) -> None:
    text = edit(PLAN, "due_day: 28", "due_day: 45")
    problem = only_problem(write_curriculum(tmp_path, {"sdr.yaml": text}))

    line = line_of(text, "due_day: 45")
    assert str(problem) == (
        f"plans/sdr.yaml:{line}: phases[0].milestones[1].due_day: "
        "due day 45 is outside phase 1 (days 1-30)"
    )


def test_wrong_phase_range(tmp_path: Path) -> None:
    text = edit(PLAN, "end_day: 60", "end_day: 45")
    problem = only_problem(write_curriculum(tmp_path, {"p.yaml": text}))

    assert problem.path == "phases[1]"
    assert problem.line == line_of(text, "name: Practise")
    assert problem.reason == "phase 2 covers days 31-45; it must cover days 31-60"


def test_plan_needs_exactly_three_phases(tmp_path: Path) -> None:
    text = PLAN[: PLAN.index("  - name: Perform")]
    problem = only_problem(write_curriculum(tmp_path, {"p.yaml": text}))

    assert (problem.path, problem.line) == ("phases", line_of(text, "phases:"))
    assert "exactly three phases" in problem.reason and "not 2" in problem.reason


def test_phase_without_milestones(tmp_path: Path) -> None:
    start = PLAN.index("    milestones:\n      - key: weekly-dials")
    end = PLAN.index("  - name: Perform")
    text = PLAN[:start] + "    milestones: []\n" + PLAN[end:]
    problem = only_problem(write_curriculum(tmp_path, {"p.yaml": text}))

    assert (problem.path, problem.line) == ("phases[1].milestones", line_of(text, "milestones: []"))
    assert problem.reason == "phase 2 has no milestones"


def test_duplicate_milestone_keys_across_phases(tmp_path: Path) -> None:
    text = edit(PLAN, "key: weekly-dials", "key: crm-setup")
    problem = only_problem(write_curriculum(tmp_path, {"p.yaml": text}))

    assert problem.path == "phases[1].milestones[0].key"
    assert problem.line == line_of(text, "title: Make 50 dials") - 1
    assert problem.reason == "duplicate milestone key 'crm-setup' (also phases[0].milestones[0])"


def test_duplicate_plan_ids_name_both_files(tmp_path: Path) -> None:
    problem = only_problem(write_curriculum(tmp_path, {"a.yaml": PLAN, "b.yaml": PLAN}))

    assert (problem.file, problem.path, problem.line) == ("plans/b.yaml", "id", 1)
    assert "duplicate plan id 'test-ramp'" in problem.reason and "plans/a.yaml" in problem.reason


def test_duplicate_stage_keys(tmp_path: Path) -> None:
    stages = STAGES + "  - key: discovery\n    name: Discovery again\n    description: Twice.\n"
    problem = only_problem(write_curriculum(tmp_path, {}, stages=stages))

    assert (problem.file, problem.path) == ("stages.yaml", "stages[3].key")
    assert problem.line == line_of(stages, "Discovery again") - 1
    assert problem.reason == "duplicate stage key 'discovery' (also stages[1])"


def test_missing_stages_file_is_a_problem_but_no_plans_is_fine(tmp_path: Path) -> None:
    problem = only_problem(write_curriculum(tmp_path, {}, stages=None))
    assert (problem.file, problem.path, problem.line) == ("stages.yaml", "", None)
    assert problem.reason.startswith("missing")

    curriculum = load_curriculum(write_curriculum(tmp_path, {}))
    assert curriculum.plans == ()


def test_other_directories_are_ignored(tmp_path: Path) -> None:
    write_curriculum(tmp_path, {"p.yaml": PLAN})
    (tmp_path / "playbooks").mkdir()
    (tmp_path / "playbooks" / "later.yaml").write_text("not: [a plan", encoding="utf-8")
    (tmp_path / "plans" / "README.md").write_text("# notes", encoding="utf-8")

    assert validate_curriculum(tmp_path) == []


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    broken = edit(PLAN, "due_day: 28", "due_day: 45")
    broken = edit(broken, "        measure:\n          kind: checkbox\n", "")
    broken = edit(broken, "with: your manager", "with: your manager\n          when: weekly")
    broken = edit(broken, "title: Set up your CRM", "title: Set up your CRM\n        title: CRM")
    write_curriculum(
        tmp_path, {"a.yaml": "id: [oops\n", "b.yaml": broken, "c.yaml": PLAN, "d.yaml": PLAN}
    )

    with pytest.raises(CurriculumError) as caught:
        load_curriculum(tmp_path)

    found = {(p.file, p.path) for p in caught.value.problems}
    assert found == {
        ("plans/a.yaml", ""),
        ("plans/b.yaml", "phases[0].milestones[0].title"),
        ("plans/b.yaml", "phases[0].milestones[0].measure"),
        ("plans/b.yaml", "phases[2].milestones[0].measure.when"),
        ("plans/d.yaml", "id"),
    }
    assert all(p.line is not None for p in caught.value.problems)
    assert str(caught.value).startswith("5 problems in the curriculum:\n  plans/a.yaml:")


def test_semantic_checks_run_when_the_schema_passes(tmp_path: Path) -> None:
    text = edit(PLAN, "due_day: 28", "due_day: 45")
    text = edit(text, "\n        stage: prospecting\n", "\n        stage: closing\n")
    text = edit(text, "key: weekly-dials", "key: crm-setup")
    problems = validate_curriculum(write_curriculum(tmp_path, {"p.yaml": text}))

    assert [p.path for p in problems] == [
        "phases[0].milestones[1].due_day",
        "phases[0].milestones[1].stage",
        "phases[1].milestones[0].key",
    ]


# --- versions -----------------------------------------------------------------------------


def test_content_hash_is_stable_and_follows_the_content(tmp_path: Path) -> None:
    first = load_curriculum(write_curriculum(tmp_path / "a", {"p.yaml": PLAN}))
    again = load_curriculum(write_curriculum(tmp_path / "a", {"p.yaml": PLAN}))
    # formatting and comments are not content
    reformatted = "# a comment\n" + PLAN.replace("due_day: 90", "due_day:   90")
    same = load_curriculum(write_curriculum(tmp_path / "b", {"p.yaml": reformatted}))
    renamed = edit(PLAN, "title: Make 50 dials a week", "title: Make 60 dials a week")
    changed = load_curriculum(write_curriculum(tmp_path / "c", {"p.yaml": renamed}))

    digest = first.plan("test-ramp").content_hash
    assert len(digest) == 64
    assert again.plan("test-ramp").content_hash == digest
    assert same.plan("test-ramp").content_hash == digest
    assert changed.plan("test-ramp").content_hash != digest
