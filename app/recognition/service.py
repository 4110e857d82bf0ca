"""Giving recognition and reading it: who may thank whom, for what, and who sees it.

Rules (enforced here, whatever the pages show):

* the rep's coach or an admin, or a team-mate (a rep of the same team), may recognise a rep;
  nobody recognises themselves;
* recognition is for one of that rep's own records: a milestone done, a certification passed,
  or (coaches and admins only: a team-mate does not read the rep's debriefs) a commitment the
  coach marked kept; or (only for those who may see the rep's activity figures, so not a
  team-mate: ``app.metrics.service.access``) one of the rep's weekly activity figures;
* the rep hears of it (in the app, and by email if their notification settings say so);
* the team feed shows the recognition of one's team (a coach: also their reps'; HR and admins:
  everyone's); a rep's page lists theirs, for whoever may see them or is on their team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.orm import joinedload

from app.accounts.access import can_coach_rep, can_view_person
from app.accounts.models import Role, User
from app.accounts.service import local_today
from app.certification.models import CertificationAttempt
from app.coaching.followthrough import Outcome
from app.coaching.models import Commitment
from app.curriculum.service import stage_names
from app.errors import Invalid, NotAllowed
from app.extensions import db
from app.metrics.service.access import can_view_figures
from app.notifications.service import notify
from app.once import earlier_result, remember_result
from app.pagination import Page, PageRequest, paginate_query
from app.plans.models import Milestone, MilestoneStatus, Plan
from app.recognition.figures import WeekFigure, recent_figures
from app.recognition.models import NOTE_LENGTH, AchievementKind, Recognition

NOTIFICATION_KIND = "recognition"


@dataclass(frozen=True)
class Achievement:
    """One of a rep's records that recognition can be given for."""

    kind: AchievementKind
    record_id: int
    what: str
    figure: WeekFigure | None = None  # for a metric: which figure (``record_id`` is 0)

    @property
    def choice(self) -> str:
        """How a form names it: ``milestone:12``, ``metric:meetings_booked:2026-11-09``."""
        if self.figure is not None:
            return f"{self.kind.value}:{self.figure.key}"
        return f"{self.kind.value}:{self.record_id}"


def is_team_mate(actor: User, rep: User) -> bool:
    """Both are reps of the same team (a person without a team has no team-mates)."""
    return (
        actor.id != rep.id
        and actor.team_id is not None
        and actor.team_id == rep.team_id
        and actor.has_role(Role.REP)
    )


def can_recognise(actor: User, rep: User) -> bool:
    """The rep's coach, an admin or a team-mate; never oneself; only an active person."""
    if actor.id == rep.id or not actor.is_active or not rep.has_role(Role.REP):
        return False
    return can_coach_rep(actor, rep) or is_team_mate(actor, rep)


def require_recognise(actor: User, rep: User) -> None:
    if actor.id == rep.id:
        raise NotAllowed("You cannot recognise yourself.")
    if not can_recognise(actor, rep):
        raise NotAllowed("Only the rep's coach, an admin or a team-mate can recognise them.")


def can_see_recognition_of(actor: User, rep: User) -> bool:
    return can_view_person(actor, rep) or is_team_mate(actor, rep)


def require_see_recognition_of(actor: User, rep: User) -> None:
    if not can_see_recognition_of(actor, rep):
        raise NotAllowed("You can only see the recognition of your team or the reps you coach.")


def achievements_of(actor: User, rep: User, today: date | None = None) -> list[Achievement]:
    """What ``actor`` may recognise ``rep`` for, newest first within each kind (four queries
    at most); ``today`` (the rep's, by default) ends the weeks of figures offered."""
    require_recognise(actor, rep)
    milestones = db.session.execute(
        select(Milestone.id, Milestone.title)
        .join(Plan, Plan.id == Milestone.plan_id)
        .where(Plan.rep_id == rep.id, Milestone.status == MilestoneStatus.DONE)
        .order_by(Milestone.completed_at.desc(), Milestone.id.desc())
    )
    found = [Achievement(AchievementKind.MILESTONE, mid, title) for mid, title in milestones]
    names = stage_names()
    passed = db.session.execute(
        select(CertificationAttempt.id, CertificationAttempt.stage)
        .where(CertificationAttempt.rep_id == rep.id, CertificationAttempt.passed.is_(True))
        .order_by(CertificationAttempt.decided_at.desc(), CertificationAttempt.id.desc())
    )
    found += [
        Achievement(AchievementKind.CERTIFICATION, aid, f"Certified: {names.get(stage, stage)}")
        for aid, stage in passed
    ]
    if can_coach_rep(actor, rep):
        kept = db.session.execute(
            select(Commitment.id, Commitment.action)
            .where(Commitment.rep_id == rep.id, Commitment.outcome == Outcome.KEPT)
            .order_by(Commitment.reviewed_at.desc(), Commitment.id.desc())
        )
        found += [Achievement(AchievementKind.COMMITMENT, cid, action) for cid, action in kept]
    if can_view_figures(actor, rep):
        figures = recent_figures(rep, today or local_today(rep))
        found += [Achievement(AchievementKind.METRIC, 0, f.what, f) for f in figures]
    return found


def give_recognition(
    actor: User, rep: User, choice: str, note: str, key: str | None = None,
    today: date | None = None,
) -> Recognition:  # fmt: skip
    """Thank ``rep`` for the record ``choice`` names (``milestone:12``); the rep is notified.

    A repeated submission (same ``key``) answers with the first one's recognition.
    """
    require_recognise(actor, rep)
    note = " ".join(note.split())
    if not note:
        raise Invalid("Say in a few words what you are recognising.", field="note")
    if len(note) > NOTE_LENGTH:
        raise Invalid(f"Keep the note to {NOTE_LENGTH} characters.", field="note")
    chosen = {a.choice: a for a in achievements_of(actor, rep, today)}.get(choice)
    if chosen is None:  # not one of this rep's records (or not one the actor may use)
        raise Invalid(f"Choose one of {rep.first_name}'s achievements.", field="achievement")
    earlier = earlier_result(key, Recognition)
    if earlier is not None:
        return earlier
    recognition = Recognition(
        rep=rep, given_by=actor, team_id=rep.team_id, kind=chosen.kind,
        record_id=chosen.record_id, what=chosen.what[:200], note=note,
        metric=chosen.figure.metric.key if chosen.figure else None,
        week_start=chosen.figure.week_start if chosen.figure else None,
        created_at=datetime.now(UTC).replace(tzinfo=None),
    )  # fmt: skip
    db.session.add(recognition)
    db.session.flush()
    remember_result(key, recognition.id)
    notify(
        rep, NOTIFICATION_KIND,
        f"{actor.full_name} recognised you for “{chosen.what}”: {note}",
        recognition_link(rep.id), waits_on_recipient=True,
    )  # fmt: skip
    return recognition


def recognition_link(rep_id: int) -> str:
    return f"/recognition/reps/{rep_id}"


def _newest(query: Select[tuple[Recognition]]) -> Select[tuple[Recognition]]:
    return query.options(joinedload(Recognition.rep), joinedload(Recognition.given_by)).order_by(
        Recognition.created_at.desc(), Recognition.id.desc()
    )


def _feed_scope(actor: User) -> ColumnElement[bool]:
    """The recognition ``actor`` sees in the feed: their team's, their reps', their own."""
    if actor.sees_everyone:
        return Recognition.id.is_not(None)
    parts: list[ColumnElement[bool]] = [Recognition.rep_id == actor.id]
    if actor.team_id is not None:
        parts.append(Recognition.team_id == actor.team_id)
    if actor.has_role(Role.COACH):
        coached = select(User.id).where(User.coach_id == actor.id)
        parts.append(Recognition.rep_id.in_(coached))
    return or_(false(), *parts)


def team_feed(actor: User, request: PageRequest) -> Page[Recognition]:
    """The recent recognition ``actor`` may see, newest first, a page at a time."""
    return paginate_query(_newest(select(Recognition).where(_feed_scope(actor))), request)


def recognition_of(actor: User, rep: User, request: PageRequest) -> Page[Recognition]:
    """The recognition ``rep`` received, newest first, for someone who may see it."""
    require_see_recognition_of(actor, rep)
    return paginate_query(_newest(select(Recognition).where(Recognition.rep_id == rep.id)), request)


def recognisable_reps(actor: User) -> list[User]:
    """The reps ``actor`` may recognise, by name: their team-mates and reps (one query)."""
    if not actor.is_active:
        return []
    query = select(User).where(User.active.is_(True), User.id != actor.id)
    if not actor.has_role(Role.ADMIN):
        parts: list[ColumnElement[bool]] = []
        if actor.has_role(Role.COACH):
            parts.append(User.coach_id == actor.id)
        if actor.has_role(Role.REP) and actor.team_id is not None:
            parts.append(User.team_id == actor.team_id)
        query = query.where(or_(false(), *parts))
    people = db.session.scalars(query.order_by(User.full_name, User.id))
    return [person for person in people if can_recognise(actor, person)]
