"""Pass rules and their explanation in words: pure functions, no database.

The rule, as rubrics state it (``pass_rule`` in ``curriculum/rubrics/*.yaml``):

* the **weighted average** of the criterion scores (weights are percentages) is at least
  ``min_average``;
* **every criterion** scores at least ``min_level``;
* every **must-pass criterion** scores at least ``must_pass_level``.

All three must hold. The explanation names every criterion that falls short and no other, so a
rep reads exactly what to work on: "Not passed: Objection handling scored 1, at least 2 needed
on every criterion."

With several assessors a rubric's ``final_rule`` decides: ``all-must-pass`` (each assessor's
scores must pass on their own) or ``average`` (the rule is applied to the mean score per
criterion).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.curriculum.schema import Rubric

# Averages are compared after rounding away float noise (2.75 must pass "at least 2.75").
_EPSILON = 1e-9


@dataclass(frozen=True)
class CriterionRule:
    """What scoring needs to know about one criterion."""

    key: str
    name: str
    weight: float


@dataclass(frozen=True)
class PassRule:
    min_average: float
    min_level: int
    must_pass: frozenset[str] = frozenset()
    must_pass_level: int | None = None


@dataclass(frozen=True)
class Shortfall:
    """A criterion that kept the attempt from passing, and the level it needed."""

    key: str
    name: str
    score: float
    needed: int
    must_pass: bool

    @property
    def sentence(self) -> str:
        where = "as a must-pass criterion" if self.must_pass else "on every criterion"
        score = format_score(self.score)
        return f"{self.name} scored {score}, at least {self.needed} needed {where}."


@dataclass(frozen=True)
class Outcome:
    """The result of applying a pass rule to scores, with its explanation."""

    passed: bool
    weighted_average: float
    shortfalls: tuple[Shortfall, ...]
    average_met: bool
    explanation: str

    @property
    def failing_keys(self) -> frozenset[str]:
        return frozenset(s.key for s in self.shortfalls)


def format_score(value: float) -> str:
    """3 -> "3", 2.5 -> "2.5", 2.6667 -> "2.67"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def rules_of(rubric: Rubric) -> tuple[tuple[CriterionRule, ...], PassRule]:
    """The criteria and pass rule of a validated rubric, in scoring's terms."""
    criteria = tuple(CriterionRule(c.key, c.name, c.weight) for c in rubric.criteria)
    rule = rubric.pass_rule
    return criteria, PassRule(
        min_average=rule.min_average,
        min_level=rule.min_level,
        must_pass=frozenset(rule.must_pass),
        must_pass_level=rule.must_pass_level,
    )


def weighted_average(criteria: Sequence[CriterionRule], scores: Mapping[str, float]) -> float:
    total = sum(c.weight for c in criteria)
    if total <= 0:
        raise ValueError("criteria need positive weights")
    return sum(c.weight * scores[c.key] for c in criteria) / total


def evaluate(
    criteria: Sequence[CriterionRule], rule: PassRule, scores: Mapping[str, float]
) -> Outcome:
    """Apply the pass rule to one set of scores (one per criterion; KeyError if one is missing)."""
    missing = [c.key for c in criteria if c.key not in scores]
    if missing:
        raise KeyError(f"no score for {', '.join(missing)}")
    shortfalls: list[Shortfall] = []
    for criterion in criteria:
        score = scores[criterion.key]
        needed, must = rule.min_level, False
        must_level = rule.must_pass_level if criterion.key in rule.must_pass else None
        if must_level is not None and must_level > needed:
            needed, must = must_level, True
        if score < needed - _EPSILON:
            shortfalls.append(Shortfall(criterion.key, criterion.name, score, needed, must))
    average = weighted_average(criteria, scores)
    average_met = average >= rule.min_average - _EPSILON
    passed = average_met and not shortfalls
    return Outcome(
        passed=passed,
        weighted_average=average,
        shortfalls=tuple(shortfalls),
        average_met=average_met,
        explanation=_explain(rule, average, average_met, shortfalls),
    )


def _explain(
    rule: PassRule, average: float, average_met: bool, shortfalls: Sequence[Shortfall]
) -> str:
    if average_met and not shortfalls:
        parts = [
            f"weighted average {format_score(average)} "
            f"(at least {format_score(rule.min_average)} needed)",
            f"every criterion at {rule.min_level} or more",
        ]
        if rule.must_pass and rule.must_pass_level is not None:
            parts.append(f"must-pass criteria at {rule.must_pass_level} or more")
        return "Passed: " + ", ".join(parts) + "."
    sentences = [shortfall.sentence for shortfall in shortfalls]
    if not average_met:
        sentences.append(
            f"Weighted average {format_score(average)}, "
            f"at least {format_score(rule.min_average)} needed."
        )
    return "Not passed: " + " ".join(sentences)


def mean_scores(
    criteria: Sequence[CriterionRule], score_sets: Sequence[Mapping[str, float]]
) -> dict[str, float]:
    """The mean score per criterion over several assessors."""
    if not score_sets:
        raise ValueError("no scores to combine")
    return {c.key: sum(s[c.key] for s in score_sets) / len(score_sets) for c in criteria}


def combine(
    criteria: Sequence[CriterionRule],
    rule: PassRule,
    final_rule: str,
    by_assessor: Sequence[tuple[str, Mapping[str, float]]],
) -> Outcome:
    """The final result over every assessor's scores (name, scores), by the rubric's final rule."""
    if not by_assessor:
        raise ValueError("no assessments to combine")
    if len(by_assessor) == 1:
        return evaluate(criteria, rule, by_assessor[0][1])
    if final_rule == "average":
        outcome = evaluate(criteria, rule, mean_scores(criteria, [s for _, s in by_assessor]))
        note = f" (On the average of {len(by_assessor)} assessors' scores.)"
        return _with_explanation(outcome, outcome.explanation + note)
    if final_rule != "all-must-pass":
        raise ValueError(f"unknown final rule {final_rule!r}")
    outcomes = [(name, evaluate(criteria, rule, scores)) for name, scores in by_assessor]
    average = sum(o.weighted_average for _, o in outcomes) / len(outcomes)
    failed = [(name, o) for name, o in outcomes if not o.passed]
    shortfalls = tuple(s for _, o in failed for s in o.shortfalls)
    if not failed:
        averages = " and ".join(format_score(o.weighted_average) for _, o in outcomes)
        explanation = f"Passed: every assessor passed it (weighted averages {averages})."
    else:
        reasons = [f"{name}: {o.explanation.removeprefix('Not passed: ')}" for name, o in failed]
        explanation = "Not passed: all assessors must pass it. " + " ".join(reasons)
    return Outcome(
        passed=not failed,
        weighted_average=average,
        shortfalls=shortfalls,
        average_met=all(o.average_met for _, o in outcomes),
        explanation=explanation,
    )


def _with_explanation(outcome: Outcome, explanation: str) -> Outcome:
    return Outcome(
        outcome.passed,
        outcome.weighted_average,
        outcome.shortfalls,
        outcome.average_met,
        explanation,
    )


def calibration_gaps(
    self_scores: Mapping[str, float], assessor_scores: Mapping[str, float]
) -> dict[str, float]:
    """Assessor minus self per criterion: negative when the rep rated themselves higher."""
    return {
        key: assessor_scores[key] - score
        for key, score in self_scores.items()
        if key in assessor_scores
    }
