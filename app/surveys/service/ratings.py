"""Debrief ratings: the rep says how useful a debrief was; coaches see their trend.

One rating per debrief, by its rep, once it is recorded; final once given (a rating that could
be changed later could also be asked to be changed: the coach's trend must say what reps said
at the time). A coach sees their own trend by month, and HR and admins see every coach's, but
a month (or a coach) with fewer than ``MIN_GROUP`` ratings shows no average and no comments,
and no page ever says which rep gave which rating.

A month is shown only once it is over (from the 2nd of the next month, so that a rating dated
the last day in a timezone behind UTC is in): while a month is open, its average before and
after one more rating would give that rating away, and its coach knows whom they debriefed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import Role, User
from app.coaching.models import Debrief
from app.errors import Conflict, Invalid, NotAllowed
from app.extensions import db
from app.once import repeated
from app.surveys.models import DebriefRating
from app.surveys.service.groups import shown

COMMENT_LENGTH = 1000
RATINGS = (1, 2, 3, 4, 5)


def can_rate(actor: User, debrief: Debrief) -> bool:
    """The rep the debrief is about, once the coach has recorded it."""
    return actor.id == debrief.rep_id and debrief.is_recorded


def require_rater(actor: User, debrief: Debrief) -> None:
    """Only the debrief's rep rates it, or sees their rating: a coach never sees who rated."""
    if actor.id != debrief.rep_id:
        raise NotAllowed("Only the rep the debrief is about can rate it.")


def require_rate(actor: User, debrief: Debrief) -> None:
    """The rep may rate the debrief now: it is recorded, and they have not rated it yet."""
    require_rater(actor, debrief)
    if not debrief.is_recorded:
        raise Conflict("The debrief can be rated once your coach has recorded it.")
    if rating_of(debrief) is not None:
        raise Conflict("You have rated this debrief already; a rating is final once given.")


def rating_of(debrief: Debrief) -> DebriefRating | None:
    return db.session.scalar(select(DebriefRating).where(DebriefRating.debrief_id == debrief.id))


def rate_debrief(
    actor: User, debrief: Debrief, rating: int, comment: str, today: date, key: str | None = None
) -> DebriefRating:
    """Record how useful ``debrief`` was for its rep: 1 to 5 and a comment, once."""
    require_rater(actor, debrief)
    if not debrief.is_recorded:
        raise Conflict("The debrief can be rated once your coach has recorded it.")
    if rating not in RATINGS:
        raise Invalid("Choose a rating from 1 to 5.", field="rating")
    comment = comment.strip()
    if len(comment) > COMMENT_LENGTH:
        raise Invalid(f"Keep the comment to {COMMENT_LENGTH} characters.", field="comment")
    earlier = rating_of(debrief) if repeated(key, debrief, Debrief.id) else None
    if earlier is not None:  # the same form sent again: what the first one did
        return earlier
    if rating_of(debrief) is not None:
        raise Conflict("You have rated this debrief already; a rating is final once given.")
    row = DebriefRating(
        debrief_id=debrief.id, coach_id=debrief.coach_id, rating=rating, comment=comment,
        rated_on=today,
    )  # fmt: skip
    db.session.add(row)
    db.session.flush()
    return row


@dataclass(frozen=True)
class MonthOfRatings:
    month: date  # its first day
    count: int
    average: float | None  # None: fewer than MIN_GROUP ratings, or the month still open
    comments: tuple[str, ...]  # only for a month shown; in alphabetical, not rated, order
    still_open: bool = False  # the month is not over: nothing but its count is shown


@dataclass(frozen=True)
class CoachTrend:
    coach: User
    count: int
    average: float | None
    months: tuple[MonthOfRatings, ...]


def can_see_trend(actor: User, coach: User) -> bool:
    """The coach themselves, HR and admins."""
    own = actor.id == coach.id and actor.has_role(Role.COACH)
    return own or actor.sees_everyone


def first_open_month(today: date) -> date:
    """The first month not shown yet on ``today``: the current one, or the last until its
    next day has passed everywhere."""
    return (today - timedelta(days=1)).replace(day=1)


def coach_trend(actor: User, coach: User, today: date | None = None) -> CoachTrend:
    """``coach``'s ratings by month, oldest first (one query, whatever the number of ratings)."""
    if not can_see_trend(actor, coach):
        raise NotAllowed("Coaches see their own ratings; HR and admins see every coach's.")
    rows = db.session.execute(
        select(DebriefRating.rated_on, DebriefRating.rating, DebriefRating.comment)
        .where(DebriefRating.coach_id == coach.id)
        .order_by(DebriefRating.rated_on)
    ).all()
    months = by_month(
        [(rated_on, rating, comment) for rated_on, rating, comment in rows],
        first_open_month(today or date.today()),
    )
    return CoachTrend(coach, len(rows), overall_average(months), months)


def by_month(
    rows: Sequence[tuple[date, int, str]], open_from: date | None = None
) -> tuple[MonthOfRatings, ...]:
    """Ratings grouped by the month they were given in, oldest first; months from ``open_from``
    on are counted but not shown. Pure."""
    grouped: dict[date, list[tuple[int, str]]] = {}
    for rated_on, rating, comment in sorted(rows, key=lambda row: row[0]):
        grouped.setdefault(rated_on.replace(day=1), []).append((rating, comment))
    months = []
    for month, entries in grouped.items():
        still_open = open_from is not None and month >= open_from
        average = None if still_open else shown([rating for rating, _ in entries])
        comments = sorted(c for _, c in entries if c) if average is not None else []
        months.append(MonthOfRatings(month, len(entries), average, tuple(comments), still_open))
    return tuple(months)


def overall_average(months: Sequence[MonthOfRatings]) -> float | None:
    """The average over the months shown only: an average over every month would give away
    the sum of a small month's ratings (the overall less the months shown), and so, for a
    month of one rating, that rating."""
    ratings = [m.average * m.count for m in months if m.average is not None]
    count = sum(m.count for m in months if m.average is not None)
    return round(sum(ratings) / count, 2) if count else None


@dataclass(frozen=True)
class CoachSummary:
    coach_id: int
    name: str
    count: int
    average: float | None


def ratings_by_coach(actor: User, today: date | None = None) -> list[CoachSummary]:
    """Every coach with ratings: how many, and their average over their months shown (those
    of ``MIN_GROUP`` ratings or more), as on their own page. Two queries."""
    if not actor.sees_everyone:
        raise NotAllowed("Debrief ratings by coach are for HR and admins.")
    coaches = dict(
        db.session.execute(
            select(User.id, User.full_name).where(
                User.id.in_(select(DebriefRating.coach_id).distinct())
            )
        ).all()
    )
    rows: dict[int, list[tuple[date, int, str]]] = {}
    ratings = select(DebriefRating.coach_id, DebriefRating.rated_on, DebriefRating.rating).where(
        DebriefRating.coach_id.is_not(None)
    )
    for coach_id, rated_on, rating in db.session.execute(ratings):
        if coach_id is not None:
            rows.setdefault(coach_id, []).append((rated_on, rating, ""))
    open_from = first_open_month(today or date.today())
    summaries = [
        CoachSummary(
            coach_id, coaches[coach_id], len(found), overall_average(by_month(found, open_from))
        )
        for coach_id, found in rows.items()
    ]
    return sorted(summaries, key=lambda s: (s.name, s.coach_id))
