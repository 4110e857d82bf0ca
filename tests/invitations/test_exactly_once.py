"""Accepting, resending and importing happen once, however many times at once they are sent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.accounts.service import PersonDetails
from app.cohorts import service as cohorts
from app.extensions import db
from app.invitations import service
from app.security.models import EventKind, SecurityEvent
from tests.concurrency import TWENTY, at_once
from tests.invitations.links import invitation_mails, latest_link

PASSPHRASE = "violet lantern harbour"


def accepted_events() -> int:
    query = select(func.count(SecurityEvent.id)).where(
        SecurityEvent.kind == EventKind.INVITATION_ACCEPTED
    )
    return db.session.scalar(query) or 0


@pytest.mark.real_commits  # the threads' commits must reach each other
def test_twenty_accepts_of_one_link_at_once_accept_once(app, client, login, make_user):
    admin = make_user(Role.ADMIN)
    nina = service.add_person(admin, PersonDetails("nina@example.com", "Nina Rossi"))
    db.session.commit()
    link, nina_id = latest_link("nina@example.com"), nina.id
    login(admin)  # any browser holding the link; the accepting request signs Nina in
    data = {"password": PASSPHRASE, "confirm": PASSPHRASE}
    statuses = at_once(app, client, link, data)
    assert sorted(statuses) == [302] + [410] * (TWENTY - 1)
    assert accepted_events() == 1
    assert db.session.get(User, nina_id).has_password


@pytest.mark.real_commits
def test_twenty_resends_of_one_form_send_one_email(app, client, login, make_user):
    admin = make_user(Role.ADMIN)
    nina = service.add_person(admin, PersonDetails("nina@example.com", "Nina Rossi"))
    db.session.commit()
    login(admin)
    url = f"/admin/people/{nina.id}/invitation"
    statuses = at_once(app, client, url, {"submission_key": "one-resend"})
    assert set(statuses) == {302}
    assert len(invitation_mails("nina@example.com")) == 2  # the first, and one resend


@pytest.mark.real_commits
def test_twenty_confirms_of_one_preview_import_once(app, client, login, make_user, curriculum):
    admin = make_user(Role.ADMIN)
    text = "name,email,role\nNina Rossi,nina@example.com,rep\nOmar Haddad,omar@example.com,rep\n"
    stored = cohorts.upload(admin, "cohort.csv", text.encode())
    fingerprint = cohorts.preview(admin, text).fingerprint
    db.session.commit()
    login(admin)
    data = {"submission_key": "one-import", "fingerprint": fingerprint}
    statuses = at_once(app, client, f"/admin/people/import/{stored.id}", data)
    assert set(statuses) == {302}
    emails = ("nina@example.com", "omar@example.com")
    assert db.session.scalar(select(func.count(User.id)).where(User.email.in_(emails))) == 2
    assert len(invitation_mails("nina@example.com")) == 1
