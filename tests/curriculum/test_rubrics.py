"""Certification rubrics as curriculum data: the shipped rubrics, and every mistake reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.curriculum.loader import Problem, load_curriculum, validate_curriculum
from app.curriculum.models import RubricTemplate
from app.curriculum.schema import CertificationMeasure
from app.curriculum.service import store_curriculum
from app.extensions import db

from .test_loader import STAGES, edit, line_of

SHIPPED = Path(__file__).resolve().parents[2] / "curriculum"
STAGE_KEYS = [
    "prospecting",
    "discovery",
    "qualification",
    "demo",
    "proposal",
    "negotiation",
    "closing",
]

RUBRIC = """\
id: discovery-test
stage: discovery
title: Discovery test
description: A small rubric for tests.
scale:
  - level: 1
    name: Not yet
  - level: 2
    name: Developing
  - level: 3
    name: Proficient
  - level: 4
    name: Mastery
criteria:
  - key: questioning
    name: Questioning
    good: Open questions.
    weight: 60
    levels:
      1: Closed questions.
      2: Some open questions.
      3: Open questions with follow-ups.
      4: Questions build on each other.
  - key: next-steps
    name: Agreeing next steps
    good: A dated next step.
    weight: 40
    levels:
      1: No next step.
      2: Next step without a date.
      3: Dated next step.
      4: Dated next step with the decision maker.
pass_rule:
  min_average: 2.5
  min_level: 2
  must_pass: [next-steps]
  must_pass_level: 3
evidence:
  required: true
  kinds: [role-play, recorded-call]
validity_days: 365
cooldown_days: 7
"""


def write(root: Path, rubrics: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "stages.yaml").write_text(STAGES, encoding="utf-8")
    (root / "rubrics").mkdir(exist_ok=True)
    for name, text in rubrics.items():
        (root / "rubrics" / name).write_text(text, encoding="utf-8")
    return root


def problems_of(tmp_path: Path, text: str) -> list[Problem]:
    return validate_curriculum(write(tmp_path, {"r.yaml": text}))


def only_problem(tmp_path: Path, text: str) -> Problem:
    problems = problems_of(tmp_path, text)
    assert len(problems) == 1, [str(p) for p in problems]
    assert problems[0].file == "rubrics/r.yaml"
    return problems[0]


# --- the shipped rubrics -----------------------------------------------------------------


@pytest.mark.parametrize(
    "file", sorted(p.relative_to(SHIPPED).as_posix() for p in SHIPPED.glob("rubrics/*.yaml"))
)
def test_shipped_rubric_is_valid(file: str) -> None:
    assert [str(p) for p in validate_curriculum(SHIPPED) if p.file == file] == []


def test_every_stage_has_a_rubric_with_descriptors_at_every_level() -> None:
    curriculum = load_curriculum(SHIPPED)
    assert sorted(r.stage for r in curriculum.rubrics) == sorted(STAGE_KEYS)
    for rubric in curriculum.rubrics:
        assert [s.name for s in rubric.scale] == ["Not yet", "Developing", "Proficient", "Mastery"]
        assert len(rubric.criteria) >= 4
        assert sum(c.weight for c in rubric.criteria) == 100
        for criterion in rubric.criteria:
            assert sorted(criterion.levels) == [1, 2, 3, 4]
            assert len(set(criterion.levels.values())) == 4  # a distinct behaviour per level


def test_discovery_rubric_covers_what_the_issue_asks_for() -> None:
    discovery = load_curriculum(SHIPPED).rubric("discovery")
    names = [c.name for c in discovery.criteria]
    assert names == [
        "Questioning",
        "Active listening",
        "Uncovering pain and impact",
        "Establishing trust as an advisor",
        "Agreeing next steps",
    ]


def test_every_certification_milestone_points_at_a_rubric() -> None:
    curriculum = load_curriculum(SHIPPED)
    rubric_stages = {r.stage for r in curriculum.rubrics}
    for plan in curriculum.plans:
        for _, milestone in plan.milestones():
            if isinstance(milestone.measure, CertificationMeasure):
                assert milestone.measure.stage in rubric_stages, (plan.id, milestone.key)


def test_the_test_rubric_is_valid_and_reads_back(tmp_path: Path) -> None:
    rubric = load_curriculum(write(tmp_path, {"r.yaml": RUBRIC})).rubric("discovery-test")
    assert rubric.levels == (1, 2, 3, 4)
    assert rubric.level_name(3) == "Proficient"
    assert rubric.criterion("next-steps").weight == 40
    assert rubric.self_assessment is True  # the defaults
    assert (rubric.assessors.required, rubric.assessors.final_rule) == (1, "all-must-pass")


# --- problems: one kind of mistake per test ----------------------------------------------


def test_missing_descriptor_for_a_level(tmp_path: Path) -> None:
    text = edit(RUBRIC, "      3: Dated next step.\n", "")
    problem = only_problem(tmp_path, text)
    assert problem.path == "criteria[1].levels"
    assert problem.reason == "missing descriptor for level 3 (Proficient)"
    assert problem.line == line_of(text, "Next step without a date") - 2


def test_descriptor_for_a_level_not_on_the_scale(tmp_path: Path) -> None:
    text = edit(RUBRIC, "      4: Questions build on each other.\n",
                "      4: Questions build on each other.\n      5: Perfect.\n")  # fmt: skip
    problem = only_problem(tmp_path, text)
    assert problem.path == "criteria[0].levels[5]"
    assert problem.reason == "level 5 is not on the scale (1-4)"


@pytest.mark.parametrize("weight", ["0", "-10"])
def test_non_positive_weight(tmp_path: Path, weight: str) -> None:
    text = edit(RUBRIC, "weight: 40", f"weight: {weight}")
    problem = only_problem(tmp_path, text)
    assert problem.path == "criteria[1].weight"
    assert problem.reason == f"must be greater than 0, not {int(weight)}"
    assert problem.line == line_of(text, f"weight: {weight}")


def test_weights_must_add_up_to_100(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, edit(RUBRIC, "weight: 40", "weight: 35"))
    assert problem.path == "criteria"
    assert problem.reason == (
        "the weights add up to 95; they are percentages of the score and must add up to 100"
    )


def test_weights_in_thirds_are_fine(tmp_path: Path) -> None:
    text = edit(RUBRIC, "weight: 60", "weight: 66.67")
    text = edit(text, "weight: 40", "weight: 33.33")
    assert problems_of(tmp_path, text) == []


@pytest.mark.parametrize("value", ["0.5", "4.5"])
def test_min_average_outside_the_scale(tmp_path: Path, value: str) -> None:
    problem = only_problem(tmp_path, edit(RUBRIC, "min_average: 2.5", f"min_average: {value}"))
    assert problem.path == "pass_rule.min_average"
    assert problem.reason == f"{value} is outside the scale (1-4)"


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("min_level: 2", "min_level: 5", "pass_rule.min_level"),
        ("must_pass_level: 3", "must_pass_level: 0", "pass_rule.must_pass_level"),
    ],
)
def test_pass_levels_outside_the_scale(tmp_path: Path, old: str, new: str, path: str) -> None:
    problem = only_problem(tmp_path, edit(RUBRIC, old, new))
    assert problem.path == path
    assert problem.reason.endswith("is not a level of the scale (1-4)")


def test_must_pass_names_an_unknown_criterion(tmp_path: Path) -> None:
    text = edit(RUBRIC, "must_pass: [next-steps]", "must_pass: [next-step]")
    problem = only_problem(tmp_path, text)
    assert problem.path == "pass_rule.must_pass[0]"
    assert problem.reason == "unknown criterion 'next-step' (did you mean 'next-steps'?)"
    assert problem.line == line_of(text, "must_pass: [next-step]")


def test_must_pass_needs_a_level(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, edit(RUBRIC, "  must_pass_level: 3\n", ""))
    assert problem.path == "pass_rule"
    assert "must_pass_level" in problem.reason


def test_unknown_stage(tmp_path: Path) -> None:
    text = edit(RUBRIC, "stage: discovery", "stage: discovry")
    problem = only_problem(tmp_path, text)
    assert problem.path == "stage"
    assert problem.reason == "unknown stage 'discovry' (did you mean 'discovery'?)"
    assert problem.line == line_of(text, "stage: discovry")


def test_scale_must_count_from_one(tmp_path: Path) -> None:
    text = edit(RUBRIC, "  - level: 1\n    name: Not yet", "  - level: 0\n    name: Not yet")
    first = problems_of(tmp_path, text)[0]
    assert first.path == "scale"
    assert "must be 1, 2, 3, 4 in order, not 0, 2, 3, 4" in first.reason


def test_unknown_evidence_kind(tmp_path: Path) -> None:
    text = edit(RUBRIC, "[role-play, recorded-call]", "[role-play, gut-feel]")
    problem = only_problem(tmp_path, text)
    assert problem.path == "evidence.kinds[1]"


def test_duplicate_criterion_keys(tmp_path: Path) -> None:
    text = edit(RUBRIC, "key: next-steps", "key: questioning")
    text = edit(text, "must_pass: [next-steps]", "must_pass: [questioning]")
    problem = only_problem(tmp_path, text)
    assert problem.path == "criteria[1].key"
    assert problem.reason.startswith("duplicate criterion key 'questioning'")


def test_two_rubrics_for_the_same_stage_and_role(tmp_path: Path) -> None:
    other = edit(RUBRIC, "id: discovery-test", "id: discovery-other")
    problems = validate_curriculum(write(tmp_path, {"a.yaml": RUBRIC, "b.yaml": other}))
    assert [(p.file, p.path) for p in problems] == [("rubrics/b.yaml", "stage")]
    assert "rubrics/a.yaml already covers it" in problems[0].reason
    for_aes = edit(other, "stage: discovery\n", "stage: discovery\nrole: AE\n")
    assert validate_curriculum(write(tmp_path, {"a.yaml": RUBRIC, "b.yaml": for_aes})) == []


def test_missing_pass_rule(tmp_path: Path) -> None:
    start = RUBRIC.index("pass_rule:")
    end = RUBRIC.index("evidence:")
    problem = only_problem(tmp_path, RUBRIC[:start] + RUBRIC[end:])
    assert problem.path == "pass_rule"
    assert problem.reason.startswith("missing")


# --- storing versions --------------------------------------------------------------------


def test_rubrics_are_stored_by_content_version(app, tmp_path: Path) -> None:
    first = load_curriculum(write(tmp_path / "one", {"r.yaml": RUBRIC}))
    report = store_curriculum(first)
    assert report.rubrics_added == ["discovery-test"]
    assert store_curriculum(first).rubrics_unchanged == ["discovery-test"]

    changed = edit(RUBRIC, "3: Dated next step.", "3: A dated next step, agreed on the call.")
    report = store_curriculum(load_curriculum(write(tmp_path / "two", {"r.yaml": changed})))
    db.session.commit()
    assert report.rubrics_new_versions == ["discovery-test"]
    rows = db.session.scalars(db.select(RubricTemplate).order_by(RubricTemplate.version)).all()
    assert [(r.version, r.is_current) for r in rows] == [(1, False), (2, True)]
    assert rows[1].content["criteria"][1]["levels"]["3"] == "A dated next step, agreed on the call."


# --- the command line ----------------------------------------------------------------------


def test_validate_reports_a_rubric_problem_with_file_line_and_path(runner, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "curriculum"
    shutil.copytree(SHIPPED, copy)
    path = copy / "rubrics" / "closing.yaml"
    text = path.read_text()
    path.write_text(edit(text, "  min_average: 3\n", "  min_average: 5\n"))

    result = runner.invoke(args=["curriculum", "validate", str(copy)])
    assert result.exit_code == 1
    line = line_of(path.read_text(), "min_average: 5")
    assert f"rubrics/closing.yaml:{line}: pass_rule.min_average: 5 is outside the scale (1-4)" in (
        result.output
    )


def test_load_reports_rubrics_and_is_idempotent(runner) -> None:
    first = runner.invoke(args=["curriculum", "load"])
    assert first.exit_code == 0, first.output
    assert "Rubrics: 7 new, 0 new versions, 0 unchanged." in first.output
    second = runner.invoke(args=["curriculum", "load"])
    assert "Rubrics: 0 new, 0 new versions, 7 unchanged." in second.output
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(RubricTemplate.id))) == 7


def test_a_certification_milestone_needs_a_rubric_once_there_are_rubrics(tmp_path: Path) -> None:
    from .test_loader import PLAN

    root = write(tmp_path, {"r.yaml": RUBRIC})  # certifies discovery only
    (root / "plans").mkdir()
    (root / "plans" / "p.yaml").write_text(PLAN, encoding="utf-8")  # certifies prospecting
    problems = validate_curriculum(root)
    assert [(p.file, p.path, p.reason) for p in problems] == [
        (
            "plans/p.yaml",
            "phases[0].milestones[1].measure.stage",
            "no rubric certifies the 'prospecting' stage: add one to rubrics/",
        )
    ]
    assert problems[0].line == line_of(PLAN, "          stage: prospecting")
    # a broken rubric is reported on its own, without a knock-on complaint about the plan
    broken = edit(RUBRIC, "weight: 40", "weight: 0")
    (root / "rubrics" / "r.yaml").write_text(broken, encoding="utf-8")
    assert [p.file for p in validate_curriculum(root)] == ["rubrics/r.yaml"]
