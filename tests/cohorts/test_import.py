"""Cohort import as a service: preview, all-or-nothing import, re-import, plans and invitations."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.cohorts import service
from app.cohorts.csvformat import COLUMNS
from app.cohorts.service import Action
from app.errors import Conflict, Invalid
from app.extensions import db
from app.invitations import service as invitations
from app.plans.models import Plan
from tests.invitations.links import invitation_mails
from tests.querycount import counting_queries

HEADER = ",".join(COLUMNS)


@pytest.fixture
def org(make_user, make_team, curriculum):
    admin = make_user(Role.ADMIN, name="Alex Admin")
    coach = make_user(Role.COACH, name="Casey Coach")
    team = make_team("Team North")
    return admin, coach, team


def cohort(coach, rows=2, start=0):
    lines = [HEADER]
    for n in range(start, start + rows):
        lines.append(
            f"Hire {n:03d},hire{n}@example.com,rep,SDR,team north,{coach.email},2027-01-11,"
            f"E{n},sdr-ramp"
        )
    return "\n".join(lines) + "\n"


def people_count():
    return db.session.scalar(select(func.count(User.id)))


def test_the_preview_says_what_will_be_created_updated_and_left_alone(org, make_user):
    admin, coach, _team = org
    existing = make_user(Role.REP, name="Old Name")
    existing.employee_id = "E7"
    db.session.commit()
    text = (
        cohort(coach, rows=1)
        + f"New Name,{existing.email},rep,,,,,E7,\n"
        + f"{coach.full_name},{coach.email},coach,,,,,,\n"
    )
    found = service.preview(admin, text)
    assert found.ok, found.problems
    assert [row.action for row in found.rows] == [Action.CREATE, Action.UPDATE, Action.UNCHANGED]
    assert found.rows[1].changes == ["Name: Old Name → New Name"]
    assert people_count() == 3  # a preview changes nothing


def test_importing_creates_invites_and_assigns_plans_then_a_reimport_changes_nothing(org):
    admin, coach, team = org
    text = cohort(coach, rows=3)
    result = service.import_text(admin, text)
    db.session.commit()
    assert (result.created, result.invited, result.plans) == (3, 3, 3)
    hire = db.session.scalar(select(User).where(User.email == "hire1@example.com"))
    assert (hire.full_name, hire.team, hire.coach, hire.employee_id) == (
        "Hire 001",
        team,
        coach,
        "E1",
    )
    assert hire.roles == {Role.REP} and not hire.has_password
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == hire.id))
    assert (plan.template.template_key, plan.start_date) == ("sdr-ramp", date(2027, 1, 11))
    assert len(invitation_mails("hire1@example.com")) == 1
    assert invitations.invitation_of(hire) is not None

    again = service.preview(admin, text)
    assert {row.action for row in again.rows} == {Action.UNCHANGED}
    result = service.import_text(admin, text)
    db.session.commit()
    assert (result.created, result.updated, result.unchanged, result.plans) == (0, 0, 3, 0)
    assert len(invitation_mails("hire1@example.com")) == 1  # invited once
    assert db.session.scalar(select(func.count(Plan.id)).where(Plan.rep_id == hire.id)) == 1


def test_a_person_is_matched_on_the_employee_id_when_the_email_changed(org):
    admin, coach, _team = org
    service.import_text(admin, cohort(coach, rows=1))
    db.session.commit()
    moved = cohort(coach, rows=1).replace("hire0@example.com", "hire.zero@example.com")
    found = service.preview(admin, moved)
    [row] = found.rows
    assert row.action == Action.UPDATE
    assert row.changes == ["Email: hire0@example.com → hire.zero@example.com"]


def test_any_bad_row_stops_the_whole_import(org):
    admin, coach, _team = org
    text = (
        cohort(coach, rows=2)
        + "Lost Soul,lost@example.com,rep,,Team Nowhere,,,,\n"
        + "Self Coached,self@example.com,rep,,,nobody@example.com,,,\n"
        + "No Start,nostart@example.com,rep,,,,,,sdr-ramp\n"
        + "Not Rep,hr.person@example.com,hr,,,,2027-01-11,,sdr-ramp\n"
        + "Bad Plan,badplan@example.com,rep,,,,2027-01-11,,no-such-plan\n"
    )
    before = people_count()
    found = service.preview(admin, text)
    problems = {problem.line: problem.message for problem in found.problems}
    assert problems[4] == "There is no team 'Team Nowhere': add it under Teams first."
    assert "nobody@example.com" in problems[5]
    assert "needs a start_date" in problems[6]
    assert "for reps" in problems[7]
    assert "no plan template 'no-such-plan'" in problems[8]
    with pytest.raises(Invalid, match="5 row"):
        service.import_text(admin, text)
    db.session.rollback()
    assert people_count() == before


def test_an_email_and_employee_id_of_two_different_people_is_a_problem(org, make_user):
    admin, coach, _team = org
    other = make_user(Role.REP, name="Other Person")
    other.employee_id = "E0"
    db.session.commit()
    text = cohort(coach, rows=1).replace("hire0@example.com", coach.email)
    found = service.preview(admin, text.replace(",rep,", ",coach,").replace(",sdr-ramp", ","))
    assert "Other Person" in found.problems[0].message


def test_a_stale_preview_is_refused(org, make_user):
    admin, coach, _team = org
    stored = service.upload(admin, "cohort.csv", cohort(coach, rows=2).encode())
    fingerprint = service.preview(admin, stored.content).fingerprint
    service.import_text(admin, cohort(coach, rows=1))  # someone imported one of them meanwhile
    with pytest.raises(Conflict, match="changed since this preview"):
        service.import_upload(admin, stored, fingerprint, key="k1")


def test_a_confirm_sent_twice_imports_once(org):
    admin, coach, _team = org
    stored = service.upload(admin, "cohort.csv", cohort(coach, rows=2).encode())
    fingerprint = service.preview(admin, stored.content).fingerprint
    first = service.import_upload(admin, stored, fingerprint, key="confirm-1")
    db.session.commit()
    again = service.import_upload(admin, stored, fingerprint, key="confirm-1")
    db.session.commit()
    assert first.created == again.created == 2
    assert people_count() == 4
    assert len(invitation_mails("hire0@example.com")) == 1


def test_an_upload_is_only_for_the_admin_who_made_it(org, make_user):
    admin, coach, _team = org
    stored = service.upload(admin, "cohort.csv", cohort(coach).encode())
    other_admin = make_user(Role.ADMIN)
    with pytest.raises(Exception, match="No such upload"):
        service.get_upload(other_admin, stored.id)


def test_an_unreadable_upload_is_refused_with_the_reason(org):
    admin, _coach, _team = org
    with pytest.raises(Invalid, match="UTF-8") as error:
        service.upload(
            admin, "cohort.csv", "name,email,role\nJosé,j@example.com,rep\n".encode("cp1252")
        )
    assert error.value.field == "file"


def test_the_lookups_do_not_grow_with_the_cohort(org):
    """Teams, coaches, people, templates and plans are read in a fixed number of queries."""
    admin, coach, _team = org

    def preview_queries(rows, start):
        text = cohort(coach, rows=rows, start=start)
        db.session.expire_all()
        with counting_queries() as statements:
            service.preview(admin, text)
        return len(statements)

    assert preview_queries(5, 0) == preview_queries(50, 100)  # everyone new
    service.import_text(admin, cohort(coach, rows=5, start=0))
    service.import_text(admin, cohort(coach, rows=50, start=100))
    db.session.commit()
    assert preview_queries(5, 0) == preview_queries(50, 100)  # everyone there already
