"""Builds the large organisation one team at a time, committing (or flushing) after each."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select

from app.accounts.models import Role, User, UserRole
from app.accounts.passwords import hash_password
from app.accounts.service import organisation
from app.buddies.demo import pair_newest_hire
from app.certification.demo import _Demo as CertificationDemo
from app.curriculum.service import has_curriculum
from app.demo_large.activity import seed_a_year_of_activity
from app.demo_large.agreements import play_agreements, sealed_count
from app.demo_large.coaching import Coaching, backdate_notifications
from app.demo_large.people import DOMAIN, People, team_count
from app.demo_large.ramp import play_certifications, play_milestones
from app.derived import batched
from app.extensions import db
from app.notifications.models import Notification
from app.plans import service as plans
from app.recognition.demo import seed_recognition
from app.surveys.demo import seed_surveys

# Bump when the generator's output changes: ``make bench`` keys its cached database by it.
GENERATOR_VERSION = 2
PASSWORD = "demo"


@dataclass
class LargeOrganisation:
    """What was built: the logins a benchmark needs, and how long each part took."""

    reps: int
    teams: int
    hr_emails: list[str] = field(default_factory=list)
    admin_emails: list[str] = field(default_factory=list)
    coach_emails: list[str] = field(default_factory=list)
    rep_emails: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _noop() -> None:
    return None


def _quiet(message: str) -> None:
    return None


def seed_large_organisation(
    reps: int,
    *,
    seed: int = 2026,
    now: datetime | None = None,
    end_batch: Callable[[], None] = _noop,
    progress: Callable[[str], None] = _quiet,
) -> LargeOrganisation:
    """Create ``reps`` reps in teams of about twenty, with a year of history.

    ``end_batch`` runs after each team is flushed (the CLI commits there); the session is then
    emptied, so memory stays flat whatever the size.
    """
    if not has_curriculum():
        raise RuntimeError("Load the curriculum first: flask --app app curriculum load")
    now = now or datetime.now(UTC)
    started = time.perf_counter()
    organisation().name = "Northwind Software (large)"
    people = People(hash_password(PASSWORD))
    hr, admins = people.staff(reps)
    built = LargeOrganisation(reps=reps, teams=team_count(reps))
    built.hr_emails = [u.email for u in hr]
    built.admin_emails = [u.email for u in admins]
    hr_id, admin_id = hr[0].id, admins[0].id
    last_notification = db.session.scalar(select(func.max(Notification.id))) or 0
    coaching = Coaching(now)
    for team_number in range(1, built.teams + 1):
        # A team's summaries and stamps are written at the end of the team rather than after
        # each of its thousand-odd flushes: the same rows; for 100 reps 37,023 statements
        # instead of 57,859 on PostgreSQL, 40,618 instead of 57,560 on SQLite.
        with batched(db.session()):
            last_notification = _play_team(
                people, built, team_number, admin_id, coaching, now, seed, last_notification
            )
        end_batch()
        db.session.expunge_all()
        progress(f"team {team_number}/{built.teams}: {time.perf_counter() - started:.0f} s")
    built.seconds["people and history"] = time.perf_counter() - started

    started = time.perf_counter()
    hr_person = db.session.get(User, hr_id)
    assert hr_person is not None
    sample = _reps()
    made = play_agreements(hr_person, sample, sealed_count(reps), random.Random(seed))
    db.session.flush()
    end_batch()
    built.seconds["agreements"] = time.perf_counter() - started
    progress(f"{made} agreements, {sealed_count(reps)} sealed")

    started = time.perf_counter()
    hr_person = db.session.get_one(User, hr_id)
    rows = seed_a_year_of_activity(hr_person, DOMAIN, now.date(), seed, end_batch, progress)
    built.seconds["a year of activity"] = time.perf_counter() - started
    progress(f"{rows:,} days of activity imported")
    _listen(now)
    end_batch()
    return built


def _play_team(
    people: People,
    built: LargeOrganisation,
    team_number: int,
    admin_id: int,
    coaching: Coaching,
    now: datetime,
    seed: int,
    last_notification: int,
) -> int:
    """One team's coach and reps and their history; the last notification id backdated."""
    admin = db.session.get(User, admin_id)
    assert admin is not None
    team, coach = people.team(team_number)
    built.coach_emails.append(coach.email)
    certifications = CertificationDemo(admin, [coach], now)
    team_reps = []
    for number in range(team_number, built.reps + 1, built.teams):
        rng = random.Random(f"{seed}-{number}")
        rep, plan_key, today = people.rep(number, team, coach, rng, now)
        built.rep_emails.append(rep.email)
        assert rep.start_date is not None
        plan = plans.assign_plan(coach, rep, plan_key, rep.start_date)
        milestones = list(plan.milestones)
        play_milestones(rep, coach, milestones, today, rng)
        play_certifications(certifications, rep, coach, admin, milestones, today, rng)
        stages = sorted({m.stage for m in milestones if m.stage})
        coaching.play(coach, rep, stages, today, rng)
        team_reps.append(rep)
    pair_newest_hire(coach, team_reps)
    db.session.flush()
    last_notification = backdate_notifications(last_notification, now)
    db.session.flush()
    return last_notification


def _reps() -> list[User]:
    """The organisation's reps, in the order they were created (a team at a time)."""
    query = select(User).join(UserRole).where(UserRole.role == Role.REP)
    return list(db.session.scalars(query.where(User.email.like(f"%@{DOMAIN}")).order_by(User.id)))


def _listen(now: datetime) -> None:
    """Pulse answers from every rep past a checkpoint, and the demo's recognition in the first
    team (after the activity, so that a week of meetings booked can be recognised)."""
    reps = _reps()
    seed_surveys(reps, now)
    first_team = [rep for rep in reps if rep.team_id == reps[0].team_id] if reps else []
    if len(first_team) >= 10:
        seed_recognition(first_team, now)
    db.session.flush()
