"""Complementary suppression: no two shown results differ by a few people's answers, and no
breakdown's shown values leave a small group when taken from the whole (property tests)."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.surveys.service.disclosure import Cell, Group, groups_of, members, shown_groups

MIN = 5

cells_strategy = st.dictionaries(
    st.tuples(st.sampled_from("ABC"), st.sampled_from("xy"), st.sampled_from((30, 60, 90))),
    st.integers(min_value=1, max_value=9),
    max_size=10,
)


def answers_in(group: Group, cells: dict[Cell, int]) -> Counter[Cell]:
    """The group's answers, as a multiset of (cell, person number)."""
    return Counter(
        {
            (cell, n): 1
            for cell, count in cells.items()
            for n in range(count)
            if members(group, cell)
        }
    )


@settings(max_examples=200, deadline=None)
@given(cells_strategy)
def test_no_two_shown_results_differ_by_a_few_answers(cells) -> None:
    shown = shown_groups(cells, MIN)
    for first, second in combinations(shown, 2):
        a, b = answers_in(first, cells), answers_in(second, cells)
        assert sum(a.values()) >= MIN and sum(b.values()) >= MIN
        for small, large in ((a, b), (b, a)):
            if not small - large:  # one holds the other: their difference is a group
                assert sum((large - small).values()) in {0} | set(range(MIN, 10_000))


@settings(max_examples=200, deadline=None)
@given(cells_strategy)
def test_a_group_less_its_shown_values_is_never_a_few_answers(cells) -> None:
    shown = shown_groups(cells, MIN)
    every = {group for cell in cells for group in groups_of(cell)}
    for parent in every & shown:
        for dimension, value in enumerate(parent):
            if value is not None:
                continue
            values = {cell[dimension] for cell in cells if members(parent, cell)}
            left = sum(answers_in(parent, cells).values())
            for v in values:
                child = (*parent[:dimension], v, *parent[dimension + 1 :])
                if child in shown:
                    left -= sum(answers_in(child, cells).values())
            assert left == 0 or left >= MIN


def test_everyone_six_and_a_team_five_hides_the_team() -> None:
    cells = {("A", "x", 30): 5, ("B", "x", 30): 1}
    shown = shown_groups(cells, MIN)
    assert (None, None, None) in shown
    assert ("A", None, None) not in shown


def test_two_teams_of_five_are_both_shown() -> None:
    cells = {("A", "x", 30): 5, ("B", "x", 30): 5}
    shown = shown_groups(cells, MIN)
    assert {("A", None, None), ("B", None, None), (None, None, None)} <= shown


def test_one_small_value_hides_the_next_smallest_too() -> None:
    cells = {("A", "x", 30): 9, ("B", "x", 30): 6, ("C", "x", 30): 2}
    shown = shown_groups(cells, MIN)
    assert ("C", None, None) not in shown and ("B", None, None) not in shown
    assert ("A", None, None) in shown and (None, None, None) in shown
