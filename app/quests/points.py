"""Engagement points from what a rep did: pure, from counts and ``points.yaml``'s values.

Points measure engagement (doing what the plan asks, on time), not ability: a certification
counts once it is passed, however high the score.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.curriculum.schema_numbers import PointsRules


@dataclass(frozen=True)
class Engagement:
    """What a rep did that earns points, counted from their records."""

    milestones_on_time: int = 0
    certifications_passed: int = 0
    commitments_kept: int = 0


@dataclass(frozen=True)
class PointsLine:
    label: str
    count: int
    each: int

    @property
    def points(self) -> int:
        return self.count * self.each


@dataclass(frozen=True)
class Points:
    """A rep's points, line by line, so the page can say where they come from."""

    lines: tuple[PointsLine, ...]

    @property
    def total(self) -> int:
        return sum(line.points for line in self.lines)


def points_of(engagement: Engagement, rules: PointsRules) -> Points:
    """The points ``engagement`` earns under ``rules``."""
    return Points(
        (
            PointsLine(
                "Milestones done on time", engagement.milestones_on_time, rules.milestone_on_time
            ),
            PointsLine(
                "Certifications passed",
                engagement.certifications_passed,
                rules.certification_passed,
            ),
            PointsLine("Commitments kept", engagement.commitments_kept, rules.commitment_kept),
        )
    )
