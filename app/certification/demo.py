"""Certifications for the demo organisation, acted out through the certification service.

Every kind of state a coach meets: passed (some by two assessors who did not quite agree),
not passed with the next attempt ahead, expired, self-assessed, waiting for a second assessor,
not started, and a corrected score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta

from app.accounts.models import User
from app.accounts.service import local_today
from app.certification import service
from app.certification.models import Assessment, CertificationAttempt
from app.extensions import db
from app.plans.service import open_certification_milestones

# Per-criterion overrides of a base level, by criterion key.
Levels = Mapping[str, int]


class _Demo:
    """Acts as the people of the demo; ``today`` is each rep's own today."""

    def __init__(self, admin: User, coaches: Sequence[User], now: datetime) -> None:
        self.admin = admin
        self.coaches = coaches
        self.now = now

    def day(self, rep: User, number: int) -> date:
        """The calendar date of day ``number`` of the rep's ramp (day 1 is the start date)."""
        assert rep.start_date is not None
        return rep.start_date + timedelta(days=number - 1)

    def today(self, rep: User) -> date:
        return local_today(rep, self.now)

    def entry(
        self,
        rep: User,
        stage: str,
        base: int,
        levels: Levels,
        feedback: str,
        on: date,
        comments: Mapping[str, str] | None = None,
    ) -> service.AssessmentEntry:
        spec = service.rubric_spec(service.rubric_for(rep, stage))
        scores: dict[str, int | None] = {c.key: levels.get(c.key, base) for c in spec.criteria}
        kind = spec.evidence.kinds[0]
        return service.AssessmentEntry(
            scores=scores,
            comments=dict(comments or {}),
            feedback=feedback,
            evidence_kind=kind,
            evidence_url="https://calls.example.com/recording/demo"
            if kind == "recorded-call"
            else "",
            assessed_on=on,
        )

    def assess(
        self,
        assessor: User,
        rep: User,
        stage: str,
        day: int,
        base: int = 3,
        levels: Levels | None = None,
        feedback: str = "",
        second: User | None = None,
        comments: Mapping[str, str] | None = None,
    ) -> Assessment:
        on = self.day(rep, day)
        entry = self.entry(rep, stage, base, levels or {}, feedback, on, comments)
        assessment = service.submit_assessment(
            assessor, rep, stage, entry, self.today(rep), second_assessor=second
        )
        _backdate(assessment.attempt, on)
        return assessment

    def self_assess(
        self, rep: User, stage: str, day: int, base: int, levels: Levels, reflection: str
    ) -> Assessment:
        on = self.day(rep, day)
        entry = self.entry(rep, stage, base, levels, reflection, on)
        entry.comments = {key: "I think this went well." for key in entry.scores}
        assessment = service.submit_self_assessment(rep, stage, entry, on)
        _backdate(assessment.attempt, on)
        return assessment


def _backdate(attempt: CertificationAttempt, on: date) -> None:
    """Make the history read as if it happened on the day, not at seeding time."""
    moment = datetime.combine(on, datetime.min.time()) + timedelta(hours=14)
    attempt.opened_at = min(attempt.opened_at, moment)
    for assessment in attempt.assessments:
        assessment.created_at = min(assessment.created_at, moment)
        if assessment.submitted_at and assessment.assessed_on:
            assessment.submitted_at = datetime.combine(
                assessment.assessed_on, datetime.min.time()
            ) + timedelta(hours=15)
    if attempt.decided_at and attempt.assessed_on:
        attempt.decided_at = datetime.combine(attempt.assessed_on, datetime.min.time()) + timedelta(
            hours=15
        )
    for assessment in attempt.assessments:
        for score in assessment.scores:
            for correction in score.corrections:
                correction.at = max(correction.at, moment)
    if attempt.passed and attempt.decided_at:
        for milestone in open_certification_milestones(attempt.rep, attempt.stage):
            if milestone.completed_at and milestone.completed_at > attempt.decided_at:
                milestone.completed_at = attempt.decided_at
                for event in milestone.events:
                    if event.action == "certified":
                        event.at = attempt.decided_at


def seed_certifications(
    admin: User, coaches: Sequence[User], reps: Sequence[User], now: datetime
) -> None:
    """Certification history for the demo reps (in the order of ``app.demo.REPS``)."""
    demo = _Demo(admin, coaches, now)
    north, south = coaches[0], coaches[1]
    ava, ben, chloe, diego, emma, farid, grace, hiro, isla, jonas = reps[:10]
    del grace  # not started: prospecting is due soon for Ben, far off for Grace

    # Ben's prospecting role-play is booked for the day after tomorrow, on a video call.
    booked = service.Slot(
        demo.today(ben) + timedelta(days=2),
        time(10, 0),
        45,
        "https://meet.example.com/prospecting-ben",
        "Bring your call list for the role-play: we will play a VP of Sales at one of them.",
    )
    service.schedule(ben.coach or north, ben, "prospecting", booked)

    # Ava (day 12) has scored herself ahead of her prospecting role-play.
    demo.self_assess(
        ava, "prospecting", 11, 3, {"meeting-ask": 4, "research": 2},
        "I am confident asking for the meeting; my research is still thin.",
    )  # fmt: skip

    # Chloe (day 40): discovery passed, scored by her coach and a second coach.
    demo.assess(
        chloe.coach or north, chloe, "discovery", 25, 3,
        {"questioning": 4, "active-listening": 3},
        "Excellent layered questions. Quantify impact earlier in the call.",
        second=south,
    )  # fmt: skip
    demo.assess(south, chloe, "discovery", 25, 3, {"questioning": 4, "trusted-advisor": 4},
                "Strong; the insight on onboarding cost landed well.")  # fmt: skip
    demo.self_assess(chloe, "demo", 38, 3, {"tailoring": 4}, "Ready for the demo role-play.")

    # Diego (day 55): failed discovery, passed on the second attempt (one score corrected);
    # failed the demo three days ago and must wait for the cooldown.
    demo.assess(
        south, diego, "discovery", 24, 2, {"next-steps": 1, "trusted-advisor": 3},
        "Too much pitching; no agreed next step. Practise the impact questions and retry.",
    )  # fmt: skip
    passed = demo.assess(
        south, diego, "discovery", 33, 3, {"active-listening": 2, "next-steps": 3},
        "Much better: the impact was quantified and the next step dated.",
    )  # fmt: skip
    listening = next(s for s in passed.scores if s.criterion_key == "active-listening")
    service.correct_score(
        south, listening, 3, "Re-watched the recording: he summarised the buyer accurately twice."
    )
    demo.assess(
        south, diego, "demo", 52, 2, {"tailoring": 2, "demo-close": 1, "recap-and-agenda": 3},
        "A feature tour rather than the buyer's story. Rebuild it around the three pains.",
    )  # fmt: skip

    # Emma (day 70): both SDR certifications passed, the first after a self-assessment.
    demo.self_assess(emma, "prospecting", 24, 3, {"opener": 4}, "My opener is my strength.")
    demo.assess(south, emma, "prospecting", 26, 3, {"opener": 3, "value-message": 4},
                "Great value message; the opener can be shorter.")  # fmt: skip
    demo.assess(south, emma, "qualification", 54, 3, {"qualify-out": 4},
                "Honest go/no-go calls with the evidence. Well done.")  # fmt: skip

    # Farid (day 85): an internal move from SDR, so his prospecting certification from then
    # has expired; AE certifications passed, closing waits for the second assessor.
    demo.assess(north, farid, "prospecting", -280, 3, {}, "Solid cold calls.")
    demo.assess(north, farid, "discovery", 27, 3, {"pain-and-impact": 4}, "Textbook discovery.")
    demo.assess(north, farid, "demo", 43, 3, {"tailoring": 3}, "Tailored well.", second=admin)
    demo.assess(admin, farid, "demo", 43, 3, {"tailoring": 4, "engagement": 2},
                "Let the buyer drive more.")  # fmt: skip
    demo.assess(north, farid, "negotiation", 66, 3, {"composure": 4}, "Calm under pressure.",
                second=south)  # fmt: skip
    demo.assess(south, farid, "negotiation", 66, 4, {"preparation": 3},
                "Traded every concession.")  # fmt: skip
    demo.assess(north, farid, "closing", 83, 3, {"asking-for-business": 4},
                "Asked for the signature twice, clearly.", second=admin)  # fmt: skip

    # Hiro (day 33): discovery not passed yesterday; the next attempt is a week later.
    demo.assess(
        south, hiro, "discovery", 32, 2, {"pain-and-impact": 1, "next-steps": 2},
        "No business impact uncovered. Work through the impact question bank with me.",
    )  # fmt: skip

    # Isla (day 47): rated herself higher than her coach did, and passed.
    demo.self_assess(isla, "prospecting", 25, 4, {"research": 3}, "Felt like a great call.")
    demo.assess(north, isla, "prospecting", 27, 3, {"objection-handling": 2},
                "Passed. Objection handling needs work: ask before you answer.")  # fmt: skip

    # Jonas (day 62): two certifications, each scored by both coaches (Sam scores higher).
    demo.assess(south, jonas, "discovery", 26, 4, {"next-steps": 3}, "Very strong.",
                second=north)  # fmt: skip
    demo.assess(north, jonas, "discovery", 26, 3, {}, "Good, consistent call.")
    demo.assess(south, jonas, "demo", 44, 4, {"engagement": 3}, "Compelling demo.",
                second=north)  # fmt: skip
    demo.assess(north, jonas, "demo", 44, 3, {"value-linkage": 2}, "Link value more clearly.")
    db.session.flush()
