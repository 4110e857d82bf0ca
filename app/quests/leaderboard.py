"""The team leaderboard's order and what each viewer may see of it: pure, no database.

Privacy is decided here, once, so the page, its HTML and anything else built from these rows
cannot show more than the choice allows: a hidden row carries no name and no id, only its
place ("Rep 3"). A viewer always sees their own name; coaches see the names of the reps they
coach, HR and admins every name.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from dataclasses import dataclass


class Privacy(enum.StrEnum):
    NAMES = "names"  # everyone on the team sees every name
    HIDDEN = "hidden"  # a rep sees their own name; the others are "Rep 3" and so on
    NEIGHBOURS = "neighbours"  # a rep sees only their place and the places just above and below

    @property
    def label(self) -> str:
        return {
            "names": "Names shown to the whole team",
            "hidden": "Names hidden from peers (each rep sees only their own)",
            "neighbours": "Only neighbours shown (each rep sees their place and the ones "
            "just above and below, without names)",
        }[self.value]


@dataclass(frozen=True)
class Entry:
    """A rep on the board, as the service counted them."""

    rep_id: int
    name: str
    points: int


@dataclass(frozen=True)
class Row:
    """One line as a viewer sees it: ``label`` is a name only when they may see it."""

    rank: int  # equal points share a rank (1, 2, 2, 4)
    place: int  # the row's place on the whole board (1, 2, 3, 4): hidden rows are "Rep <place>"
    label: str
    points: int
    named: bool
    is_viewer: bool


def ranked(entries: Sequence[Entry]) -> list[tuple[int, Entry]]:
    """Most points first, each with its rank; ties keep a fixed order (by id, not by name,
    so that the order of hidden rows says nothing about who they are)."""
    ordered = sorted(entries, key=lambda entry: (-entry.points, entry.rep_id))
    result: list[tuple[int, Entry]] = []
    for position, entry in enumerate(ordered, start=1):
        tied = result and result[-1][1].points == entry.points
        result.append((result[-1][0] if tied else position, entry))
    return result


def visible_rows(
    entries: Sequence[Entry],
    viewer_id: int,
    privacy: Privacy,
    names_known: Collection[int] | None,
) -> list[Row]:
    """The rows ``viewer_id`` sees. ``names_known``: whose names they may see anyway (a coach's
    own reps; None for HR and admins: everyone). Anyone who may see a name besides their own
    (a manager) sees every row; a rep under ``NEIGHBOURS`` sees three at most."""
    board = list(enumerate(ranked(entries), start=1))
    manager = names_known is None or bool(names_known)
    if privacy is Privacy.NEIGHBOURS and not manager:
        mine = next(
            (i for i, (_, (_, entry)) in enumerate(board) if entry.rep_id == viewer_id), None
        )
        board = [] if mine is None else board[max(0, mine - 1) : mine + 2]
    rows = []
    for place, (rank, entry) in board:
        named = (
            entry.rep_id == viewer_id
            or privacy is Privacy.NAMES
            or names_known is None
            or entry.rep_id in names_known
        )
        rows.append(
            Row(
                rank=rank,
                place=place,
                label=entry.name if named else f"Rep {place}",
                points=entry.points,
                named=named,
                is_viewer=entry.rep_id == viewer_id,
            )
        )
    return rows
