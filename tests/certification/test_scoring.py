"""The pass rule and its explanation: edge cases, then properties over any scores."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.certification.scoring import (
    CriterionRule,
    PassRule,
    calibration_gaps,
    combine,
    evaluate,
    format_score,
    rules_of,
    weighted_average,
)
from tests.conftest import shipped_curriculum

QUESTIONING = CriterionRule("questioning", "Questioning", 30)
OBJECTIONS = CriterionRule("objections", "Objection handling", 30)
NEXT_STEPS = CriterionRule("next-steps", "Next steps", 40)
CRITERIA = (QUESTIONING, OBJECTIONS, NEXT_STEPS)
RULE = PassRule(
    min_average=2.75, min_level=2, must_pass=frozenset({"next-steps"}), must_pass_level=3
)


def scores(q: float, o: float, n: float) -> dict[str, float]:
    return {"questioning": q, "objections": o, "next-steps": n}


def test_the_issue_example() -> None:
    outcome = evaluate(CRITERIA, RULE, scores(4, 1, 4))
    assert not outcome.passed
    assert outcome.explanation == (
        "Not passed: Objection handling scored 1, at least 2 needed on every criterion."
    )
    assert outcome.failing_keys == {"objections"}


def test_a_pass_explains_all_three_rules_without_naming_criteria() -> None:
    outcome = evaluate(CRITERIA, RULE, scores(3, 3, 3))
    assert outcome.passed
    assert outcome.explanation == (
        "Passed: weighted average 3 (at least 2.75 needed), every criterion at 2 or more, "
        "must-pass criteria at 3 or more."
    )


def test_exactly_the_thresholds_pass() -> None:
    # 0.3*2 + 0.3*3 + 0.4*3.25 would not be a level; use a rule whose bound is hit exactly.
    rule = PassRule(
        min_average=2.7, min_level=2, must_pass=frozenset({"next-steps"}), must_pass_level=3
    )
    outcome = evaluate(CRITERIA, rule, scores(2, 3, 3))
    assert outcome.weighted_average == pytest.approx(2.7)
    assert outcome.passed


def test_average_just_below_fails_with_no_criterion_named() -> None:
    outcome = evaluate(CRITERIA, RULE, scores(2, 2, 3))  # 0.6 + 0.6 + 1.2 = 2.4
    assert not outcome.passed
    assert outcome.shortfalls == ()
    assert outcome.explanation == "Not passed: Weighted average 2.4, at least 2.75 needed."


def test_must_pass_criterion_below_its_level_fails_despite_a_high_average() -> None:
    outcome = evaluate(CRITERIA, RULE, scores(4, 4, 2))
    assert outcome.weighted_average == pytest.approx(3.2)
    assert outcome.explanation == (
        "Not passed: Next steps scored 2, at least 3 needed as a must-pass criterion."
    )


def test_must_pass_below_the_floor_names_the_stricter_level_once() -> None:
    outcome = evaluate(CRITERIA, RULE, scores(4, 4, 1))
    assert [s.needed for s in outcome.shortfalls] == [3]
    assert outcome.explanation.count("Next steps") == 1


def test_every_failing_rule_is_listed_in_order() -> None:
    outcome = evaluate(CRITERIA, RULE, scores(1, 1, 2))
    assert outcome.explanation == (
        "Not passed: Questioning scored 1, at least 2 needed on every criterion. "
        "Objection handling scored 1, at least 2 needed on every criterion. "
        "Next steps scored 2, at least 3 needed as a must-pass criterion. "
        "Weighted average 1.4, at least 2.75 needed."
    )


def test_must_pass_level_not_above_the_floor_adds_nothing() -> None:
    rule = PassRule(
        min_average=1, min_level=3, must_pass=frozenset({"next-steps"}), must_pass_level=2
    )
    outcome = evaluate(CRITERIA, rule, scores(3, 3, 2))
    assert outcome.explanation == (
        "Not passed: Next steps scored 2, at least 3 needed on every criterion."
    )


def test_a_missing_score_is_an_error_not_a_fail() -> None:
    with pytest.raises(KeyError, match="objections"):
        evaluate(CRITERIA, RULE, {"questioning": 3, "next-steps": 3})


def test_weights_need_not_add_to_100_for_the_arithmetic() -> None:
    assert (
        weighted_average((CriterionRule("a", "A", 1), CriterionRule("b", "B", 3)), {"a": 4, "b": 2})
        == 2.5
    )
    with pytest.raises(ValueError):
        weighted_average((CriterionRule("a", "A", 0),), {"a": 1})


@pytest.mark.parametrize(
    ("value", "text"),
    [(3, "3"), (3.0, "3"), (2.5, "2.5"), (2.75, "2.75"), (8 / 3, "2.67"), (0.1, "0.1")],
)
def test_format_score(value: float, text: str) -> None:
    assert format_score(value) == text


# --- several assessors -------------------------------------------------------------------


def test_all_must_pass_fails_when_one_assessor_fails() -> None:
    outcome = combine(
        CRITERIA, RULE, "all-must-pass", [("Maya", scores(3, 3, 3)), ("Sam", scores(3, 1, 3))]
    )
    assert not outcome.passed
    assert outcome.explanation == (
        "Not passed: all assessors must pass it. "
        "Sam: Objection handling scored 1, at least 2 needed on every criterion. "
        "Weighted average 2.4, at least 2.75 needed."
    )
    assert outcome.weighted_average == pytest.approx((3 + 2.4) / 2)


def test_all_must_pass_passes_when_everyone_passes() -> None:
    outcome = combine(
        CRITERIA, RULE, "all-must-pass", [("Maya", scores(3, 3, 3)), ("Sam", scores(4, 3, 3))]
    )
    assert outcome.passed
    assert outcome.explanation == "Passed: every assessor passed it (weighted averages 3 and 3.3)."


def test_average_rule_averages_each_criterion() -> None:
    outcome = combine(
        CRITERIA, RULE, "average", [("Maya", scores(3, 1, 3)), ("Sam", scores(3, 2, 4))]
    )
    assert not outcome.passed  # objections 1.5 < 2
    assert outcome.explanation.startswith(
        "Not passed: Objection handling scored 1.5, at least 2 needed on every criterion."
    )
    assert outcome.explanation.endswith("(On the average of 2 assessors' scores.)")
    passing = combine(
        CRITERIA, RULE, "average", [("Maya", scores(3, 2, 3)), ("Sam", scores(3, 3, 4))]
    )
    assert passing.passed


def test_one_assessor_is_just_their_outcome() -> None:
    assert combine(CRITERIA, RULE, "average", [("Maya", scores(4, 1, 4))]) == evaluate(
        CRITERIA, RULE, scores(4, 1, 4)
    )


def test_combine_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        combine(CRITERIA, RULE, "average", [])
    with pytest.raises(ValueError):
        combine(CRITERIA, RULE, "majority", [("a", scores(3, 3, 3)), ("b", scores(3, 3, 3))])


def test_calibration_gap_is_assessor_minus_self() -> None:
    assert calibration_gaps({"a": 4, "b": 2}, {"a": 3, "b": 2.5, "c": 1}) == {"a": -1, "b": 0.5}


def test_shipped_rubrics_translate_to_rules() -> None:
    rubric = shipped_curriculum().rubric("discovery")
    criteria, rule = rules_of(rubric)
    assert [c.key for c in criteria] == [c.key for c in rubric.criteria]
    assert rule.must_pass == {"pain-and-impact"}
    outcome = evaluate(criteria, rule, {c.key: 3 for c in criteria} | {"pain-and-impact": 2})
    assert outcome.explanation == (
        "Not passed: Uncovering pain and impact scored 2, "
        "at least 3 needed as a must-pass criterion."
    )


# --- properties --------------------------------------------------------------------------

# Names none of which contains another, so "names X" can be checked by substring.
NAMES = ["Questioning", "Rapport", "Objection handling", "Next steps", "Research", "Tailoring",
         "Composure", "Business case"]  # fmt: skip


@st.composite
def rubrics(draw: st.DrawFn) -> tuple[tuple[CriterionRule, ...], PassRule, int]:
    top = draw(st.integers(min_value=2, max_value=6))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=len(NAMES), unique=True))
    criteria = tuple(
        CriterionRule(f"c{i}", name, draw(st.integers(min_value=1, max_value=50)))
        for i, name in enumerate(names)
    )
    must = draw(st.sets(st.sampled_from([c.key for c in criteria])))
    rule = PassRule(
        min_average=draw(st.floats(min_value=1, max_value=top, allow_nan=False)),
        min_level=draw(st.integers(min_value=1, max_value=top)),
        must_pass=frozenset(must),
        must_pass_level=draw(st.integers(min_value=1, max_value=top)) if must else None,
    )
    return criteria, rule, top


@st.composite
def scored(draw: st.DrawFn) -> tuple[tuple[CriterionRule, ...], PassRule, dict[str, int]]:
    criteria, rule, top = draw(rubrics())
    levels = {c.key: draw(st.integers(min_value=1, max_value=top)) for c in criteria}
    return criteria, rule, levels


def _needed(criterion: CriterionRule, rule: PassRule) -> int:
    if criterion.key in rule.must_pass and rule.must_pass_level is not None:
        return max(rule.min_level, rule.must_pass_level)
    return rule.min_level


@given(scored())
def test_explanation_names_every_failing_criterion_and_no_passing_one(case) -> None:
    criteria, rule, levels = case
    outcome = evaluate(criteria, rule, levels)
    for criterion in criteria:
        failing = levels[criterion.key] < _needed(criterion, rule)
        assert (criterion.name in outcome.explanation) == failing, outcome.explanation
        assert (criterion.key in outcome.failing_keys) == failing


@given(scored())
def test_passed_exactly_when_every_rule_holds(case) -> None:
    criteria, rule, levels = case
    outcome = evaluate(criteria, rule, levels)
    holds = all(levels[c.key] >= _needed(c, rule) for c in criteria) and (
        weighted_average(criteria, levels) >= rule.min_average - 1e-9
    )
    assert outcome.passed == holds
    assert outcome.explanation.startswith("Passed: " if holds else "Not passed: ")


@given(scored())
def test_each_failing_criterion_is_explained_with_its_score_and_the_level_needed(case) -> None:
    criteria, rule, levels = case
    outcome = evaluate(criteria, rule, levels)
    for shortfall in outcome.shortfalls:
        expected = (
            f"{shortfall.name} scored {levels[shortfall.key]}, at least {shortfall.needed} needed"
        )
        assert expected in outcome.explanation


@given(scored())
def test_raising_a_score_never_turns_a_pass_into_a_fail(case) -> None:
    criteria, rule, levels = case
    if not evaluate(criteria, rule, levels).passed:
        return
    for criterion in criteria:
        better = dict(levels, **{criterion.key: levels[criterion.key] + 1})
        assert evaluate(criteria, rule, better).passed


@given(st.data())
def test_all_must_pass_names_every_failing_criterion_of_every_assessor(data) -> None:
    criteria, rule, top = data.draw(rubrics())
    assessors = [
        (name, {c.key: data.draw(st.integers(1, top)) for c in criteria})
        for name in ("Assessor A", "Assessor B")
    ]
    outcome = combine(criteria, rule, "all-must-pass", assessors)
    failing = {
        c.name for _, levels in assessors for c in criteria if levels[c.key] < _needed(c, rule)
    }
    named = {c.name for c in criteria if c.name in outcome.explanation}
    assert named == failing
    assert outcome.passed == all(evaluate(criteria, rule, s).passed for _, s in assessors)


@given(st.data())
def test_average_rule_names_exactly_the_criteria_failing_on_average(data) -> None:
    criteria, rule, top = data.draw(rubrics())
    assessors = [
        (name, {c.key: data.draw(st.integers(1, top)) for c in criteria})
        for name in ("A", "B", "C")
    ]
    outcome = combine(criteria, rule, "average", assessors)
    mean = {c.key: sum(s[c.key] for _, s in assessors) / 3 for c in criteria}
    failing = {c.name for c in criteria if mean[c.key] < _needed(c, rule) - 1e-9}
    assert {c.name for c in criteria if c.name in outcome.explanation} == failing


def test_names_in_the_pool_do_not_contain_each_other() -> None:
    assert not [(a, b) for a in NAMES for b in NAMES if a != b and re.search(re.escape(a), b)]
