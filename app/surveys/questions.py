"""The pulse survey's questions, read from ``surveys/pulse.yaml`` in the curriculum directory.

Validated on load like the rest of the curriculum: every problem names the file, the path in it
and a reason. Read once per app (the file is part of a deploy, like the other curriculum files).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from flask import current_app
from pydantic import BaseModel, ConfigDict, Field

from app.curriculum.checks.documents import Finding, Problem, read_yaml
from app.curriculum.checks.schema_errors import validate

PULSE_FILE = "surveys/pulse.yaml"
_CACHE = "salesramp.pulse_survey"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScalePoint(_Frozen):
    value: int = Field(ge=1, le=10)
    label: str = Field(min_length=1, max_length=60)


class Question(_Frozen):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,47}$")
    about: Literal["programme", "coaching"]
    text: str = Field(min_length=1, max_length=200)


class PulseSurvey(_Frozen):
    """The questions asked at each checkpoint (a day of the plan) and the rating scale."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{0,47}$")
    title: str = Field(min_length=1, max_length=120)
    checkpoints: tuple[int, ...] = Field(min_length=1)
    scale: tuple[ScalePoint, ...] = Field(min_length=2)
    questions: tuple[Question, ...] = Field(min_length=1)

    @property
    def version(self) -> str:
        """A hash of the content: responses keep the version of the questions they answered."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(point.value for point in self.scale)


class SurveyFileError(Exception):
    """The pulse survey file has problems; ``problems`` lists each with file, path and reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def check_pulse(survey: PulseSurvey) -> list[Finding]:
    """Beyond the schema: checkpoints rising and positive, keys and scale values unique."""
    found: list[Finding] = []
    days = survey.checkpoints
    for index, day in enumerate(days):
        if day < 1 or (index and day <= days[index - 1]):
            reason = f"checkpoints must be days of the plan in rising order, not {day}"
            found.append((("checkpoints", index), reason))
    seen: set[str] = set()
    for index, question in enumerate(survey.questions):
        if question.key in seen:
            found.append((("questions", index, "key"), f"duplicate question key '{question.key}'"))
        seen.add(question.key)
    values = survey.values
    if list(values) != sorted(set(values)):
        found.append((("scale",), "scale values must be unique and in rising order"))
    return found


def read_pulse_survey(curriculum_dir: Path) -> PulseSurvey:
    """The validated survey; raises :class:`SurveyFileError` listing every problem."""
    document = read_yaml(Path(curriculum_dir) / PULSE_FILE, PULSE_FILE)
    survey = validate(document, PulseSurvey)
    if isinstance(survey, PulseSurvey):
        document.problems += [document.problem(*f) for f in check_pulse(survey)]
    if document.problems or not isinstance(survey, PulseSurvey):
        raise SurveyFileError(document.problems)
    return survey


def pulse_survey() -> PulseSurvey:
    """The app's pulse survey, read from its curriculum directory once."""
    cached = current_app.extensions.get(_CACHE)
    if cached is None:
        cached = current_app.extensions[_CACHE] = read_pulse_survey(
            current_app.config["CURRICULUM_DIR"]
        )
    survey: PulseSurvey = cached
    return survey
