"""The demo organisation: realistic people at every point of their ramp, for trying SalesRamp."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select, update

from app.accounts import resets
from app.accounts.models import Role, Team, User, UserRole
from app.accounts.passwords import hash_password
from app.accounts.service import local_today, organisation
from app.agreements.demo import clear_agreements, seed_agreements
from app.buddies.demo import clear_buddies, seed_buddies
from app.certification.demo import seed_certifications
from app.certification.models import (
    CertificationAttempt,
    CertificationStanding,
    ScheduledAssessment,
)
from app.coaching.demo import seed_coaching
from app.coaching.models import Debrief
from app.cohorts.models import CohortUpload
from app.curriculum.service import has_curriculum
from app.demo_large import seed_large_organisation
from app.demo_large.ramp import backdate_milestone
from app.disputes.demo import seed_disputes
from app.escalations.service import run_escalations
from app.extensions import db
from app.invitations.demo import seed_invitations
from app.invitations.models import Invitation
from app.metrics.demo import seed_activity
from app.notices.demo import clear_notices, demo_rep, seed_notices
from app.notifications.models import Notification
from app.plans import service as plans
from app.plans.demo import seed_pauses
from app.plans.models import MeasureKind, Milestone, MilestoneStatus, Plan
from app.quests.demo import seed_quests
from app.recognition.demo import seed_recognition
from app.surveys.demo import clear_listening, seed_ratings, seed_surveys
from app.webhooks.demo import clear_webhooks, seed_webhooks

DEMO_PASSWORD = "demo"
DEMO_DOMAIN = "demo.salesramp"


@dataclass(frozen=True)
class DemoRep:
    """A rep on a given day of their ramp, with how they have kept up so far."""

    name: str
    title: str
    plan: str
    day: int
    team: int
    timezone: str
    overdue: int = 0  # recent past-due milestones left undone
    long_overdue: bool = False  # the earliest one left undone too (at risk)
    awaiting: int = 0  # done but waiting for the coach to verify
    late: int = 0  # days after the due date every other milestone was done (the heatmap)


# Days each team's coach takes to verify (their accountability page): North quick, South slow.
VERIFY_DAYS = (1, 4)


REPS = (
    DemoRep("Ava Chen", "Sales Development Rep", "sdr-ramp", 12, 0, "Europe/London"),
    DemoRep("Ben Okafor", "Sales Development Rep", "sdr-ramp", 26, 0, "Europe/London", 1, late=3),
    DemoRep("Chloe Martin", "Account Executive", "ae-ramp", 40, 0, "Europe/Berlin", awaiting=2),
    DemoRep("Diego Alvarez", "Account Executive", "ae-ramp", 55, 1, "America/New_York", 3, late=5),
    DemoRep("Emma Schulz", "Sales Development Rep", "sdr-ramp", 70, 1, "Europe/Berlin", awaiting=1),
    DemoRep("Farid Haddad", "Account Executive", "ae-ramp", 85, 0, "Asia/Dubai", overdue=2),
    DemoRep("Grace Kim", "Sales Development Rep", "sdr-ramp", 3, 1, "America/Chicago"),
    DemoRep("Hiro Tanaka", "Account Executive", "ae-ramp", 33, 1, "Asia/Tokyo", long_overdue=True),
    DemoRep("Isla Novak", "Sales Development Rep", "sdr-ramp", 47, 0, "Europe/Prague"),
    DemoRep("Jonas Berg", "Account Executive", "ae-ramp", 62, 1, "Europe/Stockholm", 1, late=2),
)


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(User))


def clear_people() -> None:
    """Remove everyone and everything they own (plans cascade), keeping the curriculum."""
    clear_notices()
    clear_agreements()
    clear_webhooks()
    clear_buddies()
    clear_listening()
    for model in (
        Notification,
        Debrief,
        ScheduledAssessment,
        CertificationAttempt,
        CertificationStanding,
        Plan,
        Invitation,
        CohortUpload,
        UserRole,
        User,
        Team,
    ):
        db.session.execute(model.__table__.delete())
    db.session.flush()
    # The table deletes bypass the ORM: forget the rows the session still holds, or a new
    # person given a reused id would clash with a deleted one left in the identity map.
    db.session.expunge_all()


def seed_demo(now: datetime | None = None) -> list[User]:
    """Create the demo organisation; returns everyone created, admin first."""
    if not has_curriculum():
        raise RuntimeError("Load the curriculum first: flask --app app curriculum load")
    now = now or datetime.now(UTC)
    organisation().name = "Northwind Software"
    password_hash = hash_password(DEMO_PASSWORD)

    def person(local: str, name: str, title: str, *roles: Role, **extra: object) -> User:
        user = User(
            email=f"{local}@{DEMO_DOMAIN}",
            full_name=name,
            job_title=title,
            password_hash=password_hash,
            active=True,
            role_rows=[UserRole(role=role) for role in roles],
            **extra,
        )
        db.session.add(user)
        return user

    admin = person("admin", "Alex Morgan", "Revenue Operations Lead", Role.ADMIN)
    hr = person("hr", "Priya Shah", "People Partner", Role.HR)
    teams = [Team(name="Team North"), Team(name="Team South")]
    coaches = [
        person("coach1", "Maya Patel", "Sales Manager, North", Role.COACH, team=teams[0]),
        person("coach2", "Sam Rivera", "Sales Manager, South", Role.COACH, team=teams[1]),
    ]
    db.session.flush()
    people = [admin, hr, *coaches]
    for number, spec in enumerate(REPS, start=1):
        rep = person(
            f"rep{number}",
            spec.name,
            spec.title,
            Role.REP,
            team=teams[spec.team],
            coach=coaches[spec.team],
            timezone=spec.timezone,
        )
        db.session.flush()
        today = local_today(rep, now)
        rep.start_date = today - timedelta(days=spec.day - 1)
        plan = plans.assign_plan(coaches[spec.team], rep, spec.plan, rep.start_date)
        _play_ramp(spec, rep, coaches[spec.team], plan.milestones, today)
        people.append(rep)
    db.session.flush()
    seed_certifications(admin, coaches, people[4:], now)
    _seen_so_far(now)
    seed_coaching(coaches, people[4:], now)
    seed_agreements(hr, people[4:])
    # Diego's written notices under his revised improvement agreement: one signed, one a draft.
    diego = demo_rep(people, "Diego Alvarez")
    seed_notices(hr, diego, local_today(diego, now))
    # Grace Kim, on day 3, forgot her password: the admin's Outbox shows the email it sent
    # (written to instance/outbox/ by the job worker, or sent with SALESRAMP_MAIL_URL).
    resets.request_reset(f"rep7@{DEMO_DOMAIN}")
    seed_invitations(admin, teams, now)
    # What the hourly job would have raised by now: Hiro's long-overdue milestone reaches HR.
    run_escalations(today=now.date(), now=now.replace(tzinfo=None))
    seed_activity(hr, people[4:], local_today(hr, now))
    # Team North's leaderboard on, names hidden from peers; quests reached announced.
    seed_quests(coaches[0], teams[0], now.date())
    seed_webhooks(now)
    seed_disputes(people[4:], now)
    seed_pauses(hr, people[4:], now)
    seed_buddies(coaches, people[4:], now)
    seed_recognition(people[4:], now)
    seed_surveys(people[4:], now)
    seed_ratings(people[4:])
    return people


def _play_ramp(
    spec: DemoRep, rep: User, coach: User, milestones: list[Milestone], today: date
) -> None:
    """Act out the ramp so far through the same services the app uses."""
    past_due = [m for m in milestones if m.due_date < today]
    undone = set(m.id for m in past_due[len(past_due) - spec.overdue :]) if spec.overdue else set()
    if spec.long_overdue and past_due:
        undone |= {past_due[0].id, past_due[-1].id}
    awaiting = [m for m in past_due if m.id not in undone and m.requires_verification]
    awaiting_ids = {m.id for m in awaiting[-spec.awaiting :]} if spec.awaiting else set()
    early = [m for m in milestones if today <= m.due_date < today + timedelta(days=4)][:1]
    for number, milestone in enumerate([*past_due, *early]):
        if milestone.id in undone:
            if milestone.measure_kind == MeasureKind.NUMBER and milestone.target:
                plans.record_progress(rep, milestone, value=round(milestone.target * 0.6))
            continue
        _complete(rep, coach, milestone, verify=milestone.id not in awaiting_ids)
        late = spec.late if number % 2 else 0
        done_on = min(milestone.due_date + timedelta(days=late), today) - timedelta(days=1)
        backdate_milestone(milestone, done_on)
        _took_coach(milestone, VERIFY_DAYS[spec.team], today)


def _took_coach(milestone: Milestone, days: int, today: date) -> None:
    """A verified milestone waited some days for its coach (never past today)."""
    if milestone.verified_by_id is None or milestone.submitted_at is None:
        return
    verified = milestone.submitted_at + timedelta(days=days)
    latest = datetime.combine(today, datetime.min.time())
    milestone.completed_at = min(verified, max(latest, milestone.submitted_at))


def _seen_so_far(now: datetime) -> None:
    """The reps saw the decisions on their ramp and certifications so far as they were made."""
    seen = now.replace(tzinfo=None)
    db.session.execute(
        update(Notification).where(Notification.read_at.is_(None)).values(read_at=seen)
    )


def _complete(rep: User, coach: User, milestone: Milestone, verify: bool) -> None:
    if milestone.measure_kind == MeasureKind.CERTIFICATION:
        return  # completed by passing the certification: see seed_certifications
    value = milestone.target if milestone.measure_kind == MeasureKind.NUMBER else None
    plans.record_progress(rep, milestone, value=value, note=_note_for(milestone))
    if milestone.status == MilestoneStatus.SUBMITTED and verify:
        plans.verify(coach, milestone, "Checked in the CRM. Good work.")


def _note_for(milestone: Milestone) -> str:
    if milestone.measure_kind == MeasureKind.MEETING:
        return f"Met with {milestone.meeting_with or 'my coach'}; notes in the shared doc."
    return ""


@click.command("demo")
@click.option("--force", is_flag=True, help="Replace everyone in a database that has people.")
@click.option("--if-empty", is_flag=True, help="Seed only when there is nobody yet; else skip.")
@click.option(
    "--reps",
    type=click.IntRange(1, 20000),
    default=None,
    help="Build a large organisation of this many reps instead (teams of about 20).",
)
@with_appcontext
def demo_command(force: bool, if_empty: bool, reps: int | None) -> None:
    """Create the demo organisation (refuses on a database with people unless --force)."""
    if not database_is_empty():
        if if_empty:
            click.echo("The database has people already; the demo organisation was not seeded.")
            _print_logins(_demo_people())
            return
        if not force:
            click.echo("The database has people already. Use --force to replace them.", err=True)
            raise click.exceptions.Exit(1)
        clear_people()
    if reps is not None:
        _seed_large(reps)
        return
    try:
        people = seed_demo()
    except RuntimeError as error:
        click.echo(str(error), err=True)
        raise click.exceptions.Exit(1) from error
    db.session.commit()
    click.echo("Demo organisation ready.")
    _print_logins(people)
    # The demo makes no API token (a secret printed here would end up in shell histories).
    click.echo(
        "API: sign in, open the menu under your name, then API tokens; the reference is at "
        "/api/v1/docs."
    )


def _seed_large(reps: int) -> None:
    """The large organisation, committed one team at a time so memory stays flat."""
    started = time.perf_counter()
    try:
        built = seed_large_organisation(
            reps, end_batch=db.session.commit, progress=lambda line: click.echo(f"  {line}")
        )
    except RuntimeError as error:
        click.echo(str(error), err=True)
        raise click.exceptions.Exit(1) from error
    db.session.commit()
    click.echo(
        f"Large organisation ready: {built.reps} reps in {built.teams} teams "
        f"in {time.perf_counter() - started:.0f} s."
    )
    click.echo(f"Sign in with any of these (password '{DEMO_PASSWORD}'):")
    for email in (*built.admin_emails[:1], *built.hr_emails[:1], *built.coach_emails[:1]):
        click.echo(f"  {email}")
    click.echo(f"  {built.rep_emails[0]}  (and every rep<N>, coach<N>, hr<N>, admin<N>)")


def _demo_people() -> list[User]:
    query = select(User).where(User.email.like(f"%@{DEMO_DOMAIN}"), User.active.is_(True))
    return list(db.session.scalars(query.order_by(User.id)))


def _print_logins(people: list[User]) -> None:
    if not people:
        return
    click.echo(f"Sign in with any of these (password '{DEMO_PASSWORD}'):")
    for user in people:
        roles = ", ".join(role.label for role in sorted(user.roles))
        click.echo(f"  {user.email:<28} {roles:<8} {user.full_name}")
