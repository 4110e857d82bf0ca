"""When a notice condition of a signed consequence agreement holds: pure functions, no database.

Only what happened after the agreement was signed counts (``since``, the day it was
completed): a notice is about the agreement not being kept, not about what led to it.

* **In a status for N days** counts the days the daily sweep recorded the rep in that status,
  back from the latest record to the last record of another status. A day the plan was paused
  neither counts nor ends the streak; a day with no record (the worker was down) does not
  count either, so a gap can only delay a notice, never bring one forward.
* **A milestone overdue more than N days** counts days late from its due date, or from the
  signing day for a milestone already late then.
* **N failed certifications** counts attempts decided as failed since the signing day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from app.curriculum.schema import NoticeCondition
from app.plans.status import RepStatus

PAUSED = RepStatus.PAUSED.value
STATUS_LABELS = {"at_risk": "at risk", "behind": "behind"}
PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_.]*)\s*\}\}")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True)
class StatusDay:
    """The status the sweep recorded for a rep on one day ("at risk", "on track", ...)."""

    day: date
    status: str
    paused: bool = False


@dataclass(frozen=True)
class LateMilestone:
    """A milestone that is overdue today (not done, not waiting for the coach)."""

    title: str
    due_date: date


@dataclass(frozen=True)
class FailedAttempt:
    stage: str
    decided_on: date
    score: float | None


@dataclass(frozen=True)
class Finding:
    """A condition that holds today: since when (the episode's first day) and the evidence."""

    started_on: date
    evidence: tuple[str, ...]


def condition_key(condition: NoticeCondition) -> str:
    """A stable name for a condition, kept on its episodes ("status-at_risk-14")."""
    if condition.status is not None:
        return f"status-{condition.status}-{condition.for_days}"
    if condition.milestone_overdue_days is not None:
        return f"milestone-overdue-{condition.milestone_overdue_days}"
    return f"certification-failed-{condition.certification_failed}"


def condition_label(condition: NoticeCondition) -> str:
    """The condition in words, as the notice and HR's list say it."""
    if condition.status is not None:
        return f"{STATUS_LABELS[condition.status].capitalize()} for {condition.for_days} days"
    if condition.milestone_overdue_days is not None:
        return f"A milestone overdue more than {condition.milestone_overdue_days} days"
    count = condition.certification_failed
    return f"{count} failed certification{'s' if count != 1 else ''}"


def status_streak(days: Iterable[StatusDay], status: str, since: date) -> list[StatusDay]:
    """The recorded days of the current run of ``status`` since ``since``, oldest first."""
    streak: list[StatusDay] = []
    for record in sorted((d for d in days if d.day >= since), key=lambda d: d.day, reverse=True):
        if record.paused or record.status == PAUSED:
            continue
        if record.status != status:
            break
        streak.append(record)
    return streak[::-1]


def evaluate(
    condition: NoticeCondition,
    since: date,
    today: date,
    days: Sequence[StatusDay],
    late: Sequence[LateMilestone],
    failed: Sequence[FailedAttempt],
) -> Finding | None:
    """The condition's finding today, or None when it does not hold."""
    if condition.status is not None and condition.for_days is not None:
        wanted = STATUS_LABELS[condition.status]
        streak = status_streak(days, wanted, since)
        if len(streak) < condition.for_days:
            return None
        first, last = streak[0].day, streak[-1].day
        line = (
            f"Recorded as {wanted} on {len(streak)} days from {first.isoformat()} to "
            f"{last.isoformat()} (days the plan was paused are not counted)"
        )
        return Finding(first, (line,))
    if condition.milestone_overdue_days is not None:
        limit = condition.milestone_overdue_days
        beyond = [m for m in late if (today - max(m.due_date, since)).days > limit]
        if not beyond:
            return None
        lines = tuple(
            f"{m.title}: due {m.due_date.isoformat()}, {(today - m.due_date).days} days overdue"
            for m in sorted(beyond, key=lambda m: m.due_date)
        )
        return Finding(today, lines)
    count = condition.certification_failed or 0
    after = sorted((a for a in failed if a.decided_on >= since), key=lambda a: a.decided_on)
    if len(after) < count:
        return None
    lines = tuple(
        f"Certification on {a.stage} failed on {a.decided_on.isoformat()}"
        + (f" (weighted score {a.score:.2f})" if a.score is not None else "")
        for a in after
    )
    return Finding(after[count - 1].decided_on, lines)


def clause_text(body: str, heading: str, values: Mapping[str, str | None]) -> str:
    """The Markdown under ``heading`` with HR's values filled in: what the notice quotes.

    Placeholders filled from the rep's record (tables, ramp figures) are not repeated: they
    were true on the day the agreement was issued, and the notice says where to read them.
    """
    lines: list[str] = []
    inside = False
    for line in body.split("\n"):
        match = HEADING.match(line.strip())
        if match:
            if inside:
                break
            inside = match.group(1).casefold() == heading.casefold()
            continue
        if inside:
            lines.append(line)

    def fill(found: re.Match[str]) -> str:
        value = values.get(found.group(1))
        return value if value else "(as set out in the agreement)"

    return PLACEHOLDER.sub(fill, "\n".join(lines)).strip()
