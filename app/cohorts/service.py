"""Cohort import: a CSV of new hires, previewed, then imported all or nothing.

The upload is stored (``CohortUpload``) and the import reads that stored text, never a second
upload; the preview's fingerprint (a hash of the file and of everything the import will do)
goes with the confirm button, and the import refuses if what it would do now differs (someone
added one of these people meanwhile). People are matched on email or employee id, so importing
the same file again changes nothing. Lookups of people, teams, coaches, plan templates and plans
are a fixed number of queries whatever the size of the file; the writes are flushed together.

An existing person's details (name, job title, team, coach, start date, a missing employee id)
are updated from the file; their roles are left as they are, and they are given a plan only if
they are a rep without one. New people are invited (``app.invitations``) and reps get the plan
the file names from its start date (``app.plans``).
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app import once
from app.accounts.access import require_role
from app.accounts.models import Role, Team, User, UserRole
from app.cohorts.csvformat import CohortRow, FileProblem, RowProblem, decode, parse
from app.cohorts.models import CohortUpload
from app.curriculum.service import current_plan_templates
from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.invitations import service as invitations
from app.lookup import get_or_not_found
from app.plans import service as plans
from app.security import service as security
from app.security.models import EventKind

MAX_FILE_BYTES = 1024 * 1024


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass
class PlannedRow:
    """What the import does with one row of the file."""

    line: int
    action: Action
    row: CohortRow
    person: User | None = None  # the existing person, for updates and unchanged rows
    changes: list[str] = field(default_factory=list)  # "Job title: SDR -> AE"
    plan: str = ""  # the plan template to assign, if any
    # Resolved values, for the writes.
    team: Team | None = None
    coach: User | None = None


@dataclass
class Preview:
    rows: list[PlannedRow]
    problems: list[RowProblem]
    fingerprint: str

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    invited: int
    plans: int


def upload(actor: User, filename: str, data: bytes) -> CohortUpload:
    """Keep an uploaded file for its preview; a file that cannot be read at all is refused."""
    require_role(actor, Role.ADMIN)
    if len(data) > MAX_FILE_BYTES:
        raise Invalid(
            f"The file is larger than {MAX_FILE_BYTES // 1024} KB: split it.", field="file"
        )
    try:
        text = decode(data)
        parse(text)
    except FileProblem as problem:
        raise Invalid(str(problem), field="file") from problem
    stored = CohortUpload(
        uploaded_by_id=actor.id, uploaded_at=now(), filename=filename[:255], content=text
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def get_upload(actor: User, upload_id: int) -> CohortUpload:
    """An upload, only for the admin who made it (anyone else: not found)."""
    require_role(actor, Role.ADMIN)
    stored = get_or_not_found(CohortUpload, upload_id, "No such upload.")
    if stored.uploaded_by_id != actor.id:
        raise NotFound("No such upload.")
    return stored


def preview(actor: User, text: str) -> Preview:
    """What importing ``text`` would do now, row by row, or every problem by row number."""
    require_role(actor, Role.ADMIN)
    try:
        parsed = parse(text)
    except FileProblem as problem:
        return Preview([], [RowProblem(1, str(problem))], "")
    world = _World.load(parsed.rows)
    planned, problems = [], list(parsed.problems)
    for row in parsed.rows:
        try:
            planned.append(world.plan(row))
        except Invalid as error:
            problems.append(RowProblem(row.line, error.message))
    problems.sort(key=lambda problem: problem.line)
    return Preview(planned, problems, _fingerprint(text, planned))


def _fingerprint(text: str, planned: Sequence[PlannedRow]) -> str:
    digest = hashlib.sha256(text.encode())
    for row in planned:
        digest.update(f"\n{row.line}|{row.action}|{row.plan}|{'|'.join(row.changes)}".encode())
    return digest.hexdigest()


def import_upload(
    actor: User, stored: CohortUpload, fingerprint: str, key: str | None = None
) -> ImportResult:
    """Import what was previewed, all or nothing; a repeated confirm imports once.

    Refused (``Conflict``) when the preview no longer holds: its fingerprint differs from what
    the import would do now. Refused (``Invalid``) when any row has a problem.
    """
    require_role(actor, Role.ADMIN)
    if once.repeated(key, stored, CohortUpload.created) or stored.imported_at is not None:
        return ImportResult(stored.created, stored.updated, 0, stored.created, 0)
    result = _import(actor, stored.content, fingerprint)
    stored.imported_at = now()
    stored.created, stored.updated = result.created, result.updated
    db.session.flush()
    return result


def import_text(actor: User, text: str, fingerprint: str | None = None) -> ImportResult:
    """Import a file's text at once (the CLI): the same checks, and no preview to compare."""
    return _import(actor, text, fingerprint)


def _import(actor: User, text: str, fingerprint: str | None) -> ImportResult:
    found = preview(actor, text)
    if not found.ok:
        raise Invalid(f"{len(found.problems)} row(s) have problems; nothing was imported.")
    if fingerprint is not None and fingerprint != found.fingerprint:
        raise Conflict(
            "The people in SalesRamp changed since this preview, so it no longer says what the "
            "import would do. Check the new preview and import again."
        )
    created = _create(actor, [row for row in found.rows if row.action == Action.CREATE])
    updates = [row for row in found.rows if row.action == Action.UPDATE]
    for planned in updates:
        _update(planned)
    db.session.flush()
    invited = invitations.invite_new_people(actor, created) if created else []
    people = {planned.row.email: planned.person for planned in found.rows if planned.person}
    people.update({user.email: user for user in created})
    assignments = [
        (people[p.row.email], p.plan, p.row.start_date)
        for p in found.rows
        if p.plan and p.row.start_date
    ]
    assigned = plans.assign_first_plans(actor, assignments) if assignments else []
    security.record(
        EventKind.COHORT_IMPORTED,
        actor=actor,
        detail=f"{len(created)} created, {len(updates)} updated, {len(assigned)} plans",
    )
    return ImportResult(
        created=len(created),
        updated=len(updates),
        unchanged=found.count(Action.UNCHANGED),
        invited=len(invited),
        plans=len(assigned),
    )


def _create(actor: User, rows: Sequence[PlannedRow]) -> list[User]:
    users = []
    for planned in rows:
        row = planned.row
        user = User(
            email=row.email,
            full_name=row.name,
            job_title=row.job_title,
            start_date=row.start_date,
            timezone="UTC",
            password_hash="",
            active=True,
            employee_id=row.employee_id or None,
            team=planned.team,
            coach=planned.coach,
            role_rows=[UserRole(role=role) for role in sorted(row.roles)],
        )
        users.append(user)
    db.session.add_all(users)
    db.session.flush()
    for user in users:
        detail = "roles: " + ", ".join(sorted(r.role.value for r in user.role_rows))
        security.record(
            EventKind.PERSON_CREATED, actor=actor, subject=user, detail=detail + " (cohort import)"
        )
    return users


def _update(planned: PlannedRow) -> None:
    person, row = planned.person, planned.row
    assert person is not None
    person.full_name = row.name
    person.email = row.email
    if row.job_title:
        person.job_title = row.job_title
    if row.team:
        person.team = planned.team
    if row.coach_email:
        person.coach = planned.coach
    if row.start_date:
        person.start_date = row.start_date
    if row.employee_id:
        person.employee_id = row.employee_id
    person.row_version = person.row_version + 1


@dataclass
class _World:
    """Everything the rows refer to, read in a fixed number of queries."""

    by_email: dict[str, User]
    by_employee_id: dict[str, User]
    teams: dict[str, Team]
    templates: set[str]
    has_plan: set[int]

    @classmethod
    def load(cls, rows: Sequence[CohortRow]) -> _World:
        emails = {row.email for row in rows} | {row.coach_email for row in rows if row.coach_email}
        ids = {row.employee_id for row in rows if row.employee_id}
        people = (
            list(
                db.session.scalars(
                    select(User)
                    .where(
                        or_(
                            func.lower(User.email).in_(sorted(emails)),
                            User.employee_id.in_(sorted(ids)),
                        )
                    )
                    .options(selectinload(User.team), selectinload(User.coach))
                )
            )
            if rows
            else []
        )
        by_email = {person.email.lower(): person for person in people}
        by_id = {person.employee_id: person for person in people if person.employee_id}
        teams = {team.name.lower(): team for team in db.session.scalars(select(Team))}
        templates = {template.template_key for template in current_plan_templates()}
        planned = plans.active_plans_of([person.id for person in people])
        return cls(by_email, by_id, teams, templates, set(planned))

    def plan(self, row: CohortRow) -> PlannedRow:
        by_email = self.by_email.get(row.email)
        by_id = self.by_employee_id.get(row.employee_id) if row.employee_id else None
        if by_email and by_id and by_email.id != by_id.id:
            raise Invalid(
                f"The email is {by_email.full_name}'s but employee_id {row.employee_id} is "
                f"{by_id.full_name}'s."
            )
        person = by_email or by_id
        team = self._team(row)
        coach = self._coach(row, person)
        roles = person.roles if person else row.roles
        plan = self._plan(row, person, roles)
        if person is None:
            return PlannedRow(row.line, Action.CREATE, row, None, [], plan, team, coach)
        changes = self._changes(row, person, team, coach)
        if plan:
            changes.append(f"Plan: {plan} from {row.start_date:%Y-%m-%d}")
        action = Action.UPDATE if changes else Action.UNCHANGED
        return PlannedRow(row.line, action, row, person, changes, plan, team, coach)

    def _team(self, row: CohortRow) -> Team | None:
        if not row.team:
            return None
        team = self.teams.get(row.team.lower())
        if team is None:
            raise Invalid(f"There is no team {row.team!r}: add it under Teams first.")
        return team

    def _coach(self, row: CohortRow, person: User | None) -> User | None:
        if not row.coach_email:
            return None
        coach = self.by_email.get(row.coach_email)
        if coach is None or not coach.active or not coach.has_role(Role.COACH):
            raise Invalid(f"Nobody active with the Coach role has the email {row.coach_email}.")
        if coach.email.lower() == row.email or (person is not None and coach.id == person.id):
            raise Invalid("A person cannot coach themselves.")
        return coach

    def _plan(self, row: CohortRow, person: User | None, roles: frozenset[Role]) -> str:
        if not row.plan_template:
            return ""
        if row.plan_template not in self.templates:
            known = ", ".join(sorted(self.templates)) or "none loaded"
            raise Invalid(f"There is no plan template {row.plan_template!r} (there are: {known}).")
        if Role.REP not in roles:
            raise Invalid("A plan_template is for reps; this person is not a rep.")
        if row.start_date is None:
            raise Invalid("A plan_template needs a start_date: the plan's day 1.")
        if person is not None and person.id in self.has_plan:
            return ""  # a rep with a plan keeps it; assigning another is done on their page
        return row.plan_template

    @staticmethod
    def _changes(row: CohortRow, person: User, team: Team | None, coach: User | None) -> list[str]:
        if person.employee_id and row.employee_id and person.employee_id != row.employee_id:
            raise Invalid(
                f"{person.full_name} has employee_id {person.employee_id} in SalesRamp, "
                f"the file says {row.employee_id}."
            )
        changes = []
        pairs = [
            ("Name", person.full_name, row.name),
            ("Email", person.email, row.email),
            ("Job title", person.job_title, row.job_title or person.job_title),
            (
                "Team",
                person.team.name if person.team else "",
                team.name if team else (person.team.name if person.team else ""),
            ),
            (
                "Coach",
                person.coach.email if person.coach else "",
                coach.email if coach else (person.coach.email if person.coach else ""),
            ),
            (
                "Start date",
                str(person.start_date or ""),
                str(row.start_date or person.start_date or ""),
            ),
            ("Employee id", person.employee_id or "", row.employee_id or person.employee_id or ""),
        ]
        for label, before, after in pairs:
            if before != after:
                changes.append(f"{label}: {before or '—'} → {after}")
        return changes
