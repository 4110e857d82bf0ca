"""The current quests and points values as stored, each with the version it was loaded as."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.curriculum.models import PointsTemplate, QuestTemplate
from app.curriculum.schema_numbers import PointsRules, Quest
from app.curriculum.service import current_versions
from app.quests.windows import Window, window_on
from app.transaction import remembered


@dataclass(frozen=True)
class QuestAt:
    """A quest in the window that runs on the day asked about."""

    spec: Quest
    version: int
    window: Window

    @property
    def key(self) -> str:
        return self.spec.id

    @property
    def target(self) -> float:
        """What a rep must reach: one certification, or the goal's count."""
        return float(self.spec.goal.target or 1)

    def is_for(self, role: str | None) -> bool:
        """Whether a rep on a plan of ``role`` takes part (no role named: everyone)."""
        wanted = self.spec.role
        return wanted is None or (role or "").strip().upper() == wanted.strip().upper()


def quests_on(today: date) -> list[QuestAt]:
    """Every current quest in its window of ``today``; fixed-date quests only while they run."""
    found = []
    for spec, version in remembered("quests.current", _read_quests):
        window = window_on(spec.window, today)
        if window.holds(today):
            found.append(QuestAt(spec, version, window))
    return found


def _read_quests() -> list[tuple[Quest, int]]:
    order = (QuestTemplate.scope.desc(), QuestTemplate.title)
    rows = current_versions(QuestTemplate, order_by=order)
    return [(Quest.model_validate(row.content), row.version) for row in rows]


def points_rules() -> PointsRules | None:
    """The current ``points.yaml``; None before one is loaded (nobody earns points then)."""
    return remembered("quests.points", _read_points)


def _read_points() -> PointsRules | None:
    rows = current_versions(PointsTemplate, order_by=(PointsTemplate.id.desc(),))
    return PointsRules.model_validate(rows[0].content) if rows else None
