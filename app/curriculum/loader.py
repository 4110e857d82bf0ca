"""Read and validate the curriculum directory, reporting every problem at once.

Layout::

    stages.yaml        the sales stages, in pipeline order (required)
    plans/*.yaml       one plan template per file (the directory may be empty or absent)
    rubrics/*.yaml     one certification rubric per file: a sales stage, optionally one role
    scenarios/*.yaml   one role-play scenario per file, for a sales stage
    agreements/*.yaml  one agreement template per file: variables and Markdown text
    outcomes.yaml      what "ramped" means, monthly targets per role, readiness weights
                       (optional: without it there are no ramp outcomes or readiness scores)
    quests/*.yaml      one time-boxed quest per file, personal or for a team (optional)
    points.yaml        the engagement points per milestone on time, certification passed and
                       commitment kept (optional: without it nobody earns points)

Each problem names the file (relative to the curriculum directory), the path inside it
(``phases[0].milestones[2].due_day``), the line when known, and a reason a sales manager can
act on. Nothing here touches the database or Flask: the CLI, the app and the tests share it.

A new kind of file (rubrics, scenarios, ...) is one ``_Collection`` entry: its directory, its
model, a check function (one module per kind in ``checks/``) and the ``Curriculum`` field it
fills. Other directories are ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from app.curriculum.checks.agreements import check_agreement
from app.curriculum.checks.documents import Finding, Problem, format_path, read_yaml, yaml_files
from app.curriculum.checks.outcomes import OUTCOMES_FILE, check_outcomes
from app.curriculum.checks.plans import PHASE_DAYS, check_plan
from app.curriculum.checks.quests import POINTS_FILE, check_quest
from app.curriculum.checks.rubrics import check_rubric, rubric_audience
from app.curriculum.checks.scenarios import check_scenario
from app.curriculum.checks.schema_errors import validate
from app.curriculum.checks.stages import STAGES_FILE, Context, StagesFile, check_stages
from app.curriculum.schema import (
    AgreementTemplate,
    Curriculum,
    PlanTemplate,
    Rubric,
    Scenario,
    Stage,
)
from app.curriculum.schema_numbers import OutcomesDefinition, PointsRules, Quest

__all__ = [
    "PHASE_DAYS",
    "STAGES_FILE",
    "CurriculumError",
    "Problem",
    "format_path",
    "load_curriculum",
    "validate_curriculum",
]


class CurriculumError(Exception):
    """The curriculum directory has problems; ``problems`` lists all of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the curriculum:\n{lines}")


def load_curriculum(directory: Path) -> Curriculum:
    """The validated curriculum; raises CurriculumError listing every problem found."""
    curriculum, problems = _read_curriculum(Path(directory))
    if problems or curriculum is None:
        raise CurriculumError(problems)
    return curriculum


def validate_curriculum(directory: Path) -> list[Problem]:
    """Every problem in the curriculum directory; empty when it loads cleanly."""
    return _read_curriculum(Path(directory))[1]


@dataclass(frozen=True)
class _Collection:
    """A directory of files, one item per file (rubrics/, plans/, scenarios/)."""

    directory: str
    model: type[BaseModel]
    check: Callable[[Any, Context], list[Finding]]
    fills: str  # the Curriculum field the items go into
    label: str  # how to name the item's id in messages
    # Items must differ in this (besides their id), with a reason naming what is shared.
    unique: Callable[[Any], Any] | None = None
    unique_reason: str = ""


_COLLECTIONS: tuple[_Collection, ...] = (
    # Rubrics first: plans' certification milestones are checked against them.
    _Collection(
        directory="rubrics",
        model=Rubric,
        check=check_rubric,
        fills="rubrics",
        label="rubric",
        unique=rubric_audience,
        unique_reason="a second rubric for the same stage and role",
    ),
    _Collection(
        directory="plans", model=PlanTemplate, check=check_plan, fills="plans", label="plan"
    ),
    _Collection(
        directory="scenarios",
        model=Scenario,
        check=check_scenario,
        fills="scenarios",
        label="scenario",
    ),
    _Collection(
        directory="agreements",
        model=AgreementTemplate,
        check=check_agreement,
        fills="agreements",
        label="agreement template",
    ),
    # After the rubrics: a certification quest's stage must have one.
    _Collection(directory="quests", model=Quest, check=check_quest, fills="quests", label="quest"),
)


def _read_curriculum(root: Path) -> tuple[Curriculum | None, list[Problem]]:
    problems: list[Problem] = []

    stages: tuple[Stage, ...] | None = None
    if not (root / STAGES_FILE).is_file():
        problems.append(
            Problem(STAGES_FILE, "", f"missing: {root} needs a {STAGES_FILE} listing the stages")
        )
    else:
        document = read_yaml(root / STAGES_FILE, STAGES_FILE)
        parsed = validate(document, StagesFile)
        if isinstance(parsed, StagesFile):
            stages = parsed.stages
            document.problems += [document.problem(*f) for f in check_stages(stages)]
        problems += document.problems

    context = Context(stage_keys=None if stages is None else tuple(s.key for s in stages))
    items: dict[str, list[Any]] = {}
    for collection in _COLLECTIONS:
        items[collection.fills] = []
        defined_in: dict[str, str] = {}
        audience_of: dict[Any, str] = {}
        for path in yaml_files(root / collection.directory):
            file = path.relative_to(root).as_posix()
            document = read_yaml(path, file)
            item: Any = validate(document, collection.model)
            if item is not None:
                document.problems += [document.problem(*f) for f in collection.check(item, context)]
                item_id = item.id  # every collection's model has an id
                if item_id in defined_in:
                    reason = (
                        f"duplicate {collection.label} id '{item_id}': "
                        f"{defined_in[item_id]} already uses it"
                    )
                    document.problems.append(document.problem(("id",), reason))
                elif collection.unique and collection.unique(item) in audience_of:
                    other = audience_of[collection.unique(item)]
                    reason = f"{collection.unique_reason}: {other} already covers it"
                    document.problems.append(document.problem(("stage",), reason))
                else:
                    defined_in[item_id] = file
                    if collection.unique:
                        audience_of[collection.unique(item)] = file
                    items[collection.fills].append(item)
            problems += document.problems
        if collection.fills == "rubrics" and items["rubrics"] and not problems:
            stages_certified = frozenset(rubric.stage for rubric in items["rubrics"])
            context = replace(context, rubric_stages=stages_certified)

    outcomes, outcome_problems = _read_outcomes(root)
    problems += outcome_problems
    points, points_problems = _read_points(root)
    problems += points_problems
    if problems or stages is None:
        return None, problems
    found_items = {name: tuple(found) for name, found in items.items()}
    return Curriculum(stages=stages, outcomes=outcomes, points=points, **found_items), []


def _read_outcomes(root: Path) -> tuple[OutcomesDefinition | None, list[Problem]]:
    """``outcomes.yaml`` validated, when there is one."""
    if not (root / OUTCOMES_FILE).is_file():
        return None, []
    document = read_yaml(root / OUTCOMES_FILE, OUTCOMES_FILE)
    parsed = validate(document, OutcomesDefinition)
    if isinstance(parsed, OutcomesDefinition):
        document.problems += [document.problem(*f) for f in check_outcomes(parsed)]
        return (None if document.problems else parsed), document.problems
    return None, document.problems


def _read_points(root: Path) -> tuple[PointsRules | None, list[Problem]]:
    """``points.yaml`` validated, when there is one (its schema says all there is to check)."""
    if not (root / POINTS_FILE).is_file():
        return None, []
    document = read_yaml(root / POINTS_FILE, POINTS_FILE)
    parsed = validate(document, PointsRules)
    return (parsed if isinstance(parsed, PointsRules) else None), document.problems
