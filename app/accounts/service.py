"""Accounts: signing in, passwords, and the admin's management of people and teams."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, lazyload

from app import once
from app.accounts import signins
from app.accounts.access import require_role
from app.accounts.models import Organisation, Role, Team, User, UserRole
from app.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from app.errors import ChangedMeanwhile, Invalid, NotAllowed
from app.extensions import db
from app.lookup import get_or_not_found
from app.pagination import Page, PageRequest, paginate_query
from app.security import service as security
from app.security.models import EventKind
from app.timezones import today_in
from app.transaction import forget

# Verifying against a real hash when the email is unknown keeps the response time the same,
# so the login form does not reveal which emails have accounts.
_DUMMY_HASH = hash_password("not-a-real-password")


def get_user(user_id: int) -> User:
    return get_or_not_found(User, user_id, "No such person.")


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


PASSWORD_SIGN_IN_CLOSED = (
    "Your organisation signs in with single sign-on only: use the single sign-on button "
    "below. Password sign-in is kept for the break-glass administrator."
)


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; upgrades outdated hashes on the way.

    Raises ``NotAllowed`` when the credentials are right but the organisation requires single
    sign-on of this person: said only after the password is checked, so the message tells
    nobody who does not know the password that the account exists.
    """
    user = find_by_email(email)
    if user is None or not user.has_password:  # unknown, or invited and not accepted yet
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    if organisation().password_sign_in_closed(user):
        raise NotAllowed(PASSWORD_SIGN_IN_CLOSED)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = datetime.now(UTC).replace(tzinfo=None)
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise Invalid("That is not your current password.", field="current_password")
    check_password_strength(new, "new_password", user.email, user.full_name)
    user.password_hash = hash_password(new)
    signins.end_all(user)  # a stolen session must not outlive the password it was opened with
    security.record(EventKind.PASSWORD_CHANGED, actor=user, subject=user)
    db.session.flush()


def check_password_strength(password: str, field: str, *personal: str) -> None:
    """Every password set through SalesRamp passes here (seeded demo data sets hashes directly)."""
    problem = password_problem(password, personal)
    if problem is not None:
        raise Invalid(problem, field=field)


@dataclass
class PersonDetails:
    """What an admin fills in for a person."""

    email: str
    full_name: str
    job_title: str = ""
    start_date: date | None = None
    timezone: str = "UTC"
    roles: Iterable[Role] = (Role.REP,)
    coach_id: int | None = None
    team_id: int | None = None
    employee_id: str = ""  # the HR system's id; blank for none


def create_user(actor: User, details: PersonDetails) -> User:
    """Add a person without a password: they choose one from their invitation
    (``app.invitations``), and cannot sign in before."""
    require_role(actor, Role.ADMIN)
    user = User(password_hash="", active=True)
    _apply_details(user, details)
    db.session.add(user)
    db.session.flush()
    security.record(
        EventKind.PERSON_CREATED, actor=actor, subject=user, detail=f"roles: {_roles(user)}"
    )
    return user


def update_user(
    actor: User, user: User, details: PersonDetails, version: int | None = None
) -> None:
    """Save an admin's edit of a person, unless someone saved the person since it was loaded.

    ``version`` is the person's ``row_version`` the form was loaded at. The row is locked and
    read again first, so of two admins saving at once the second is told, not overwritten.
    """
    require_role(actor, Role.ADMIN)
    once.lock(user, User.active)
    if version is not None and version != user.row_version:
        raise ChangedMeanwhile(
            f"Someone else changed {user.full_name} after you opened this page. "
            "Here is the current version: check it and save again."
        )
    before = _roles(user)
    _apply_details(user, details)
    if Role.ADMIN not in user.roles:
        _keep_break_glass_admin(user, "take away the Admin role of")
    user.row_version = user.row_version + 1
    db.session.flush()
    if _roles(user) != before:
        signins.end_all(user)  # sessions opened under the old roles end with them
        detail = f"roles: {before} -> {_roles(user)}"
        security.record(EventKind.ROLES_CHANGED, actor=actor, subject=user, detail=detail)


def _roles(user: User) -> str:
    return ", ".join(sorted(row.role.value for row in user.role_rows)) or "none"


def set_active(actor: User, user: User, active: bool) -> None:
    """Deactivated people cannot sign in; everything they did stays on record.

    Idempotent: it sets the state asked for, never the opposite of the current one, so a
    repeated or concurrent request ends in the same state.
    """
    require_role(actor, Role.ADMIN)
    if user.id == actor.id and not active:
        raise Invalid("You cannot deactivate your own account.")
    if not active:
        _keep_break_glass_admin(user, "deactivate")
    if user.active != active:
        user.active = active
        if not active:
            signins.end_all(user)
        db.session.flush()
        kind = EventKind.REACTIVATED if active else EventKind.DEACTIVATED
        security.record(kind, actor=actor, subject=user)


def _keep_break_glass_admin(user: User, change: str) -> None:
    """While single sign-on is required, its break-glass admin stays an active admin."""
    org = organisation()
    if org.sso_required and org.sso_break_glass_admin_id == user.id:
        raise Invalid(
            f"You cannot {change} {user.full_name}: they are the break-glass admin who may "
            "sign in with a password while single sign-on is required. Choose another one "
            "in the single sign-on settings first."
        )


def reset_password(actor: User, user: User, password: str) -> None:
    require_role(actor, Role.ADMIN)
    if not user.has_password:  # invited people choose their own, from their link
        raise Invalid(
            f"{user.full_name} has not accepted their invitation yet: send it again instead.",
            field="password",
        )
    check_password_strength(password, "password", user.email, user.full_name)
    user.password_hash = hash_password(password)
    signins.end_all(user)
    security.record(EventKind.PASSWORD_RESET, actor=actor, subject=user, detail="set by an admin")
    db.session.flush()


def _apply_details(user: User, details: PersonDetails) -> None:
    email = details.email.strip().lower()
    existing = find_by_email(email)
    if existing is not None and existing.id != user.id:
        raise Invalid("Someone already has this email address.", field="email")
    try:
        ZoneInfo(details.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid("Choose a time zone from the list.", field="timezone") from exc
    roles = set(details.roles)
    if not roles:
        raise Invalid("Give the person at least one role.", field="roles")
    if details.coach_id is not None:
        coach = db.session.get(User, details.coach_id)
        if coach is None or not coach.has_role(Role.COACH):
            raise Invalid("The coach must be someone with the Coach role.", field="coach_id")
        if user.id is not None and coach.id == user.id:
            raise Invalid("A person cannot coach themselves.", field="coach_id")
    if details.team_id is not None and db.session.get(Team, details.team_id) is None:
        raise Invalid("Choose an existing team.", field="team_id")
    employee_id = details.employee_id.strip() or None
    if employee_id is not None and employee_id != user.employee_id:
        holder = db.session.scalar(select(User).where(User.employee_id == employee_id))
        if holder is not None and holder.id != user.id:
            raise Invalid(f"{holder.full_name} has this employee id.", field="employee_id")
    user.employee_id = employee_id
    user.email = email
    user.full_name = details.full_name.strip()
    user.job_title = details.job_title.strip()
    user.start_date = details.start_date
    user.timezone = details.timezone
    user.coach_id = details.coach_id
    user.team_id = details.team_id
    user.role_rows = [UserRole(role=role) for role in sorted(roles)]


def list_people(actor: User, include_inactive: bool = True) -> list[User]:
    require_role(actor, Role.ADMIN, Role.HR)
    query = select(User).order_by(User.full_name)
    if not include_inactive:
        query = query.where(User.active.is_(True))
    return list(db.session.scalars(query))


PEOPLE_SORTS = ("name", "email", "role", "team", "coach", "status")


def people_page(actor: User, request: PageRequest, team_id: int | None = None) -> Page[User]:
    """A page of everyone (the deactivated too), searched by name or email, with team and coach.

    Sorting by role sorts by each person's first role; by status, the active first.
    """
    require_role(actor, Role.ADMIN, Role.HR)
    coach = aliased(User)
    first_role = (
        select(func.min(UserRole.role)).where(UserRole.user_id == User.id).scalar_subquery()
    )
    columns = {
        "name": User.full_name,
        "email": User.email,
        "role": first_role,
        "team": Team.name,
        "coach": coach.full_name,
        "status": User.active.desc(),
    }
    column = columns.get(request.sort, User.full_name)
    if request.sort != "status":
        # Nobody's team or coach sorts before every name, on PostgreSQL as on SQLite.
        column = column.desc().nulls_last() if request.descending else column.asc().nulls_first()
    elif request.descending:
        column = User.active.asc()
    query = (
        select(User)
        .outerjoin(Team, Team.id == User.team_id)
        .outerjoin(coach, coach.id == User.coach_id)
        # The team and coach come with the page's rows (the query joins them to sort by them);
        # the coach's own roles are not shown.
        .options(
            contains_eager(User.team),
            contains_eager(User.coach.of_type(coach)).options(lazyload(coach.role_rows)),
        )
        .order_by(column, User.full_name, User.id)
    )
    if request.search:
        query = query.where(
            or_(
                User.full_name.icontains(request.search, autoescape=True),
                User.email.icontains(request.search, autoescape=True),
            )
        )
    if team_id:
        query = query.where(User.team_id == team_id)
    return paginate_query(query, request)


def team_member_counts() -> dict[int, int]:
    """How many people each team has, counted in SQL (teams without members are absent)."""
    rows = db.session.execute(
        select(User.team_id, func.count(User.id))
        .where(User.team_id.is_not(None))
        .group_by(User.team_id)
    )
    return {team_id: count for team_id, count in rows if team_id is not None}


def active_people_with(role: Role) -> list[User]:
    """Active people who hold ``role``, by name, with their roles: one query.

    The roles come joined (not lazily per person), since callers ask each person's roles
    (notification defaults differ for coaches).
    """
    holders = select(UserRole.user_id).where(UserRole.role == role)
    query = (
        select(User)
        .options(joinedload(User.role_rows))
        .where(User.id.in_(holders), User.active.is_(True))
        .order_by(User.full_name, User.id)
    )
    return list(db.session.scalars(query).unique())


def coach_choices() -> list[tuple[int, str]]:
    """Active coaches' ids and names, by name: for filters and pickers, which need no more
    (loading fifty people with their roles cost a list page two milliseconds)."""
    query = (
        select(User.id, User.full_name)
        .join(UserRole)
        .where(UserRole.role == Role.COACH, User.active.is_(True))
        .order_by(User.full_name)
    )
    return [(coach_id, name) for coach_id, name in db.session.execute(query)]


def teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def teams_for(actor: User) -> list[Team]:
    """The teams a filter offers: every team to HR and admins, a coach only their reps' teams."""
    query = select(Team).order_by(Team.name)
    if not actor.sees_everyone:
        coached = exists().where(User.team_id == Team.id, User.coach_id == actor.id)
        query = query.where(coached)
    return list(db.session.scalars(query))


def create_team(actor: User, name: str) -> Team:
    require_role(actor, Role.ADMIN)
    name = name.strip()
    if not name:
        raise Invalid("Give the team a name.", field="name")
    if db.session.scalar(select(Team).where(func.lower(Team.name) == name.lower())):
        raise Invalid("A team with this name exists already.", field="name")
    team = Team(name=name)
    db.session.add(team)
    db.session.flush()
    return team


def organisation() -> Organisation:
    """The organisation's settings row, created with defaults the first time it is asked for."""
    org = db.session.get(Organisation, 1)
    if org is None:
        org = Organisation(
            id=1,
            name="SalesRamp",
            business_days=False,
            turnaround_days=2,
            debriefs_per_rep_month=2,
        )
        db.session.add(org)
        db.session.flush()
    return org


def update_organisation(
    actor: User,
    name: str,
    business_days: bool,
    turnaround_days: int | None = None,
    debriefs_per_rep_month: int | None = None,
) -> Organisation:
    require_role(actor, Role.ADMIN)
    org = organisation()
    org.name = name.strip() or org.name
    forget("mail.organisation_name")  # emails queued later in this transaction say the new one
    org.business_days = business_days
    if turnaround_days is not None:
        if not 1 <= turnaround_days <= 30:
            raise Invalid("Between 1 and 30 days.", field="turnaround_days")
        org.turnaround_days = turnaround_days
    if debriefs_per_rep_month is not None:
        if not 1 <= debriefs_per_rep_month <= 20:
            raise Invalid("Between 1 and 20 debriefs.", field="debriefs_per_rep_month")
        org.debriefs_per_rep_month = debriefs_per_rep_month
    db.session.flush()
    return org


def local_today(user: User, now: datetime | None = None) -> date:
    """Today's date where the person is, so "due today" means their today."""
    return today_in(user.timezone, now)
