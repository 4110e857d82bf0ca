"""Status rules for milestones and reps: pure functions, no database.

The rules, as the README documents them:

* A milestone is **overdue** when it is not done, the rep has not submitted it for
  verification, and its due date is before today. A submitted milestone waits on the coach,
  not the rep, so it never counts against the rep.
* A rep is **at risk** with three or more overdue milestones, or any milestone more than
  14 days overdue.
* A rep is **behind** with one or two overdue milestones, none more than 14 days late.
* A rep is **on track** with nothing overdue; **complete** when every milestone is done.
* A rep is **paused** on a day of leave (HR or an admin paused the plan): no milestone is
  overdue or due soon on such a day, so the rep is never behind or at risk, and anything
  counting "days at risk" skips it (:func:`app.plans.pause.days_counted`). Due dates moved
  by the pause's length when it was recorded (:mod:`app.plans.pause`), so the days away do
  not count against the rep afterwards either.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

AT_RISK_OVERDUE_COUNT = 3
AT_RISK_DAYS_LATE = 14
DUE_SOON_DAYS = 7


class MilestoneState(enum.StrEnum):
    DONE = "done"
    AWAITING_VERIFICATION = "awaiting verification"
    OVERDUE = "overdue"
    DUE_SOON = "due this week"
    UPCOMING = "upcoming"
    ON_HOLD = "on hold"

    @property
    def css(self) -> str:
        return {
            "done": "success",
            "awaiting verification": "info",
            "overdue": "danger",
            "due this week": "warning",
            "upcoming": "secondary",
            "on hold": "secondary",
        }[self.value]


class RepStatus(enum.StrEnum):
    NO_PLAN = "no plan"
    ON_TRACK = "on track"
    BEHIND = "behind"
    AT_RISK = "at risk"
    COMPLETE = "complete"
    PAUSED = "paused"

    @property
    def css(self) -> str:
        return _REP_STATUS_CSS[self.value]


# Looked up for every row of the team lists: one dictionary, not one per call.
_REP_STATUS_CSS = {
    "no plan": "secondary",
    "on track": "success",
    "behind": "warning",
    "at risk": "danger",
    "complete": "primary",
    "paused": "info",
}


@dataclass(frozen=True)
class MilestoneFacts:
    """What the rules need to know about one milestone."""

    due_date: date
    done: bool
    submitted: bool


def milestone_state(facts: MilestoneFacts, today: date, paused: bool = False) -> MilestoneState:
    """``paused``: the plan is paused on ``today``, so nothing open is late or due soon."""
    if facts.done:
        return MilestoneState.DONE
    if facts.submitted:
        return MilestoneState.AWAITING_VERIFICATION
    if paused:
        return MilestoneState.ON_HOLD
    if facts.due_date < today:
        return MilestoneState.OVERDUE
    if facts.due_date < today + timedelta(days=DUE_SOON_DAYS):
        return MilestoneState.DUE_SOON
    return MilestoneState.UPCOMING


def rep_status(
    milestones: Iterable[MilestoneFacts],
    today: date,
    has_plan: bool = True,
    paused: bool = False,
) -> RepStatus:
    if not has_plan:
        return RepStatus.NO_PLAN
    facts = list(milestones)
    overdue = [m for m in facts if milestone_state(m, today, paused) == MilestoneState.OVERDUE]
    return rep_status_from_counts(
        all_done=bool(facts) and all(m.done for m in facts),
        overdue=len(overdue),
        oldest_overdue=min((m.due_date for m in overdue), default=None),
        today=today,
        paused=paused,
    )


def rep_status_from_counts(
    all_done: bool,
    overdue: int,
    oldest_overdue: date | None,
    today: date,
    paused: bool = False,
) -> RepStatus:
    """The same rules over a plan's counts (what a team list aggregates in SQL).

    ``all_done``: the plan has milestones and every one is done. ``overdue`` counts the
    milestones :func:`milestone_state` calls overdue on ``today`` and
    ``oldest_overdue`` is the earliest due date among them. ``paused``: the plan is paused
    on ``today`` (:meth:`app.plans.models.Plan.is_paused_on`), whatever the counts say.
    """
    if all_done:
        return RepStatus.COMPLETE
    if paused:
        return RepStatus.PAUSED
    if not overdue or oldest_overdue is None:
        return RepStatus.ON_TRACK
    most_days_late = (today - oldest_overdue).days
    if overdue >= AT_RISK_OVERDUE_COUNT or most_days_late > AT_RISK_DAYS_LATE:
        return RepStatus.AT_RISK
    return RepStatus.BEHIND
