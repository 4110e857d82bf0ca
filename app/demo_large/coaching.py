"""A rep's debriefs, commitments and reviews, and the notifications the services sent."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.certification import service as certification
from app.coaching import service
from app.coaching.demo import Promise
from app.coaching.demo import _CoachingDemo as CoachingDemo
from app.coaching.followthrough import Outcome
from app.coaching.models import Debrief, DebriefKind
from app.extensions import db
from app.notifications.models import Notification

RAMP_DAYS = 90
ACTIONS = (
    ("Ask what the problem costs after every pain the buyer names", "Notes of 5 calls"),
    ("Agree a dated next step before ending every call", "CRM next steps on 4 calls"),
    ("Rehearse the opener with a peer", "Two 15-minute drills"),
    ("Restate the buyer's three pains at the start of each demo", "Recordings of 3 demos"),
    ("Research each account before the first call", "A note on 10 accounts"),
)
OUTCOMES = ((Outcome.KEPT, 0.55), (Outcome.PARTLY, 0.25), (Outcome.MISSED, 0.2))
ANSWERS = {
    "went_well": "The opening and the agenda.",
    "better": "I talked too much in the middle.",
    "differently": "Ask one more question before answering.",
}
NOTES = {
    "went_well": "Good structure.",
    "better": "Stay with the buyer's vague answers.",
    "differently": "Quantify the impact before the next step.",
}


class Coaching:
    """Debriefs acted out through the coaching service, with what it needs cached per stage."""

    def __init__(self, now: datetime) -> None:
        self.demo = CoachingDemo(now)
        self.now = now
        self.scenarios: dict[str, list[str]] = {}
        self.criteria: dict[str, list[str]] = {}

    def _stage_facts(self, rep: User, stage: str) -> tuple[list[str], list[str]]:
        if stage not in self.scenarios:
            rows = service.current_scenarios(stage)
            self.scenarios[stage] = [row.scenario_key for row in rows]
            spec = certification.rubric_spec(certification.rubric_for(rep, stage))
            self.criteria[stage] = [c.key for c in spec.criteria]
        return self.scenarios[stage], self.criteria[stage]

    def play(
        self, coach: User, rep: User, stages: Sequence[str], today: date, rng: random.Random
    ) -> None:
        """Two to five debriefs over the rep's ramp so far, most recorded, most reviewed."""
        assert rep.start_date is not None
        last_day = min((today - rep.start_date).days + 1, RAMP_DAYS)
        for _ in range(rng.randint(2, 5)):
            day = rng.randint(1, last_day)
            on = rep.start_date + timedelta(days=day - 1)
            kind = rng.choice(list(DebriefKind))
            stage = rng.choice(stages) if kind is not DebriefKind.ONE_ON_ONE else None
            scenario, scores = None, {}
            criteria: list[str] = []
            if stage is not None:
                scenarios, criteria = self._stage_facts(rep, stage)
                if kind is DebriefKind.ROLE_PLAY and scenarios:
                    scenario = rng.choice(scenarios)
                scores = {key: rng.choice((2, 3, 3, 4)) for key in criteria}
            recorded = rng.random() < (0.5 if (today - on).days < 3 else 0.95)
            promises = [
                Promise(*rng.choice(ACTIONS), rng.randint(5, 10), rng.choice([*criteria, None]))
                for _ in range(rng.choice((1, 1, 2, 2, 2)) if recorded else 0)
            ]
            debrief = self.demo.debrief(
                coach, rep, day, kind, stage, scenario=scenario,
                answers=ANSWERS if rng.random() < 0.6 else None,
                notes=NOTES, scores=scores, promises=promises,
                acknowledged=rng.random() < 0.85,
                follow_up="I did it on three calls." if rng.random() < 0.25 else "",
            )  # fmt: skip
            for commitment in debrief.commitments:
                if commitment.due_on < today and rng.random() < 0.85:
                    outcome = _outcome(rng)
                    note = "" if outcome is Outcome.KEPT else "Busy pipeline week."
                    self.demo.review(coach, commitment, outcome, note)


def _outcome(rng: random.Random) -> Outcome:
    roll = rng.random()
    for outcome, share in OUTCOMES:
        if roll < share:
            return outcome
        roll -= share
    return Outcome.KEPT


DEBRIEF_LINK_PREFIX = service.debrief_link(0).removesuffix("0")


def backdate_notifications(after_id: int, now: datetime) -> int:
    """Date the notifications sent since ``after_id`` by their debrief; older ones are read.

    Returns the last notification id, for the next batch.
    """
    naive_now = now.replace(tzinfo=None)
    last = after_id
    for notification in db.session.scalars(
        select(Notification).where(Notification.id > after_id).order_by(Notification.id)
    ):
        last = notification.id
        if not notification.link.startswith(DEBRIEF_LINK_PREFIX):
            notification.read_at = naive_now  # the ramp's and certifications' history: seen
            continue
        debrief = db.session.get(Debrief, int(notification.link.rsplit("/", 1)[-1]))
        if debrief is None:
            continue
        moment = {
            "debrief-answered": debrief.rep_answered_at,
            "debrief-recorded": debrief.recorded_at,
            "debrief-follow-up": debrief.follow_up_at,
            "commitment-reviewed": debrief.recorded_at and debrief.recorded_at + timedelta(days=8),
        }.get(notification.kind) or debrief.created_at
        moment = min(moment, naive_now)
        notification.created_at = moment
        if moment < naive_now - timedelta(days=2) and (notification.id % 7) != 0:
            notification.read_at = moment + timedelta(hours=2)
    return last
