"""Read and validate the curriculum directory, reporting every problem at once.

Layout::

    stages.yaml        the sales stages, in pipeline order (required)
    plans/*.yaml       one plan template per file (the directory may be empty or absent)
    rubrics/*.yaml     one certification rubric per file: a sales stage, optionally one role
    scenarios/*.yaml   one role-play scenario per file, for a sales stage
    agreements/*.yaml  one agreement template per file: variables and Markdown text

Each problem names the file (relative to the curriculum directory), the path inside it
(``phases[0].milestones[2].due_day``), the line when known, and a reason a sales manager can
act on. Nothing here touches the database or Flask: the CLI, the app and the tests share it.

A new kind of file (rubrics, scenarios, ...) is one ``_Collection`` entry: its directory, its
model, a check function and the ``Curriculum`` field it fills. Other directories are ignored.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from app.curriculum.schema import (
    AgreementTemplate,
    CertificationMeasure,
    Curriculum,
    PlanTemplate,
    Rubric,
    Scenario,
    Stage,
)

STAGES_FILE = "stages.yaml"
PHASE_DAYS: tuple[tuple[int, int], ...] = ((1, 30), (31, 60), (61, 90))
_THREE_PHASES = "a plan has exactly three phases (days 1-30, 31-60, 61-90)"

Loc = tuple[str | int, ...]
Finding = tuple[Loc, str]  # a problem inside one item: where and why


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the curriculum, precise enough to fix without guessing."""

    file: str
    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path or '(file)'}: {self.reason}"


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


def format_path(loc: Iterable[str | int]) -> str:
    """``("phases", 0, "goal")`` -> ``phases[0].goal``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


# --- reading YAML -------------------------------------------------------------------------


@dataclass
class _Document:
    """One YAML file: its data plus the line of every node, for pointing at problems."""

    file: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, loc: Loc, reason: str) -> Problem:
        """A problem at ``loc``, on the line of the nearest node that exists on its path."""
        line = None
        for end in range(len(loc), 0, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                break
        return Problem(self.file, format_path(loc), reason, line)


def _read_yaml(path: Path, file: str) -> _Document:
    """Parse one file; YAML errors and duplicate keys become problems on the document."""
    document = _Document(file=file, data=None)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        document.problems.append(Problem(file, "", f"cannot be read: {exc}"))
        return document
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _index_nodes(node, (), document, set())
            document.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "cannot be parsed"
        line = mark.line + 1 if mark is not None else None
        document.problems.append(Problem(file, "", f"invalid YAML: {reason}", line))
    except yaml.YAMLError as exc:
        document.problems.append(Problem(file, "", f"invalid YAML: {exc}"))
    finally:
        loader.dispose()
    return document


def _index_nodes(node: yaml.Node, loc: Loc, document: _Document, active: set[int]) -> None:
    """Record the line of every key and item, and report keys given twice in one mapping.

    PyYAML silently keeps the last of two equal keys; in a curriculum that is almost always a
    copy-paste slip, so it is a problem (found here rather than in a constructor so that it
    can name the path as well as the line).
    """
    if id(node) in active:  # a recursive alias: its nodes are already indexed
        return
    active.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            child = (*loc, key)
            if key in first_seen:
                reason = f"duplicate key '{key}' (first given on line {first_seen[key]})"
                document.problems.append(Problem(document.file, format_path(child), reason, line))
            else:
                first_seen[key] = line
            document.lines[child] = line
            if isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">"):
                # Each line of a block of text, so a problem in it (agreement text) can be
                # reported as ``body[12]`` on the very line of the file.
                first = value_node.start_mark.line + 2
                for offset in range(str(value_node.value).count("\n") + 1):
                    document.lines[(*child, offset)] = first + offset
            _index_nodes(value_node, child, document, active)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*loc, index)
            document.lines[child] = item.start_mark.line + 1
            _index_nodes(item, child, document, active)
    active.discard(id(node))


# --- schema errors ------------------------------------------------------------------------

_MISSING_HINTS = {
    "measure": "every milestone needs a measure: how it is judged done",
    "target": "a number measure needs a target, e.g. 50",
    "unit": 'a number measure needs a unit, e.g. "dials per week"',
    "with": 'a meeting measure says who it is with, e.g. "your coach"',
    "stage": "a certification names the sales stage it certifies",
    "due_day": "the day of the ramp the milestone is due",
    "milestones": "a phase lists its milestones",
    "levels": "a descriptor for every level of the scale",
    "weight": "the criterion's share of the weighted average, in percent",
    "pass_rule": "min_average, min_level and optionally must_pass",
    "evidence": "which evidence the assessor bases the score on",
    "validity_days": "how many days a certification stays valid",
    "cooldown_days": "days to wait after a failed attempt (0 for none)",
    "persona": "who the buyer is: the person the coach plays",
    "situation": "what is going on at the buyer when the conversation starts",
    "objective": "what the rep must achieve in the role-play",
    "objections": "the objections the buyer is likely to raise",
    "strong_answer": "what a strong answer includes",
}

_TYPE_REASONS = {
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "model_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
    "dict_type": "must be a mapping of fields",
}


def _schema_findings(error: ValidationError, data: Any) -> list[Finding]:
    return [(_data_loc(detail["loc"], data), _reason(detail)) for detail in error.errors()]


def _data_loc(loc: Sequence[str | int], data: Any) -> Loc:
    """Pydantic's error location as a path in the YAML: drop the union tag it inserts.

    A discriminated union reports ``measure.number.target``; in the file that is
    ``measure.target``, where ``number`` is the measure's ``kind``.
    """
    path: list[str | int] = []
    current = data
    for part in loc:
        if (
            isinstance(current, dict)
            and isinstance(part, str)
            and part not in current
            and current.get("kind") == part
        ):
            continue
        path.append(part)
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            current = None
    return tuple(path)


def _reason(detail: ErrorDetails) -> str:
    """Pydantic's message in a curriculum author's words."""
    kind = detail["type"]
    ctx = detail.get("ctx", {})
    name = detail["loc"][-1] if detail["loc"] else ""
    given = detail.get("input")
    if kind == "missing":
        return f"missing ({_MISSING_HINTS.get(str(name), 'required field')})"
    if kind == "extra_forbidden":
        return f"unknown field '{name}'"
    if kind == "union_tag_invalid":
        return f"unknown kind {ctx.get('tag')!r} (expected one of {ctx.get('expected_tags')})"
    if kind == "union_tag_not_found":
        return "missing kind (checkbox, number, certification or meeting)"
    if kind == "literal_error":
        return f"{given!r} is not allowed here (expected {ctx.get('expected')})"
    if kind == "string_pattern_mismatch":
        return (
            f"{given!r} is not a valid key: use lowercase letters, digits and hyphens, "
            "starting with a letter"
        )
    if kind == "string_too_short":
        return "must not be empty"
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        word = "greater than" if kind == "greater_than" else "at least"
        return f"must be {word} {_number(bound)}, not {given!r}"
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind in _TYPE_REASONS:
        shown = "" if isinstance(given, dict | list) else f", not {given!r}"
        return f"{_TYPE_REASONS[kind]}{shown}"
    return detail["msg"]


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


# --- checks across fields and files -------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """What the checks of one file may refer to in the rest of the curriculum."""

    stage_keys: tuple[str, ...] | None  # None when stages.yaml is broken: skip stage checks
    # The stages the rubrics certify; None when there are no rubrics (yet) or they are broken.
    rubric_stages: frozenset[str] | None = None


def _unknown_stage(key: str, context: _Context) -> str | None:
    if context.stage_keys is None or key in context.stage_keys:
        return None
    close = difflib.get_close_matches(key, context.stage_keys, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(context.stage_keys)}"
    return f"unknown stage '{key}' ({hint})"


def _check_stages(stages: Sequence[Stage]) -> list[Finding]:
    findings: list[Finding] = []
    first: dict[str, int] = {}
    for index, stage in enumerate(stages):
        if stage.key in first:
            where = format_path(("stages", first[stage.key]))
            findings.append(
                (("stages", index, "key"), f"duplicate stage key '{stage.key}' (also {where})")
            )
        first.setdefault(stage.key, index)
    return findings


def _check_plan(plan: PlanTemplate, context: _Context) -> list[Finding]:
    """Rules the schema cannot express: the 30/60/90 phases, due days, stages, unique keys."""
    found: list[Finding] = []
    if len(plan.phases) != len(PHASE_DAYS):
        found.append((("phases",), f"{_THREE_PHASES}, not {len(plan.phases)}"))
    first_loc: dict[str, Loc] = {}
    for p, phase in enumerate(plan.phases):
        number, days = p + 1, f"days {phase.start_day}-{phase.end_day}"
        if p < len(PHASE_DAYS) and (phase.start_day, phase.end_day) != PHASE_DAYS[p]:
            must = "days {}-{}".format(*PHASE_DAYS[p])
            found.append((("phases", p), f"phase {number} covers {days}; it must cover {must}"))
        if not phase.milestones:
            found.append((("phases", p, "milestones"), f"phase {number} has no milestones"))
        for m, milestone in enumerate(phase.milestones):
            loc: Loc = ("phases", p, "milestones", m)
            key, due = milestone.key, milestone.due_day
            if key in first_loc:
                also = format_path(first_loc[key])
                found.append(((*loc, "key"), f"duplicate milestone key '{key}' (also {also})"))
            first_loc.setdefault(key, loc)
            if not phase.start_day <= due <= phase.end_day:
                reason = f"due day {due} is outside phase {number} ({days})"
                found.append(((*loc, "due_day"), reason))
            stage_refs: list[tuple[Loc, str | None]] = [((*loc, "stage"), milestone.stage)]
            if isinstance(milestone.measure, CertificationMeasure):
                stage_refs.append(((*loc, "measure", "stage"), milestone.measure.stage))
            for ref_loc, stage in stage_refs:
                unknown = stage and _unknown_stage(stage, context)
                if unknown:
                    found.append((ref_loc, unknown))
            if isinstance(milestone.measure, CertificationMeasure):
                found += _rubric_missing(
                    milestone.measure.stage, (*loc, "measure", "stage"), context
                )
    return found


def _rubric_missing(stage: str, loc: Loc, context: _Context) -> list[Finding]:
    """A certification milestone is passed on its stage's rubric, so one must exist."""
    if context.rubric_stages is None or stage in context.rubric_stages:
        return []
    if _unknown_stage(stage, context):
        return []  # reported as an unknown stage already
    return [(loc, f"no rubric certifies the '{stage}' stage: add one to rubrics/")]


# Weights are percentages of the weighted average: a reader sees at once that questioning is
# "25% of the score". Allow for rounding in thirds (33.3 + 33.3 + 33.4).
WEIGHT_TOTAL = 100
WEIGHT_TOLERANCE = 0.01


def _check_rubric(rubric: Rubric, context: _Context) -> list[Finding]:
    """Rules across a rubric's fields: the scale, a descriptor per level, weights, the pass rule."""
    found: list[Finding] = []
    unknown = _unknown_stage(rubric.stage, context)
    if unknown:
        found.append((("stage",), unknown))
    levels = [s.level for s in rubric.scale]
    expected = list(range(1, len(levels) + 1))
    if levels != expected:
        reason = f"the scale's levels must be {_list(expected)} in order, not {_list(levels)}"
        found.append((("scale",), reason))
    names = {s.level: s.name for s in rubric.scale}
    low, high = (min(levels), max(levels)) if levels else (1, 1)
    span = f"{low}-{high}"

    seen: dict[str, int] = {}
    for c, criterion in enumerate(rubric.criteria):
        loc: Loc = ("criteria", c)
        if criterion.key in seen:
            also = format_path(("criteria", seen[criterion.key]))
            reason = f"duplicate criterion key '{criterion.key}' (also {also})"
            found.append(((*loc, "key"), reason))
        seen.setdefault(criterion.key, c)
        if criterion.weight <= 0:
            found.append(((*loc, "weight"), f"must be greater than 0, not {criterion.weight!r}"))
        for level in levels:
            if level not in criterion.levels:
                reason = f"missing descriptor for level {level} ({names[level]})"
                found.append(((*loc, "levels"), reason))
        for level in criterion.levels:
            if level not in names:
                reason = f"level {level} is not on the scale ({span})"
                found.append(((*loc, "levels", level), reason))
    total = sum(c.weight for c in rubric.criteria)
    if all(c.weight > 0 for c in rubric.criteria) and abs(total - WEIGHT_TOTAL) > WEIGHT_TOLERANCE:
        reason = (
            f"the weights add up to {total:g}; they are percentages of the score "
            f"and must add up to {WEIGHT_TOTAL}"
        )
        found.append((("criteria",), reason))

    rule = rubric.pass_rule
    if not low <= rule.min_average <= high:
        reason = f"{rule.min_average:g} is outside the scale ({span})"
        found.append((("pass_rule", "min_average"), reason))
    levels_named: tuple[tuple[str, int | None], ...] = (
        ("min_level", rule.min_level),
        ("must_pass_level", rule.must_pass_level),
    )
    for name, value in levels_named:
        if value is not None and value not in names:
            found.append((("pass_rule", name), f"{value} is not a level of the scale ({span})"))
    if rule.must_pass and rule.must_pass_level is None:
        reason = "must-pass criteria need a must_pass_level: the level they must reach"
        found.append((("pass_rule",), reason))
    keys = [criterion.key for criterion in rubric.criteria]
    for m, key in enumerate(rule.must_pass):
        if key not in keys:
            close = difflib.get_close_matches(key, keys, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"criteria: {', '.join(keys)}"
            found.append((("pass_rule", "must_pass", m), f"unknown criterion '{key}' ({hint})"))
    return found


def _list(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _rubric_audience(rubric: Rubric) -> tuple[str, str]:
    """One rubric per stage and role: a rep's certification must name exactly one rubric."""
    return rubric.stage, (rubric.role or "").casefold()


def _check_scenario(scenario: Scenario, context: _Context) -> list[Finding]:
    """A scenario belongs to a known stage and lists each objection and answer point once."""
    found: list[Finding] = []
    unknown = _unknown_stage(scenario.stage, context)
    if unknown:
        found.append((("stage",), unknown))
    for name in ("objections", "strong_answer"):
        seen: dict[str, int] = {}
        for index, text in enumerate(getattr(scenario, name)):
            if text.casefold() in seen:
                reason = f"given twice (also {format_path((name, seen[text.casefold()]))})"
                found.append(((name, index), reason))
            seen.setdefault(text.casefold(), index)
    return found


# --- the directory ------------------------------------------------------------------------


class _StagesFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    stages: tuple[Stage, ...]


@dataclass(frozen=True)
class _Collection:
    """A directory of files, one item per file (rubrics/, plans/, scenarios/)."""

    directory: str
    model: type[BaseModel]
    check: Callable[[Any, _Context], list[Finding]]
    fills: str  # the Curriculum field the items go into
    label: str  # how to name the item's id in messages
    # Items must differ in this (besides their id), with a reason naming what is shared.
    unique: Callable[[Any], Any] | None = None
    unique_reason: str = ""


def _check_agreement(template: AgreementTemplate, _context: _Context) -> list[Finding]:
    from app.agreements.document import check_template

    return check_template(template)


_COLLECTIONS: tuple[_Collection, ...] = (
    # Rubrics first: plans' certification milestones are checked against them.
    _Collection(
        directory="rubrics",
        model=Rubric,
        check=_check_rubric,
        fills="rubrics",
        label="rubric",
        unique=_rubric_audience,
        unique_reason="a second rubric for the same stage and role",
    ),
    _Collection(
        directory="plans", model=PlanTemplate, check=_check_plan, fills="plans", label="plan"
    ),
    _Collection(
        directory="scenarios",
        model=Scenario,
        check=_check_scenario,
        fills="scenarios",
        label="scenario",
    ),
    _Collection(
        directory="agreements",
        model=AgreementTemplate,
        check=_check_agreement,
        fills="agreements",
        label="agreement template",
    ),
)


def _validate(document: _Document, model: type[BaseModel]) -> BaseModel | None:
    """The file's data as ``model``, or None with the schema problems added to the document."""
    if document.problems and document.data is None:
        return None  # unreadable or unparseable: nothing more to say about it
    if document.data is None:
        document.problems.append(Problem(document.file, "", "the file is empty"))
        return None
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        for loc, reason in _schema_findings(exc, document.data):
            document.problems.append(document.problem(loc, reason))
        return None


def _yaml_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.iterdir()
        if path.is_file() and path.suffix in (".yaml", ".yml") and not path.name.startswith(".")
    )


def _read_curriculum(root: Path) -> tuple[Curriculum | None, list[Problem]]:
    problems: list[Problem] = []

    stages: tuple[Stage, ...] | None = None
    if not (root / STAGES_FILE).is_file():
        problems.append(
            Problem(STAGES_FILE, "", f"missing: {root} needs a {STAGES_FILE} listing the stages")
        )
    else:
        document = _read_yaml(root / STAGES_FILE, STAGES_FILE)
        parsed = _validate(document, _StagesFile)
        if isinstance(parsed, _StagesFile):
            stages = parsed.stages
            document.problems += [document.problem(*f) for f in _check_stages(stages)]
        problems += document.problems

    context = _Context(stage_keys=None if stages is None else tuple(s.key for s in stages))
    items: dict[str, list[Any]] = {}
    for collection in _COLLECTIONS:
        items[collection.fills] = []
        defined_in: dict[str, str] = {}
        audience_of: dict[Any, str] = {}
        for path in _yaml_files(root / collection.directory):
            file = path.relative_to(root).as_posix()
            document = _read_yaml(path, file)
            item: Any = _validate(document, collection.model)
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

    if problems or stages is None:
        return None, problems
    return Curriculum(stages=stages, **{name: tuple(found) for name, found in items.items()}), []
