"""``outcomes.yaml``: validated on load with file, path and reason; versioned like the rest of
the curriculum, and a score names the version of the weights it used."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import yaml

from app.accounts.models import User
from app.curriculum.loader import load_curriculum, validate_curriculum
from app.curriculum.service import store_curriculum
from app.extensions import db
from app.outcomes import service
from app.transaction import forget

SHIPPED = Path(__file__).resolve().parents[2] / "curriculum"


def _copy(tmp_path: Path, change: Callable[[dict], None]) -> Path:
    directory = tmp_path / "curriculum"
    shutil.copytree(SHIPPED, directory)
    data = yaml.safe_load((directory / "outcomes.yaml").read_text())
    change(data)
    (directory / "outcomes.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return directory


def _reasons(directory: Path) -> list[str]:
    return [str(problem) for problem in validate_curriculum(directory)]


def test_the_shipped_definition_loads() -> None:
    outcomes = load_curriculum(SHIPPED).outcomes
    assert outcomes is not None
    assert outcomes.targets_for("sdr") is not None and outcomes.targets_for("AE") is not None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["readiness"].update(activity=30),
            "outcomes.yaml:",
        ),
        (
            lambda d: d["targets"].append(dict(d["targets"][0])),
            "targets[2].role: duplicate role 'SDR' (targets[0])",
        ),
        (lambda d: d["targets"][0].update(metric="handshakes"), "targets[0].metric"),
        (lambda d: d["ramped"].update(share=120), "ramped.share"),
        (lambda d: d["targets"][1].update(monthly=[]), "targets[1].monthly"),
    ],
    ids=["weights-not-100", "duplicate-role", "unknown-metric", "share-over-100", "no-targets"],
)
def test_mistakes_are_named_by_file_and_path(tmp_path: Path, change, expected: str) -> None:
    reasons = _reasons(_copy(tmp_path, change))
    assert any(expected in reason for reason in reasons), reasons
    assert all(reason.startswith("outcomes.yaml") for reason in reasons)


def test_weights_that_do_not_make_100_say_so(tmp_path: Path) -> None:
    (reason,) = _reasons(_copy(tmp_path, lambda d: d["readiness"].update(activity=30)))
    assert "readiness: the weights must add up to 100 points, not 110" in reason


def test_new_weights_are_a_new_version_and_scores_say_which_they_used(
    make_rep: Callable[..., User], tmp_path: Path
) -> None:
    rep = make_rep(day_of_ramp=10)
    before = service.rep_numbers(rep, rep, date.today()).outcome.score
    assert before is not None and before.version == 1
    changed = _copy(tmp_path, lambda d: d["readiness"].update(certifications=20, activity=30))
    report = store_curriculum(load_curriculum(changed))
    db.session.commit()
    forget("outcomes.definition")
    assert report.outcomes_new_versions == ["ramp-outcomes"]
    after = service.rep_numbers(rep, rep, date.today()).outcome.score
    assert after is not None and after.version == 2
    assert [t.part.weight for t in after.terms] == [30, 20, 20, 30]
    assert store_curriculum(load_curriculum(changed)).outcomes_unchanged == ["ramp-outcomes"]
