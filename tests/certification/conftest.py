"""Certification fixtures: rubrics by stage, valid form data, assessing through the service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from app.accounts.models import User
from app.certification import service
from app.certification.models import Assessment
from app.curriculum.schema import Curriculum, Rubric
from app.extensions import db


def today() -> date:
    return datetime.now(UTC).date()


def levels_for(rubric: Rubric, level: int = 3, **overrides: int) -> dict[str, int | None]:
    """Every criterion at ``level``, except those given by key (underscores for hyphens)."""
    scores: dict[str, int | None] = {c.key: level for c in rubric.criteria}
    for key, value in overrides.items():
        scores[key.replace("_", "-")] = value
    return scores


def _form_data(rubric: Rubric, level: int = 3, **extra: object) -> dict[str, object]:
    """A complete, valid assessment form for ``rubric``; ``extra`` overrides fields."""
    data: dict[str, object] = {f"score-{c.key}": str(level) for c in rubric.criteria}
    data.update({f"comment-{c.key}": f"Comment on {c.name}" for c in rubric.criteria})
    data.update(
        feedback="Strong call; keep tightening the next step.",
        evidence_kind=rubric.evidence.kinds[0],
        evidence_url="",
        assessed_on=today().isoformat(),
        second_assessor="",
    )
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def form_data() -> Callable[..., dict[str, object]]:
    """``form_data(rubric, level=3, **fields)``: a complete, valid assessment form."""
    return _form_data


@pytest.fixture
def rubric(curriculum: Curriculum) -> Callable[[str], Rubric]:
    def get(stage: str) -> Rubric:
        return next(r for r in curriculum.rubrics if r.stage == stage)

    return get


@pytest.fixture
def assess(rubric: Callable[[str], Rubric]) -> Callable[..., Assessment]:
    """Record an assessment through the service and commit, like the view does."""

    def record(
        actor: User,
        rep: User,
        stage: str = "prospecting",
        level: int = 3,
        on: date | None = None,
        second: User | None = None,
        **overrides: int,
    ) -> Assessment:
        spec = rubric(stage)
        entry = service.AssessmentEntry(
            scores=levels_for(spec, level, **overrides),
            comments={c.key: f"On {c.name}" for c in spec.criteria},
            feedback="Feedback",
            evidence_kind=spec.evidence.kinds[0],
            evidence_url="https://example.com/call"
            if spec.evidence.kinds[0] == "recorded-call"
            else "",
            assessed_on=on or today(),
        )
        assessment = service.submit_assessment(
            actor, rep, stage, entry, max(today(), on or today()), second_assessor=second
        )
        db.session.commit()
        return assessment

    return record
