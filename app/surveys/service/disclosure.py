"""Which groups of survey answers may be shown, so that no small group can be worked out.

A minimum group size alone is not enough: if "everyone" has 6 answers and one team 5, the
sixth person's answers are "everyone" less that team. This module decides, for every group HR
can ask for (any combination of filters, one value or "any" per dimension), whether it is shown,
by complementary suppression:

1. a group is shown only if it has at least ``minimum`` answers;
2. **pairs**: if one group's answers are a strict part of another's and the two differ by
   fewer than ``minimum`` answers, the smaller group is hidden (the larger one stays), so no
   two shown results differ by 1 to ``minimum - 1`` answers;
3. **breakdowns**: for every group and every dimension it does not filter on, the values of
   that dimension split it; if the values hidden together hold 1 to ``minimum - 1`` answers,
   the smallest shown value is hidden too, and again until the hidden ones reach ``minimum``
   (or every value is hidden). So "the group less its shown values" is never a small group.

Steps 2 and 3 only ever hide more, and are repeated until nothing changes. Groups are compared
by the answers they hold (bit sets of cells), so "team X" and "role SDR" are compared too when
every answer of team X is an SDR's. Pure: no database, so it is property-tested.

What it does not do: protect against combining three or more results across dimensions in
general (a full audit of linear combinations), or against comparing results before and after a
new answer arrives (answers carry no time, on purpose).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from itertools import product

Cell = tuple[Hashable, ...]  # one value per dimension: the answers' team, role, ...
Group = tuple[Hashable | None, ...]  # one value or None ("any") per dimension


def groups_of(cell: Cell) -> Iterable[Group]:
    """Every group ``cell`` belongs to: each dimension either its value or "any"."""
    return product(*[(value, None) for value in cell])


def members(group: Group, cell: Cell) -> bool:
    return all(want is None or want == value for want, value in zip(group, cell, strict=True))


def shown_groups(cells: Mapping[Cell, int], minimum: int) -> frozenset[Group]:
    """The non-empty groups that may be shown, given how many answers each cell holds."""
    masks: dict[Group, int] = {}
    size_of: dict[Group, int] = {}
    for bit, (cell, count) in enumerate((c, n) for c, n in cells.items() if n > 0):
        for group in groups_of(cell):
            masks[group] = masks.get(group, 0) | (1 << bit)
            size_of[group] = size_of.get(group, 0) + count
    sizes = {masks[group]: size for group, size in size_of.items()}
    breakdowns: dict[tuple[Group, int], set[int]] = {}
    for group, mask in masks.items():
        for dimension, value in enumerate(group):
            if value is not None:
                parent = (*group[:dimension], None, *group[dimension + 1 :])
                breakdowns.setdefault((parent, dimension), set()).add(mask)
    hidden = {mask for mask, size in sizes.items() if size < minimum}
    hidden |= _pairs_too_close(sizes, minimum)
    while more := _breakdowns_too_small(breakdowns.values(), sizes, hidden, minimum):
        hidden |= more
    return frozenset(group for group, mask in masks.items() if mask not in hidden)


def _pairs_too_close(sizes: Mapping[int, int], minimum: int) -> set[int]:
    """The smaller of each pair of nested groups that differ by 1 to ``minimum - 1`` answers."""
    ordered = sorted(sizes.items(), key=lambda item: item[1])
    hide = set()
    for position, (small, small_size) in enumerate(ordered):
        for large, large_size in ordered[position + 1 :]:
            if large_size - small_size >= minimum:
                break
            if large_size > small_size and small & large == small:
                hide.add(small)
    return hide


def _breakdowns_too_small(
    breakdowns: Iterable[set[int]], sizes: Mapping[int, int], hidden: set[int], minimum: int
) -> set[int]:
    """A shown value to hide in each breakdown whose hidden values hold 1 to minimum-1 answers."""
    more: set[int] = set()
    for children in breakdowns:
        hidden_size = sum(sizes[m] for m in children if m in hidden or m in more)
        shown = sorted((sizes[m], m) for m in children if m not in hidden and m not in more)
        if 0 < hidden_size < minimum and shown:
            more.add(shown[0][1])
    return more
