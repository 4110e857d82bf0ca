"""Pulse surveys and debrief ratings in the demo organisation.

Every rep past a checkpoint answered it, except Hiro (day 33), whose day-30 survey waits for
him. Six answered at day 30 and three at day 60: HR sees everyone's results; day 60 says
"fewer than 5 answers", and day 30 is withheld (everyone less day 30 would be day 60's three).
Each recorded debrief is rated by its rep the day after.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.service import local_today
from app.coaching.models import Debrief
from app.extensions import db
from app.plans.models import Plan
from app.surveys import service
from app.surveys.models import DebriefRating, PulseAnswer, PulseRequest, PulseResponse
from app.surveys.questions import pulse_survey

WAITING = "Hiro Tanaka"
# A rep's answers lean on their position, so the results are not all the same.
LEANING = (0, 1, -1, 0, 1, 0, -1, 0, 1, 0)
COMMENTS = ("The role-play made the objection real.", "", "More time on next steps, please.")


def clear_listening() -> None:
    """The rows that name nobody (the rest go with the people and debriefs they belong to)."""
    for model in (PulseAnswer, PulseResponse, PulseRequest, DebriefRating):
        db.session.execute(model.__table__.delete())


def seed_surveys(reps: Sequence[User], now: datetime) -> None:
    survey = pulse_survey()
    plans = {
        p.rep_id: p for p in db.session.scalars(select(Plan).where(Plan.archived_at.is_(None)))
    }
    for position, rep in enumerate(reps):
        plan, today = plans.get(rep.id), local_today(rep, now)
        if plan is None or rep.full_name == WAITING:
            continue
        for checkpoint in survey.checkpoints:
            if service.plan_day(plan, today) < checkpoint:
                continue
            ratings = {q.key: _rating(position, q.about) for q in survey.questions}
            answered_on = plan.start_date + timedelta(days=checkpoint)
            db.session.add(PulseRequest(
                rep_id=rep.id, plan_id=plan.id, checkpoint=checkpoint, answered_on=answered_on
            ))  # fmt: skip
            db.session.add(PulseResponse(
                survey_id=survey.id, survey_version=survey.version, checkpoint=checkpoint,
                team_id=rep.team_id, role=plan.template.role, cohort=f"{plan.start_date:%Y-%m}",
                answers=[PulseAnswer(question_key=k, rating=v) for k, v in ratings.items()],
            ))  # fmt: skip
    db.session.flush()
    service.ask_due_pulses(now.date())  # Hiro is asked: his notification links to the survey


def _rating(position: int, about: str) -> int:
    """Around 4, leaning by the rep; every third rep a point lower on the coaching."""
    lower = 1 if about == "coaching" and position % 3 == 0 else 0
    return max(1, min(5, 4 + LEANING[position % len(LEANING)] - lower))


def seed_ratings(reps: Sequence[User]) -> None:
    """Each recorded debrief rated by its rep, the day after it was held."""
    debriefs = db.session.scalars(
        select(Debrief).where(Debrief.rep_id.in_([r.id for r in reps])).order_by(Debrief.id)
    )
    for number, debrief in enumerate(debriefs):
        if debrief.is_recorded:
            rating = (4, 5, 3, 4, 5)[number % 5]
            rated_on: date = debrief.held_on + timedelta(days=1)
            service.rate_debrief(
                debrief.rep, debrief, rating, COMMENTS[number % len(COMMENTS)], rated_on
            )
