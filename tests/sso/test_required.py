"""Requiring single sign-on: passwords only for the break-glass admin, who cannot be locked out."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts import resets
from app.accounts import service as accounts
from app.accounts.models import PasswordReset, Role, User
from app.accounts.service import PersonDetails, organisation
from app.errors import Invalid, NotAllowed
from app.extensions import db
from app.security.models import EventKind, SecurityEvent
from app.sso import service
from app.sso.service import SsoSettings
from tests.conftest import PASSWORD
from tests.sso.oidc import RunningProvider, sign_in_at_provider


def _require(admin: User, break_glass: User) -> None:
    wanted = SsoSettings(required=True, break_glass_admin_id=break_glass.id)
    service.update_settings(admin, wanted, configured=True)
    db.session.commit()


def _password_sign_in(client: FlaskClient, user: User, password: str = PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password})


def test_passwords_are_refused_to_everyone_but_the_break_glass_admin(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    admin = make_user(Role.ADMIN)
    other_admin = make_user(Role.ADMIN)
    rep = make_user(Role.REP)
    _require(admin, break_glass=admin)

    for person in (rep, other_admin):
        refused = _password_sign_in(client, person)
        assert refused.status_code == 200
        assert "signs in with single sign-on only" in refused.text
        assert client.get("/account/password").status_code == 302  # not signed in

    assert _password_sign_in(client, admin).status_code == 302
    assert client.get("/account/password").status_code == 200
    failed = db.session.scalars(
        select(SecurityEvent.detail).where(SecurityEvent.kind == EventKind.SIGN_IN_FAILED)
    ).all()
    assert failed == ["password sign-in closed: single sign-on required"] * 2


def test_a_wrong_password_gets_the_usual_answer_so_accounts_are_not_revealed(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    admin = make_user(Role.ADMIN)
    rep = make_user(Role.REP)
    _require(admin, break_glass=admin)

    for email in (rep.email, "nobody@example.com"):
        page = client.post("/login", data={"email": email, "password": "not the password"}).text
        assert "Email or password is not right" in page
        assert "single sign-on only: use" not in page


def test_the_sign_in_page_says_passwords_are_for_the_break_glass_admin(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    admin = make_user(Role.ADMIN)
    assert "break-glass" not in client.get("/login").text

    _require(admin, break_glass=admin)

    assert (
        "Password sign-in is\n    kept for the break-glass administrator"
        in client.get("/login").text
    )


def test_single_sign_on_still_signs_in_those_refused_a_password(
    client: FlaskClient, sso: RunningProvider, make_user: Callable[..., User]
) -> None:
    admin = make_user(Role.ADMIN)
    ada = make_user(Role.REP)
    ada.email = "ada.lovelace@example.com"
    _require(admin, break_glass=admin)

    back = sign_in_at_provider(client.get("/login/sso").location, "ada", sso.redirect_uri)

    assert client.get(back).location == "/"
    assert client.get("/account/password").status_code == 200


def test_requiring_needs_an_active_admin_for_break_glass(make_user: Callable[..., User]) -> None:
    admin = make_user(Role.ADMIN)
    coach = make_user(Role.COACH)
    gone = make_user(Role.ADMIN, active=False)

    with pytest.raises(Invalid, match="break-glass admin who may still sign in") as nobody:
        service.update_settings(admin, SsoSettings(required=True), configured=True)
    assert nobody.value.field == "break_glass_admin_id"
    for unfit in (coach, gone):
        with pytest.raises(Invalid, match="must be an active admin"):
            wanted = SsoSettings(required=True, break_glass_admin_id=unfit.id)
            service.update_settings(admin, wanted, configured=True)
    assert not organisation().sso_required


def test_requiring_needs_the_provider_configured(make_user: Callable[..., User]) -> None:
    admin = make_user(Role.ADMIN)

    with pytest.raises(Invalid, match="not configured on this server") as refused:
        wanted = SsoSettings(required=True, break_glass_admin_id=admin.id)
        service.update_settings(admin, wanted, configured=False)

    assert refused.value.field == "required"


def test_only_admins_change_the_settings_and_new_accounts_are_never_admins(
    make_user: Callable[..., User],
) -> None:
    admin = make_user(Role.ADMIN)
    hr = make_user(Role.HR)

    with pytest.raises(NotAllowed):
        service.update_settings(hr, SsoSettings(creates_accounts=True), configured=True)
    for role in (Role.ADMIN, Role.HR):
        with pytest.raises(Invalid, match="reps or coaches"):
            wanted = SsoSettings(creates_accounts=True, new_account_role=role)
            service.update_settings(admin, wanted, configured=True)


def test_a_change_of_settings_is_in_the_security_log(make_user: Callable[..., User]) -> None:
    admin = make_user(Role.ADMIN)

    _require(admin, break_glass=admin)
    service.update_settings(admin, service.current_settings(), configured=True)  # no change

    (event,) = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.kind == EventKind.SSO_SETTINGS_CHANGED)
    ).all()
    assert event.actor_id == admin.id
    assert event.detail == (
        f"single sign-on required; break-glass admin {admin.email}; no new accounts"
    )


def test_the_break_glass_admin_cannot_be_deactivated_or_demoted_while_required(
    make_user: Callable[..., User],
) -> None:
    admin = make_user(Role.ADMIN)
    glass = make_user(Role.ADMIN)
    _require(admin, break_glass=glass)

    with pytest.raises(Invalid, match="cannot deactivate"):
        accounts.set_active(admin, glass, active=False)
    details = PersonDetails(email=glass.email, full_name=glass.full_name, roles=[Role.HR])
    with pytest.raises(Invalid, match="cannot take away the Admin role"):
        accounts.update_user(admin, glass, details)
    db.session.rollback()

    service.update_settings(admin, SsoSettings(required=False), configured=True)
    accounts.set_active(admin, glass, active=False)
    assert not glass.active


def test_the_settings_page_saves_and_shows_problems_next_to_the_field(
    client: FlaskClient, login: Callable[[User], FlaskClient], make_user: Callable[..., User]
) -> None:
    admin = make_user(Role.ADMIN, name="Alex Glass")
    login(admin)

    page = client.get("/admin/single-sign-on").text
    assert "Alex Glass" in page and "not configured on this server" in page

    refused = client.post(
        "/admin/single-sign-on", data={"required": "y", "new_account_role": "rep"}
    )
    assert refused.status_code == 200
    assert 'id="required-error"' in refused.text  # the message beside the checkbox
    assert "not configured on this server (SALESRAMP_OIDC_ISSUER)" in refused.text
    assert not organisation().sso_required

    saved = client.post(
        "/admin/single-sign-on",
        data={
            "creates_accounts": "y",
            "new_account_role": "coach",
            "break_glass_admin_id": str(admin.id),
        },
    )
    assert saved.status_code == 302
    org = organisation()
    db.session.refresh(org)
    assert org.sso_creates_accounts and org.sso_new_account_role == Role.COACH
    assert org.sso_break_glass_admin_id == admin.id


def _reset_links(user: User) -> int:
    return len(
        db.session.scalars(select(PasswordReset).where(PasswordReset.user_id == user.id)).all()
    )


def test_forgot_password_sends_no_link_to_those_who_must_use_single_sign_on(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    admin = make_user(Role.ADMIN)
    rep = make_user(Role.REP)
    _require(admin, break_glass=admin)

    page = client.post("/password/forgot", data={"email": rep.email}, follow_redirects=True)
    resets.request_reset(admin.email)

    assert page.status_code == 200  # the same answer as for any address
    assert _reset_links(rep) == 0
    assert _reset_links(admin) == 1  # the break-glass admin may still reset a password
    details = db.session.scalars(
        select(SecurityEvent.detail).where(
            SecurityEvent.kind == EventKind.PASSWORD_RESET_REQUESTED,
            SecurityEvent.subject_id == rep.id,
        )
    ).all()
    assert details == ["single sign-on required: no email sent"]


def test_a_reset_link_sent_before_single_sign_on_was_required_no_longer_works(
    make_user: Callable[..., User],
) -> None:
    admin = make_user(Role.ADMIN)
    rep = make_user(Role.REP)
    token = "a-link-emailed-the-day-before"
    now = datetime.now(UTC).replace(tzinfo=None)
    db.session.add(
        PasswordReset(
            user_id=rep.id,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            created_at=now,
            expires_at=now + timedelta(minutes=30),
        )
    )
    db.session.commit()
    assert resets.person_for(token) == rep

    _require(admin, break_glass=admin)

    with pytest.raises(Invalid, match="passwords cannot be reset here"):
        resets.reset_password(token, "marmalade kettle horizon")
