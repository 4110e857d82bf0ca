"""Invitations over HTTP: the link page, its refusals, and the admins' list and actions."""

from __future__ import annotations

from datetime import timedelta

from app.accounts.models import Role
from app.accounts.service import PersonDetails
from app.extensions import db
from app.invitations import service
from tests.invitations.links import invitation_mails, latest_link

PASSPHRASE = "violet lantern harbour"


def invite(admin, email="nina.rossi@example.com", name="Nina Rossi"):
    person = service.add_person(admin, PersonDetails(email=email, full_name=name))
    db.session.commit()
    return person


def choose(client, link, password=PASSPHRASE, confirm=None):
    return client.post(link, data={"password": password, "confirm": confirm or password})


def test_the_link_sets_the_password_signs_in_and_then_is_refused(client, make_user):
    nina = invite(make_user(Role.ADMIN, name="Alex Admin"))
    link = latest_link(nina.email)
    page = client.get(link)
    assert page.status_code == 200
    assert "Welcome, Nina" in page.text and "Alex Admin invited you" in page.text
    response = choose(client, link)
    assert response.status_code == 302
    assert "your password is set" in client.get("/", follow_redirects=True).text
    client.post("/logout")
    again = client.get(link)
    assert again.status_code == 410
    assert "This invitation has been used" in again.text
    assert choose(client, link, "another fine passphrase").status_code == 410
    signed_in = client.post("/login", data={"email": nina.email, "password": PASSPHRASE})
    assert signed_in.status_code == 302


def test_an_invited_person_cannot_sign_in_with_a_password(client, make_user):
    nina = invite(make_user(Role.ADMIN))
    for password in ("", "anything at all"):
        response = client.post("/login", data={"email": nina.email, "password": password})
        assert response.status_code == 200


def test_a_weak_or_mismatched_password_is_shown_next_to_its_field(client, make_user):
    nina = invite(make_user(Role.ADMIN))
    link = latest_link(nina.email)
    weak = choose(client, link, "nina.rossi")
    assert weak.status_code == 200
    assert 'id="password-error"' in weak.text and "too easy to guess" in weak.text
    mismatched = choose(client, link, PASSPHRASE, "something else entirely")
    assert 'id="confirm-error"' in mismatched.text
    assert choose(client, link).status_code == 302  # the link still works


def test_expired_revoked_and_unknown_links_say_what_to_do(client, make_user):
    admin = make_user(Role.ADMIN, name="Alex Admin")
    nina = invite(admin)
    link = latest_link(nina.email)
    service.invitation_of(nina).expires_at = service.now() - timedelta(minutes=1)
    db.session.commit()
    expired = client.get(link)
    assert expired.status_code == 410
    assert (
        "has expired" in expired.text
        and "Ask Alex Admin to send you a new invitation" in expired.text
    )

    service.revoke(admin, nina)
    db.session.commit()
    assert "was withdrawn" in client.get(link).text

    unknown = client.get("/invitation/not-a-token-we-sent")
    assert unknown.status_code == 410
    assert "a newer invitation replaced it" in unknown.text


def test_admins_see_invitation_status_in_people_and_on_the_invitations_page(
    client, login, make_user
):
    admin = make_user(Role.ADMIN)
    invite(admin)
    invite(admin, "omar@example.com", "Omar Haddad")
    service.revoke(admin, service.find_invited("omar@example.com"))
    db.session.commit()
    login(admin)
    people = client.get("/admin/people").text
    assert "Invited" in people and "Revoked" in people
    page = client.get("/admin/invitations")
    assert "Nina Rossi" in page.text and "Omar Haddad" in page.text
    revoked = client.get("/admin/invitations?status=revoked").text
    assert "Omar Haddad" in revoked and "Nina Rossi" not in revoked
    assert "Nina Rossi" in client.get("/admin/invitations?q=rossi").text
    assert "Nina Rossi" not in client.get("/admin/invitations?q=haddad").text


def test_an_admin_resends_once_per_form_and_the_old_link_stops(client, login, make_user):
    admin = make_user(Role.ADMIN)
    nina = invite(admin)
    old = latest_link(nina.email)
    login(admin)
    form = {"submission_key": "resend-form-1"}
    assert client.post(f"/admin/people/{nina.id}/invitation", data=form).status_code == 302
    assert client.post(f"/admin/people/{nina.id}/invitation", data=form).status_code == 302
    assert len(invitation_mails(nina.email)) == 2
    assert client.get(old).status_code == 410
    assert client.get(latest_link(nina.email)).status_code == 200


def test_an_admin_revokes_from_the_persons_page(client, login, make_user):
    admin = make_user(Role.ADMIN)
    nina = invite(admin)
    login(admin)
    page = client.get(f"/admin/people/{nina.id}").text
    assert "Revoke the invitation" in page and "Reset password" not in page
    response = client.post(f"/admin/people/{nina.id}/invitation/revoke")
    assert response.status_code == 302
    assert "revoked" in client.get(response.location).text
    assert client.get(latest_link(nina.email)).status_code == 410


def test_resending_to_someone_who_accepted_is_a_conflict(client, login, make_user):
    admin = make_user(Role.ADMIN)
    nina = invite(admin)
    service.accept(latest_link(nina.email).rsplit("/", 1)[-1], PASSPHRASE)
    db.session.commit()
    login(admin)
    response = client.post(f"/admin/people/{nina.id}/invitation", data={"submission_key": "k"})
    assert response.status_code == 409
    assert len(invitation_mails(nina.email)) == 1
