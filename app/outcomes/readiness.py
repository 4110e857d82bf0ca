"""The readiness score: a documented formula that shows its working. Pure, no database.

Each part (milestones done on time, certifications passed, commitments kept, activity against
target) has a share of done between 0 and 1 and a weight from ``outcomes.yaml``; its points are
share x weight, rounded to one decimal, and the score is the sum of the points as shown, so
the terms on the page always add up to the score. A part with nothing to count yet scores its
full weight (the rep has kept up with all that was asked so far). Nothing here depends on any
other rep.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """What one part counts: ``done`` of ``out_of`` (``out_of`` 0: nothing to count yet)."""

    key: str
    label: str
    done: float
    out_of: int
    weight: int  # points out of 100
    wording: str  # "{done} of {out_of} passed"


@dataclass(frozen=True)
class Term:
    part: Part
    tenths: int  # points x 10, so the sum is exact

    @property
    def points(self) -> float:
        return self.tenths / 10

    @property
    def share(self) -> float:
        return share_of(self.part)

    @property
    def explanation(self) -> str:
        """Like "Certifications: 3 of 5 passed x 30% = 18 points" (with a times sign)."""
        part = self.part
        if part.out_of == 0:
            counted = "nothing to count yet, full marks"
        else:
            counted = part.wording.format(done=_number(part.done), out_of=part.out_of)
        return f"{part.label}: {counted} \u00d7 {part.weight}% = {_number(self.points)} points"


@dataclass(frozen=True)
class Score:
    terms: tuple[Term, ...]
    version: int  # of the outcomes definition whose weights were used

    @property
    def tenths(self) -> int:
        return sum(term.tenths for term in self.terms)

    @property
    def points(self) -> float:
        return self.tenths / 10


def share_of(part: Part) -> float:
    """Done over out of, between 0 and 1; 1 when there is nothing to count."""
    if part.out_of == 0:
        return 1.0
    return min(1.0, max(0.0, part.done / part.out_of))


def term_of(part: Part) -> Term:
    """A part's points in tenths, rounded half up."""
    tenths = math.floor(share_of(part) * part.weight * 10 + 0.5)
    return Term(part, tenths)


def readiness(parts: tuple[Part, ...], version: int) -> Score:
    """The score and its terms, one per part."""
    return Score(tuple(term_of(part) for part in parts), version)


def _number(value: float) -> str:
    """12 not 12.0; 12.5 stays."""
    return f"{value:g}" if value != int(value) else str(int(value))
