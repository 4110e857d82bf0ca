"""Sessions end when they should: sign-out, password change, deactivation, role change, an
admin's "sign out everywhere", and idle and absolute timeouts, for copied cookies too.

A "copied cookie" is a second test client holding the same cookie values, as an attacker who
lifted them from a browser would. Time is injected by moving the sign-in's stored moments
back, never by sleeping.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from app.accounts import service, signins
from app.accounts.models import Role, SignIn, User
from app.accounts.service import PersonDetails
from app.errors import NotAllowed
from app.extensions import db
from tests.conftest import PASSWORD
from tests.querycount import counting_queries

PAGE = "/account/password"  # any page that needs a signed-in person
REMEMBER_COOKIE = "remember_token"

Login = Callable[[User], FlaskClient]


def sign_in(client: FlaskClient, user: User, *, remember: bool = False, next_url: str = "") -> None:
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    url = f"/login?next={quote(next_url)}" if next_url else "/login"
    response = client.post(url, data=data)
    assert response.status_code == 302, response.text


def copy_of(app: Flask, client: FlaskClient, *, only: tuple[str, ...] = ()) -> FlaskClient:
    """Another browser holding the same cookies (or only the ones named)."""
    thief = app.test_client()
    for name in only or ("session", REMEMBER_COOKIE):
        cookie = client.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def signed_in(client: FlaskClient) -> bool:
    response = client.get(PAGE)
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def sign_ins_of(user: User) -> list[SignIn]:
    db.session.expire_all()
    return list(db.session.scalars(select(SignIn).where(SignIn.user_id == user.id)))


def move_back(user: User, **moments: timedelta) -> None:
    """Pretend the person's open sign-ins were made or last used this long ago."""
    now = signins._now()
    values = {name: now - ago for name, ago in moments.items()}
    db.session.execute(
        update(SignIn).where(SignIn.user_id == user.id, SignIn.ended_at.is_(None)).values(values)
    )
    db.session.commit()


# --- the token ---------------------------------------------------------------------------------


def test_each_sign_in_gets_its_own_random_token_stored_only_as_a_hash(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    rep = make_user()
    sign_in(client, rep, remember=True)
    other_device = app.test_client()
    sign_in(other_device, rep, remember=True)
    first, second = client.get_cookie(REMEMBER_COOKIE), other_device.get_cookie(REMEMBER_COOKIE)
    assert first is not None and second is not None
    assert first.value != second.value  # not one fixed cookie per person
    assert str(rep.id) != first.value.split("|")[0]

    rows = sign_ins_of(rep)
    assert len(rows) == 2 and all(row.remember for row in rows)
    token = first.value.split("|")[0]
    secret = token.partition(":")[2]
    assert len(secret) >= 40
    assert hashlib.sha256(secret.encode()).hexdigest() in {row.token_hash for row in rows}
    assert all(secret not in row.token_hash for row in rows)


def test_an_old_user_id_cookie_signs_nobody_in(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    rep = make_user()
    with client.session_transaction() as session:
        session["_user_id"] = str(rep.id)  # what the session held before sign-in tokens
    assert not signed_in(client)


# --- ending sessions: copies of the cookies stop working ----------------------------------------


def test_signing_out_ends_that_session_even_for_a_copied_cookie(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    rep = make_user()
    sign_in(client, rep)
    other_device = app.test_client()
    sign_in(other_device, rep)
    copied = copy_of(app, client)
    assert signed_in(copied)

    assert client.post("/logout").status_code == 302
    assert not signed_in(client)
    assert not signed_in(copied)
    assert signed_in(other_device)  # signing out on one device leaves the others alone


def test_a_remember_cookie_is_refused_after_sign_out(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    rep = make_user()
    sign_in(client, rep, remember=True)
    remembered = copy_of(app, client, only=(REMEMBER_COOKIE,))
    assert signed_in(remembered)  # the browser restarted: the remember cookie signs it in

    stolen = copy_of(app, client, only=(REMEMBER_COOKIE,))
    client.post("/logout")
    assert client.get_cookie(REMEMBER_COOKIE) is None  # cleared in the browser signing out
    assert not signed_in(stolen)
    assert stolen.get_cookie(REMEMBER_COOKIE) is None  # and cleared where it was refused


def test_changing_the_password_ends_every_other_session(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    rep = make_user()
    sign_in(client, rep, remember=True)
    copied = copy_of(app, client)
    remembered = copy_of(app, client, only=(REMEMBER_COOKIE,))
    new_password = "a brand new passphrase"
    changed = client.post(
        PAGE,
        data={"current_password": PASSWORD, "new_password": new_password, "confirm": new_password},
    )
    assert changed.status_code == 302
    assert not signed_in(copied)
    assert not signed_in(remembered)
    assert signed_in(client)  # the person who changed it stays signed in, remembered still
    assert signed_in(copy_of(app, client, only=(REMEMBER_COOKIE,)))


def test_deactivation_ends_every_session(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    admin, rep = make_user(Role.ADMIN), make_user()
    sign_in(client, rep, remember=True)
    copied, kept_for_later = copy_of(app, client), copy_of(app, client)
    service.set_active(admin, rep, active=False)
    db.session.commit()
    assert not signed_in(copied)
    assert not signed_in(client)
    service.set_active(admin, rep, active=True)  # reactivating does not revive old sessions
    db.session.commit()
    assert not signed_in(kept_for_later)


def test_an_admin_password_reset_ends_every_session(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    admin, rep = make_user(Role.ADMIN), make_user()
    sign_in(client, rep, remember=True)
    remembered = copy_of(app, client, only=(REMEMBER_COOKIE,))
    service.reset_password(admin, rep, "a fresh reset password")
    db.session.commit()
    assert not signed_in(client)
    assert not signed_in(remembered)


def _details(user: User, roles: tuple[Role, ...]) -> PersonDetails:
    return PersonDetails(email=user.email, full_name=user.full_name, roles=roles)


def test_a_role_change_ends_every_session_and_other_edits_do_not(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    admin, person = make_user(Role.ADMIN), make_user(Role.COACH)
    sign_in(client, person)
    copied = copy_of(app, client)
    service.update_user(admin, person, _details(person, (Role.COACH,)))  # roles as they were
    db.session.commit()
    assert signed_in(copied)
    service.update_user(admin, person, _details(person, (Role.COACH, Role.HR)))
    db.session.commit()
    assert not signed_in(copied)
    assert not signed_in(client)


def test_an_admin_signs_a_person_out_everywhere(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    admin, rep = make_user(Role.ADMIN), make_user()
    rep_laptop, rep_phone = app.test_client(), app.test_client()
    sign_in(rep_laptop, rep)
    sign_in(rep_phone, rep, remember=True)
    remembered = copy_of(app, rep_phone, only=(REMEMBER_COOKIE,))
    sign_in(client, admin)

    page = client.get(f"/admin/people/{rep.id}")
    assert "Sign out everywhere" in page.text
    assert f'action="/admin/people/{rep.id}/sign-out"' in page.text
    done = client.post(f"/admin/people/{rep.id}/sign-out", follow_redirects=True)
    assert "is signed out on every device" in done.text
    assert not signed_in(rep_laptop)
    assert not signed_in(rep_phone)
    assert not signed_in(remembered)
    assert signed_in(client)  # the admin's own session is untouched
    assert all(row.ended_at is not None for row in sign_ins_of(rep))


def test_only_an_admin_may_sign_someone_out_everywhere(make_user: Callable[..., User]) -> None:
    hr, rep = make_user(Role.HR), make_user()
    with pytest.raises(NotAllowed):
        signins.sign_out_everywhere(hr, rep)


# --- timeouts -----------------------------------------------------------------------------------


def test_an_idle_session_ends_with_a_message_and_returns_to_the_page(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    rep = make_user()
    sign_in(client, rep)
    move_back(rep, last_seen_at=timedelta(minutes=29))
    assert signed_in(client)  # 29 minutes idle: still signed in, and the clock restarts
    move_back(rep, last_seen_at=timedelta(minutes=31))

    answer = client.get(PAGE)
    assert answer.status_code == 302
    assert answer.location == f"/login?next={quote(PAGE, safe='')}"
    login_page = client.get(answer.location)
    assert "signed out after 30 minutes without activity" in login_page.text
    assert not signed_in(client)  # and the ended session stays ended

    back = client.post(answer.location, data={"email": rep.email, "password": PASSWORD})
    assert back.location == PAGE


def test_a_session_ends_after_its_absolute_lifetime_however_busy(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    rep = make_user()
    sign_in(client, rep)
    move_back(rep, created_at=timedelta(hours=11, minutes=59))
    assert signed_in(client)
    move_back(rep, created_at=timedelta(hours=12, minutes=1), last_seen_at=timedelta(minutes=1))
    answer = client.get(PAGE, follow_redirects=True)
    assert "because you signed in more than 12 hours ago" in answer.text
    assert 'name="password"' in answer.text


def test_the_lifetimes_are_configurable(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    rep = make_user()
    sign_in(client, rep)
    move_back(rep, last_seen_at=timedelta(minutes=6))
    answer = client.get(PAGE, follow_redirects=True)
    assert "signed out after 5 minutes without activity" in answer.text


def test_keep_me_signed_in_has_its_own_longer_lifetimes(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    rep = make_user()
    sign_in(client, rep, remember=True)
    move_back(rep, created_at=timedelta(days=3), last_seen_at=timedelta(days=2))
    assert signed_in(copy_of(app, client, only=(REMEMBER_COOKIE,)))
    move_back(rep, last_seen_at=timedelta(days=15))  # remember idle lifetime: 14 days
    assert not signed_in(copy_of(app, client, only=(REMEMBER_COOKIE,)))

    sign_in(client, rep, remember=True)
    move_back(rep, created_at=timedelta(days=31), last_seen_at=timedelta(minutes=1))
    assert not signed_in(copy_of(app, client, only=(REMEMBER_COOKIE,)))  # at most 30 days
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)


def test_a_busy_session_is_not_written_on_every_request(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    rep = make_user()
    sign_in(client, rep)
    (row,) = sign_ins_of(rep)
    seen = row.last_seen_at
    assert signed_in(client) and signed_in(client)
    (row,) = sign_ins_of(rep)
    assert row.last_seen_at == seen
    move_back(rep, last_seen_at=timedelta(minutes=2))
    assert signed_in(client)
    (row,) = sign_ins_of(rep)
    assert signins._now() - row.last_seen_at < timedelta(seconds=30)


def test_finding_the_signed_in_person_and_their_roles_is_one_query(
    make_user: Callable[..., User],
) -> None:
    coach = make_user(Role.COACH, Role.HR)
    token = signins.start(coach, remember=False)
    db.session.commit()
    db.session.expunge_all()  # a new request starts with an empty session
    lifetimes = signins.Lifetimes(idle=timedelta(minutes=30), absolute=timedelta(hours=12))
    with counting_queries() as statements:
        found = signins.resume(token, lifetimes, lifetimes)
        assert isinstance(found, User) and found.roles == {Role.COACH, Role.HR}
    assert len(statements) == 1
