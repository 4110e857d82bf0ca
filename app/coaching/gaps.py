"""The repeated-gap rule: the same criterion below proficient in consecutive scored sessions.

Pure functions over plain values, so the rule can be tested exhaustively. A session is a debrief
with scores or a certification assessment; both score a stage's rubric, and a criterion is
identified by its stage and key. Sessions are compared in date order per criterion: only the
sessions that scored that criterion count, and a proficient (or better) score closes the gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

REPEAT_THRESHOLD = 2  # how many below-proficient sessions in a row make a repeated gap


@dataclass(frozen=True)
class ScoredSession:
    """One debrief or assessment: its date and the level given to each criterion."""

    on: date
    stage: str
    source: str  # "debrief" or "assessment"
    levels: Mapping[str, float]
    proficient: int  # the level that counts as proficient on this rubric
    top: int  # the highest level of the scale, for "2/4"
    names: Mapping[str, str]  # criterion key -> name
    order: int = 0  # breaks ties between sessions on the same day (creation order)


@dataclass(frozen=True)
class CommitmentNote:
    """A commitment made about a criterion, for naming it next to the gap."""

    made_on: date
    stage: str
    criterion: str
    action: str
    outcome: str | None = None


@dataclass(frozen=True)
class RepeatedGap:
    stage: str
    criterion: str
    name: str
    level: float  # the latest score
    top: int
    dates: tuple[date, ...]  # every session of the run, oldest first (the last is the latest)
    commitments: tuple[CommitmentNote, ...] = ()

    @property
    def earlier_dates(self) -> tuple[date, ...]:
        return self.dates[:-1]

    @property
    def summary(self) -> str:
        """For example "Same gap as 3 and 10 March: Objection handling, 2/4"."""
        score = f"{score_text(self.level)}/{self.top}"
        return f"Same gap as {format_dates(self.earlier_dates)}: {self.name}, {score}"


def score_text(level: float) -> str:
    return str(int(level)) if float(level).is_integer() else f"{level:.1f}"


def format_dates(days: Sequence[date]) -> str:
    """3 and 10 March; 28 February, 3 and 10 March; 30 December 2025 and 6 January 2026."""
    if not days:
        return ""
    years = {d.year for d in days}
    parts: list[str] = []
    for index, day in enumerate(days):
        following = days[index + 1] if index + 1 < len(days) else None
        same_month = following is not None and (following.year, following.month) == (
            day.year,
            day.month,
        )
        text = str(day.day)
        if not same_month:
            text += f" {day:%B}"
            if len(years) > 1:
                text += f" {day.year}"
        parts.append(text)
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def repeated_gaps(
    sessions: Iterable[ScoredSession],
    commitments: Iterable[CommitmentNote] = (),
    threshold: int = REPEAT_THRESHOLD,
) -> list[RepeatedGap]:
    """Criteria whose latest ``threshold`` or more scores in a row are below proficient."""
    ordered = sorted(sessions, key=lambda s: (s.on, s.order))
    runs: dict[tuple[str, str], list[ScoredSession]] = {}
    for session in ordered:
        for key, level in session.levels.items():
            run = runs.setdefault((session.stage, key), [])
            if level < session.proficient:
                run.append(session)
            else:
                run.clear()  # the gap closed
    notes = list(commitments)
    gaps = []
    for (stage, key), run in runs.items():
        if len(run) < threshold:
            continue
        latest = run[-1]
        about = tuple(
            note
            for note in notes
            if note.stage == stage and note.criterion == key and note.made_on >= run[0].on
        )
        gaps.append(
            RepeatedGap(
                stage=stage,
                criterion=key,
                name=latest.names.get(key, key),
                level=latest.levels[key],
                top=latest.top,
                dates=tuple(s.on for s in run),
                commitments=about,
            )
        )
    gaps.sort(key=lambda g: (-len(g.dates), g.dates[-1], g.name))
    return gaps


def proficient_level(scale: Sequence[tuple[int, str]], fallback: int) -> int:
    """The level named "Proficient" on the scale; else ``fallback`` (the rubric's pass level)."""
    for level, name in scale:
        if name.strip().casefold() == "proficient":
            return level
    return fallback
