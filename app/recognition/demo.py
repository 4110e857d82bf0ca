"""Recognition in the demo organisation: coaches and a team-mate thank reps for real records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from app.accounts.models import User
from app.accounts.service import local_today
from app.extensions import db
from app.recognition import service
from app.recognition.models import AchievementKind

# (giver: "coach" or a rep's position in app.demo.REPS, receiver's position, what, note, days ago)
THANKS = (
    ("coach", 2, AchievementKind.MILESTONE, "You booked your first discovery meetings early.", 6),
    ("coach", 3, AchievementKind.COMMITMENT, "You kept your word on the demo agenda: it shows.", 4),
    (9, 4, AchievementKind.MILESTONE, "Thanks for sharing your call list set-up with me!", 3),
    ("coach", 5, AchievementKind.CERTIFICATION, "Certified, and with top marks on next steps.", 2),
    (0, 1, AchievementKind.MILESTONE, "Your sequences gave me a template to start from.", 1),
    ("coach", 2, AchievementKind.METRIC, "Your best week of meetings yet: keep it going.", 0),
)


def seed_recognition(reps: Sequence[User], now: datetime) -> None:
    """A few thanks, each for the first record of its kind the receiver has."""
    for giver_at, receiver_at, kind, note, days_ago in THANKS:
        rep = reps[receiver_at]
        giver = rep.coach if giver_at == "coach" else reps[int(giver_at)]
        if giver is None or not service.can_recognise(giver, rep):
            continue
        today = local_today(rep, now)
        found = [a for a in service.achievements_of(giver, rep, today) if a.kind is kind]
        if found:
            chosen = _pick(found)
            given = service.give_recognition(giver, rep, chosen.choice, note, today=today)
            given.created_at = now.replace(tzinfo=None) - timedelta(days=days_ago, hours=3)
    db.session.flush()


def _pick(found: list[service.Achievement]) -> service.Achievement:
    """The first record of its kind; for activity, the week with the most meetings booked."""
    booked = [a for a in found if a.figure and a.figure.metric.key == "meetings_booked"]
    if booked:
        return max(booked, key=lambda a: a.figure.value if a.figure else 0)
    return found[-1]
