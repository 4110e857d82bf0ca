"""The accounts service: signing in, passwords, and the admin's management of people."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.accounts import service
from app.accounts.models import Role, User
from app.accounts.passwords import MIN_PASSWORD_LENGTH, verify_password
from app.accounts.service import PersonDetails
from app.errors import Invalid, NotAllowed
from app.extensions import db
from tests.conftest import PASSWORD

NEW_PASSWORD = "a much longer passphrase"


def details(**changes) -> PersonDetails:
    fields = {
        "email": "new.rep@example.com",
        "full_name": "New Rep",
        "job_title": "Sales Development Rep",
        "start_date": date(2025, 3, 3),
        "timezone": "Europe/Berlin",
        "roles": [Role.REP],
        **changes,
    }
    return PersonDetails(**fields)


# --- signing in -----------------------------------------------------------------------------


def test_authenticate_with_the_right_password(make_user):
    user = make_user(Role.REP)
    assert user.last_login_at is None
    assert service.authenticate(user.email, PASSWORD) == user
    assert user.last_login_at is not None


def test_authenticate_ignores_the_case_and_spaces_of_the_email(make_user):
    user = make_user(Role.REP)
    assert service.authenticate(f"  {user.email.upper()} ", PASSWORD) == user


def test_authenticate_refuses_a_wrong_password(make_user):
    user = make_user(Role.REP)
    assert service.authenticate(user.email, PASSWORD + "x") is None
    assert service.authenticate(user.email, "") is None
    assert user.last_login_at is None


def test_authenticate_refuses_an_unknown_email(make_user):
    make_user(Role.REP)
    assert service.authenticate("nobody@example.com", PASSWORD) is None


def test_authenticate_refuses_a_deactivated_user(make_user):
    user = make_user(Role.REP, active=False)
    assert service.authenticate(user.email, PASSWORD) is None
    assert user.last_login_at is None


# --- own password ---------------------------------------------------------------------------


def test_change_password(make_user):
    user = make_user(Role.REP)
    service.change_password(user, PASSWORD, NEW_PASSWORD)
    db.session.commit()
    assert service.authenticate(user.email, NEW_PASSWORD) == user
    assert service.authenticate(user.email, PASSWORD) is None


def test_change_password_needs_the_current_password(make_user):
    user = make_user(Role.REP)
    with pytest.raises(Invalid) as error:
        service.change_password(user, "not my password", NEW_PASSWORD)
    assert error.value.field == "current_password"
    assert verify_password(user.password_hash, PASSWORD)


def test_a_new_password_must_be_long_enough(make_user):
    user = make_user(Role.REP)
    short = "x" * (MIN_PASSWORD_LENGTH - 1)
    with pytest.raises(Invalid) as error:
        service.change_password(user, PASSWORD, short)
    assert error.value.field == "new_password"
    assert verify_password(user.password_hash, PASSWORD)
    service.change_password(user, PASSWORD, "a much longer phrase")
    assert verify_password(user.password_hash, "a much longer phrase")


# --- managing people ------------------------------------------------------------------------


def test_admin_creates_a_person_who_cannot_sign_in_before_choosing_a_password(make_user, make_team):
    admin = make_user(Role.ADMIN)
    coach = make_user(Role.COACH)
    team = make_team("South")

    user = service.create_user(
        admin,
        details(email=" New.Rep@Example.com ", coach_id=coach.id, team_id=team.id),
    )
    db.session.commit()

    assert user.email == "new.rep@example.com"
    assert (user.full_name, user.job_title, user.timezone) == (
        "New Rep",
        "Sales Development Rep",
        "Europe/Berlin",
    )
    assert user.start_date == date(2025, 3, 3)
    assert user.roles == {Role.REP}
    assert (user.coach, user.team) == (coach, team)
    assert user.active
    assert not user.has_password  # the invitation (app.invitations) lets them choose one
    assert service.authenticate("new.rep@example.com", "") is None


@pytest.mark.parametrize("role", [Role.REP, Role.COACH, Role.HR])
def test_only_admins_create_update_and_deactivate(make_user, role):
    actor = make_user(role)
    person = make_user(Role.REP)
    with pytest.raises(NotAllowed):
        service.create_user(actor, details())
    with pytest.raises(NotAllowed):
        service.update_user(actor, person, details(email=person.email, full_name="Renamed"))
    with pytest.raises(NotAllowed):
        service.set_active(actor, person, False)
    with pytest.raises(NotAllowed):
        service.reset_password(actor, person, NEW_PASSWORD)
    db.session.rollback()
    assert person.active
    assert person.full_name != "Renamed"
    assert service.find_by_email("new.rep@example.com") is None


def test_admin_updates_roles_coach_and_team(make_user, make_team):
    admin = make_user(Role.ADMIN)
    coach = make_user(Role.COACH)
    team = make_team()
    person = make_user(Role.REP)

    service.update_user(
        admin,
        person,
        details(
            email=person.email,
            full_name="Renamed Person",
            roles=[Role.REP, Role.COACH],
            coach_id=coach.id,
            team_id=team.id,
        ),
    )
    db.session.commit()
    db.session.expire_all()

    assert person.full_name == "Renamed Person"
    assert person.roles == {Role.REP, Role.COACH}
    assert (person.coach_id, person.team_id) == (coach.id, team.id)

    # Keeping a role while dropping another must not trip over the existing role rows.
    service.update_user(admin, person, details(email=person.email, roles=[Role.COACH]))
    db.session.commit()
    db.session.expire_all()
    assert person.roles == {Role.COACH}
    assert person.coach_id is None


def test_an_email_belongs_to_one_person(make_user):
    admin = make_user(Role.ADMIN)
    taken = make_user(Role.REP)
    with pytest.raises(Invalid) as error:
        service.create_user(admin, details(email=taken.email.upper()))
    assert error.value.field == "email"

    person = make_user(Role.REP)
    with pytest.raises(Invalid) as error:
        service.update_user(admin, person, details(email=taken.email))
    assert error.value.field == "email"
    db.session.rollback()
    # Saving a person under their own email is not a duplicate.
    service.update_user(admin, person, details(email=person.email, full_name="Same Email"))
    assert person.full_name == "Same Email"


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../etc/passwd", "Europe/"])
def test_an_unknown_timezone_is_refused(make_user, zone):
    admin = make_user(Role.ADMIN)
    with pytest.raises(Invalid) as error:
        service.create_user(admin, details(timezone=zone))
    assert error.value.field == "timezone"


def test_the_coach_must_have_the_coach_role(make_user):
    admin = make_user(Role.ADMIN)
    not_a_coach = make_user(Role.HR)
    with pytest.raises(Invalid) as error:
        service.create_user(admin, details(coach_id=not_a_coach.id))
    assert error.value.field == "coach_id"
    with pytest.raises(Invalid) as error:
        service.create_user(admin, details(coach_id=not_a_coach.id + 999))
    assert error.value.field == "coach_id"


def test_a_person_cannot_coach_themselves(make_user):
    admin = make_user(Role.ADMIN)
    coach = make_user(Role.COACH, Role.REP)
    with pytest.raises(Invalid) as error:
        service.update_user(
            admin, coach, details(email=coach.email, roles=[Role.COACH], coach_id=coach.id)
        )
    assert error.value.field == "coach_id"


def test_a_person_needs_a_role_and_an_existing_team(make_user):
    admin = make_user(Role.ADMIN)
    with pytest.raises(Invalid) as error:
        service.create_user(admin, details(roles=[]))
    assert error.value.field == "roles"
    with pytest.raises(Invalid) as error:
        service.create_user(admin, details(team_id=4242))
    assert error.value.field == "team_id"


def test_an_employee_id_is_unique_when_set(make_user):
    admin = make_user(Role.ADMIN)
    first = service.create_user(admin, details(employee_id=" E1 "))
    assert first.employee_id == "E1"
    with pytest.raises(Invalid) as error:
        service.create_user(admin, details(email="other@example.com", employee_id="E1"))
    assert error.value.field == "employee_id"
    assert service.create_user(admin, details(email="third@example.com")).employee_id is None
    assert service.create_user(admin, details(email="fourth@example.com")).employee_id is None


def test_deactivated_people_cannot_sign_in_and_can_be_reactivated(make_user):
    admin = make_user(Role.ADMIN)
    person = make_user(Role.REP)
    service.set_active(admin, person, False)
    db.session.commit()
    assert service.authenticate(person.email, PASSWORD) is None
    assert db.session.get(User, person.id) is not None

    service.set_active(admin, person, True)
    db.session.commit()
    assert service.authenticate(person.email, PASSWORD) == person


def test_an_admin_cannot_deactivate_themselves(make_user):
    admin = make_user(Role.ADMIN)
    with pytest.raises(Invalid):
        service.set_active(admin, admin, False)
    assert admin.active


def test_admin_resets_a_password(make_user):
    admin = make_user(Role.ADMIN)
    person = make_user(Role.REP)
    with pytest.raises(Invalid):
        service.reset_password(admin, person, "short")
    service.reset_password(admin, person, NEW_PASSWORD)
    assert service.authenticate(person.email, NEW_PASSWORD) == person


def test_people_list_is_for_hr_and_admins(make_user):
    rep = make_user(Role.REP)
    gone = make_user(Role.REP, active=False)
    hr = make_user(Role.HR)
    assert gone in service.list_people(hr)
    assert gone not in service.list_people(hr, include_inactive=False)
    for actor in (rep, make_user(Role.COACH)):
        with pytest.raises(NotAllowed):
            service.list_people(actor)


def test_coaches_lists_only_active_coaches(make_user):
    active = make_user(Role.COACH)
    make_user(Role.COACH, active=False)
    make_user(Role.REP)
    assert service.coach_choices() == [(active.id, active.full_name)]


def test_team_names_are_unique_regardless_of_case(make_user):
    admin = make_user(Role.ADMIN)
    service.create_team(admin, "North")
    with pytest.raises(Invalid) as error:
        service.create_team(admin, " north ")
    assert error.value.field == "name"
    with pytest.raises(Invalid):
        service.create_team(admin, "   ")
    with pytest.raises(NotAllowed):
        service.create_team(make_user(Role.HR), "South")


def test_organisation_settings_are_admin_only(make_user):
    with pytest.raises(NotAllowed):
        service.update_organisation(make_user(Role.HR), "Evil", True)
    assert service.organisation().business_days is False
    org = service.update_organisation(make_user(Role.ADMIN), "Northwind", True)
    assert (org.name, org.business_days) == ("Northwind", True)


# --- local dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("UTC", date(2025, 3, 12)),
        ("Asia/Tokyo", date(2025, 3, 13)),
        ("Pacific/Kiritimati", date(2025, 3, 13)),
        ("America/Los_Angeles", date(2025, 3, 12)),
    ],
)
def test_local_today_is_the_date_where_the_person_is(make_user, zone, expected):
    user = make_user(Role.REP, timezone=zone)
    assert service.local_today(user, datetime(2025, 3, 12, 20, 0, tzinfo=UTC)) == expected


def test_local_today_before_midnight_utc_can_be_yesterday(make_user):
    user = make_user(Role.REP, timezone="America/New_York")
    assert service.local_today(user, datetime(2025, 3, 13, 2, 0, tzinfo=UTC)) == date(2025, 3, 12)


def test_local_today_falls_back_to_utc_for_a_broken_timezone(make_user):
    user = make_user(Role.REP, timezone="Not/AZone")
    assert service.local_today(user, datetime(2025, 3, 12, 23, 30, tzinfo=UTC)) == date(2025, 3, 12)
