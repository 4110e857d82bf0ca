"""Debriefs for the demo organisation, acted out through the coaching service.

Hiro has a repeated gap: uncovering pain and impact scored below proficient in two role-plays and
then in his Discovery certification, with commitments about it partly kept and missed. Diego has
a history of demo-stage debriefs whose commitments were mostly kept. Ava has a debrief waiting for
her answers, and Isla a recorded one she has not acknowledged yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.service import local_today
from app.coaching import service
from app.coaching.followthrough import Outcome
from app.coaching.models import Commitment, Debrief, DebriefKind
from app.extensions import db
from app.notifications.models import Notification


@dataclass(frozen=True)
class Promise:
    """A commitment as the demo makes it: due ``days`` after the debrief."""

    action: str
    measure: str
    days: int
    criterion: str | None = None


def _moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)


class _CoachingDemo:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def day(self, rep: User, number: int) -> date:
        assert rep.start_date is not None
        return rep.start_date + timedelta(days=number - 1)

    def debrief(
        self,
        coach: User,
        rep: User,
        day: int,
        kind: DebriefKind,
        stage: str | None,
        *,
        scenario: str | None = None,
        answers: dict[str, str] | None = None,
        notes: dict[str, str] | None = None,
        scores: dict[str, int] | None = None,
        promises: Sequence[Promise] = (),
        acknowledged: bool = True,
        follow_up: str = "",
    ) -> Debrief:
        on = self.day(rep, day)
        setup = service.DebriefSetup(on, kind, stage, scenario)
        debrief = service.create_debrief(coach, rep, setup, on)
        debrief.created_at = _moment(on, 9)
        if answers:
            service.answer_reflection(rep, debrief, answers)
            debrief.rep_answered_at = _moment(on, 11)
        if not promises:
            return debrief
        record = service.DebriefRecord(
            notes=notes or {},
            scores=dict(scores or {}),
            commitments=[
                service.CommitmentEntry(
                    p.action, p.measure, on + timedelta(days=p.days), p.criterion, i
                )
                for i, p in enumerate(promises)
            ],
        )
        service.record_debrief(coach, debrief, record, on)
        debrief.recorded_at = _moment(on, 16)
        if acknowledged:
            service.acknowledge(rep, debrief)
            debrief.acknowledged_at = _moment(on, 18)
        if follow_up:
            service.add_follow_up(rep, debrief, follow_up)
            debrief.follow_up_at = _moment(on + timedelta(days=3), 17)
        return debrief

    def review(
        self, coach: User, commitment: Commitment, outcome: Outcome, note: str, close: bool = False
    ) -> None:
        service.review_commitment(coach, commitment, outcome, note, close)
        commitment.reviewed_at = _moment(commitment.due_on, 10)
        if commitment.closed_at is not None:
            commitment.closed_at = commitment.reviewed_at


def seed_coaching(coaches: Sequence[User], reps: Sequence[User], now: datetime) -> None:
    """Debrief histories for the demo reps (in the order of ``app.demo.REPS``)."""
    demo = _CoachingDemo(now)
    ava, _ben, chloe, diego, _emma, _farid, _grace, hiro, isla, _jonas = reps[:10]

    # Hiro (day 33, coached by Sam): pain and impact stays at 2 in two discovery role-plays,
    # then 1 in yesterday's certification: a repeated gap, with the commitments made about it.
    sam = hiro.coach or coaches[1]
    first = demo.debrief(
        sam, hiro, 12, DebriefKind.ROLE_PLAY, "discovery",
        scenario="discovery-first-call-cfo",
        answers={"went_well": "I stayed calm when she asked for a demo straight away.",
                 "better": "I never found out what the slow close costs them.",
                 "differently": "Ask about the cost before talking about our product."},
        notes={"went_well": "Good trade for the demo: three questions first.",
               "better": "You accepted 'it's slow' without asking what slow costs.",
               "differently": "After every problem, ask what it costs and who else feels it."},
        scores={"questioning": 3, "active-listening": 3, "pain-and-impact": 2,
                "trusted-advisor": 2, "next-steps": 3},
        promises=[Promise("Ask 'what does that cost you?' after every problem the buyer names",
                          "Call notes of 5 discovery calls show a cost for each problem", 7,
                          "pain-and-impact")],
        follow_up="You coached me on cost questions; I asked them on 3 of my 5 calls.",
    )  # fmt: skip
    demo.review(sam, first.commitments[0], Outcome.PARTLY, "3 of 5 calls; forgot on the busy days.")
    second = demo.debrief(
        sam, hiro, 20, DebriefKind.CALL_REVIEW, "discovery",
        answers={"went_well": "Better questions at the start.",
                 "better": "The buyer got vague when I asked about money."},
        notes={"better": "When the buyer went vague you moved on; stay with it.",
               "differently": "Use the impact question bank; quantify before the next step."},
        scores={"questioning": 3, "active-listening": 3, "pain-and-impact": 2, "next-steps": 2},
        promises=[
            Promise("Work through the impact question bank with a peer", "Two 20-minute drills",
                    6, "pain-and-impact"),
            Promise("Agree a dated next step before ending every discovery call",
                    "CRM shows a next step with a date on each call", 6, "next-steps"),
        ],
    )  # fmt: skip
    demo.review(sam, second.commitments[0], Outcome.MISSED, "No drill booked: pipeline week.")
    demo.review(sam, second.commitments[1], Outcome.KEPT, "")
    demo.debrief(
        sam, hiro, 27, DebriefKind.DEAL_REVIEW, "qualification",
        notes={"went_well": "Honest about the missing economic buyer."},
        promises=[Promise("Ask the champion to introduce the CFO", "A meeting in the calendar",
                          10)],
        acknowledged=False,
    )  # fmt: skip

    # Diego (day 55, Sam): demo-stage practice after his failed demo certification.
    for day, tailoring, promises, outcomes in (
        (30, 2, [Promise("Open each demo by restating the buyer's three pains",
                         "Recordings of 3 demos start with the pains", 7, "tailoring")],
         [(Outcome.KEPT, "")]),
        (40, 3, [Promise("Close each demo with a dated next step", "CRM next steps on 4 demos",
                         7, "demo-close"),
                 Promise("Cut the feature tour to the two screens that matter",
                         "Demo under 25 minutes", 7, "tailoring")],
         [(Outcome.KEPT, ""), (Outcome.PARTLY, "Two of four demos ran long.")]),
        (53, 3, [Promise("Rehearse the demo close with Sam", "One rehearsal before Friday", 5,
                         "demo-close")], []),
    ):  # fmt: skip
        debrief = demo.debrief(
            sam, diego, day, DebriefKind.ROLE_PLAY, "demo",
            scenario="demo-tailored-to-pain",
            answers={"went_well": "The agenda at the start.", "better": "The close."},
            notes={"differently": "Tell the story of one ticket, then ask for the next step."},
            scores={"recap-and-agenda": 3, "tailoring": tailoring, "demo-close": 2},
            promises=promises,
        )  # fmt: skip
        for commitment, (outcome, note) in zip(debrief.commitments, outcomes, strict=False):
            demo.review(sam, commitment, outcome, note)

    # Chloe (day 40, Maya): a one-on-one with a commitment due soon.
    maya = chloe.coach or coaches[0]
    demo.debrief(
        maya, chloe, 36, DebriefKind.ONE_ON_ONE, None,
        notes={"went_well": "Discovery certification passed with two assessors."},
        promises=[Promise("Prepare a tailored demo for the Acme deal",
                          "Maya reviews the demo outline", 8, None)],
    )  # fmt: skip

    # Isla (day 47, Maya): recorded yesterday, not acknowledged yet.
    demo.debrief(
        maya, isla, 46, DebriefKind.ROLE_PLAY, "prospecting",
        scenario="prospecting-cold-call-ops-director",
        notes={"better": "You answered the objection before asking about it."},
        scores={"objection-handling": 2, "opener": 3},
        promises=[Promise("Ask one question before answering any objection",
                          "Five recorded calls show it", 7, "objection-handling")],
        acknowledged=False,
    )  # fmt: skip

    # Ava (day 12, Maya): a role-play today, waiting for her answers.
    today = local_today(ava, now)
    start = ava.start_date or today
    demo.debrief(
        maya,
        ava,
        (today - start).days + 1,
        DebriefKind.ROLE_PLAY,
        "prospecting",
        scenario="prospecting-referral-email-follow-up",
    )
    db.session.flush()
    _backdate_notifications(now)


def _backdate_notifications(now: datetime) -> None:
    """Older notifications were read on the day; only the last two days' stay unread."""
    recent = now.replace(tzinfo=None) - timedelta(days=2)
    about_debriefs = Notification.link.startswith(service.debrief_link(0).removesuffix("0"))
    for notification in db.session.scalars(select(Notification).where(about_debriefs)):
        debrief_id = int(notification.link.rsplit("/", 1)[-1])
        debrief = db.session.get(Debrief, debrief_id)
        if debrief is None:
            continue
        moment = debrief.recorded_at or debrief.created_at
        if moment < recent:
            notification.created_at = moment
            notification.read_at = moment + timedelta(hours=2)
