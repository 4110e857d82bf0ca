"""Invitations as services: issuing, accepting once, expiring, resending, revoking."""

from __future__ import annotations

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.accounts import service as accounts
from app.accounts.models import Role
from app.accounts.service import PersonDetails
from app.errors import Conflict, Invalid
from app.extensions import db
from app.invitations import service
from app.invitations.models import InvitationStatus
from app.invitations.service import InvitationFilters, LinkRefused, Refusal
from app.pagination import PageRequest
from app.security.models import EventKind, SecurityEvent
from tests.invitations.links import invitation_mails, latest_link, token_of

PASSPHRASE = "violet lantern harbour"


def add_nina(admin, **changes):
    details = PersonDetails(email="nina.rossi@example.com", full_name="Nina Rossi", **changes)
    nina = service.add_person(admin, details)
    db.session.commit()
    return nina


def events(kind):
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.kind == kind)))


def test_an_added_person_has_no_password_and_gets_an_email_with_a_link(make_user):
    admin = make_user(Role.ADMIN, name="Alex Admin")
    nina = add_nina(admin)
    assert not nina.has_password
    assert accounts.authenticate(nina.email, "") is None
    [mail] = invitation_mails(nina.email)
    assert mail.to_name == "Nina Rossi"
    assert "Alex Admin" in mail.subject
    assert latest_link(nina.email).startswith("/invitation/")
    assert "Alex Admin" in mail.text_body and "works once" in mail.text_body
    assert service.invitation_of(nina).status_at(service.now()) == InvitationStatus.INVITED
    [sent] = events(EventKind.INVITATION_SENT)
    assert (sent.actor_id, sent.subject_id) == (admin.id, nina.id)


def test_the_email_gives_the_expiry_in_the_invited_persons_time_zone(make_user):
    nina = add_nina(make_user(Role.ADMIN), timezone="America/New_York")
    expires = service.invitation_of(nina).expires_at.replace(tzinfo=UTC)
    local = expires.astimezone(ZoneInfo("America/New_York"))
    [mail] = invitation_mails(nina.email)
    assert f"{local.day} {local:%b %Y, %H:%M} {local.tzname()}" in mail.text_body
    assert "UTC" not in mail.text_body


def test_only_the_hash_of_the_token_is_stored(make_user):
    nina = add_nina(make_user(Role.ADMIN))
    token = token_of(latest_link(nina.email))
    stored = service.invitation_of(nina).token_hash
    assert token not in stored and len(stored) == 64


def test_accepting_sets_the_password_once_and_the_link_is_then_used(make_user):
    nina = add_nina(make_user(Role.ADMIN))
    token = token_of(latest_link(nina.email))
    assert service.accept(token, PASSPHRASE) == nina
    db.session.commit()
    assert accounts.authenticate(nina.email, PASSPHRASE) == nina
    with pytest.raises(LinkRefused) as refused:
        service.accept(token, "another fine passphrase")
    assert refused.value.reason == Refusal.USED
    assert accounts.authenticate(nina.email, PASSPHRASE) == nina
    assert len(events(EventKind.INVITATION_ACCEPTED)) == 1


def test_a_weak_password_is_refused_next_to_the_field_and_the_link_still_works(make_user):
    nina = add_nina(make_user(Role.ADMIN))
    token = token_of(latest_link(nina.email))
    with pytest.raises(Invalid) as error:
        service.accept(token, "nina.rossi")
    assert error.value.field == "password"
    db.session.rollback()
    assert service.open_link(token).user_id == nina.id


def test_the_link_expires_after_the_configured_days(app, make_user):
    app.config["INVITATION_DAYS"] = 3
    nina = add_nina(make_user(Role.ADMIN))
    token = token_of(latest_link(nina.email))
    sent = service.invitation_of(nina).sent_at
    assert service.invitation_of(nina).expires_at == sent + timedelta(days=3)
    assert service.open_link(token, at=sent + timedelta(days=3) - timedelta(minutes=1))
    with pytest.raises(LinkRefused) as refused:
        service.accept(token, PASSPHRASE, at=sent + timedelta(days=3))
    assert refused.value.reason == Refusal.EXPIRED
    assert not nina.has_password


def test_resending_makes_a_new_link_and_the_old_one_stops_working(make_user):
    admin = make_user(Role.ADMIN)
    nina = add_nina(admin)
    old = token_of(latest_link(nina.email))
    service.resend(admin, nina, key="resend-1")
    service.resend(admin, nina, key="resend-1")  # the same form sent twice: one more email
    db.session.commit()
    assert len(invitation_mails(nina.email)) == 2
    new = token_of(latest_link(nina.email))
    assert new != old
    with pytest.raises(LinkRefused) as refused:
        service.open_link(old)
    assert refused.value.reason == Refusal.UNKNOWN
    assert service.invitation_of(nina).sends == 2
    assert service.accept(new, PASSPHRASE) == nina
    assert len(events(EventKind.INVITATION_RESENT)) == 1


def test_revoking_ends_the_link_once_and_a_resend_invites_again(make_user):
    admin = make_user(Role.ADMIN)
    nina = add_nina(admin)
    token = token_of(latest_link(nina.email))
    service.revoke(admin, nina)
    service.revoke(admin, nina)
    db.session.commit()
    assert len(events(EventKind.INVITATION_REVOKED)) == 1
    with pytest.raises(LinkRefused) as refused:
        service.open_link(token)
    assert refused.value.reason == Refusal.REVOKED
    service.resend(admin, nina)
    assert service.accept(token_of(latest_link(nina.email)), PASSPHRASE) == nina


def test_a_deactivated_persons_link_is_refused(make_user):
    admin = make_user(Role.ADMIN)
    nina = add_nina(admin)
    accounts.set_active(admin, nina, active=False)
    with pytest.raises(LinkRefused) as refused:
        service.open_link(token_of(latest_link(nina.email)))
    assert refused.value.reason == Refusal.DEACTIVATED
    with pytest.raises(Conflict):
        service.resend(admin, nina)


def test_an_accepted_invitation_cannot_be_resent_or_revoked(make_user):
    admin = make_user(Role.ADMIN)
    nina = add_nina(admin)
    service.accept(token_of(latest_link(nina.email)), PASSPHRASE)
    with pytest.raises(Conflict):
        service.resend(admin, nina)
    with pytest.raises(Conflict):
        service.revoke(admin, nina)


def test_an_invited_persons_password_cannot_be_reset_by_an_admin(make_user):
    admin = make_user(Role.ADMIN)
    nina = add_nina(admin)
    with pytest.raises(Invalid) as error:
        accounts.reset_password(admin, nina, "a perfectly strong reset phrase")
    assert "not accepted" in error.value.message
    assert not nina.has_password


@pytest.mark.parametrize("role", [Role.HR, Role.COACH, Role.REP])
def test_only_admins_invite(make_user, role):
    actor = make_user(role)
    with pytest.raises(Exception, match="Admin"):
        service.add_person(actor, PersonDetails(email="x@example.com", full_name="X Person"))


def test_the_invitations_list_filters_by_status(make_user):
    admin = make_user(Role.ADMIN)
    people = {}
    for name in ("Ann Accepted", "Rex Revoked", "Eve Expired", "Ian Invited"):
        email = name.split()[0].lower() + "@example.com"
        people[name] = service.add_person(admin, PersonDetails(email=email, full_name=name))
    db.session.flush()
    service.accept(token_of(latest_link("ann@example.com")), PASSPHRASE)
    service.revoke(admin, people["Rex Revoked"])
    service.invitation_of(people["Eve Expired"]).expires_at = service.now() - timedelta(hours=1)
    db.session.commit()

    def names(status):
        page = service.invitations_page(
            admin, PageRequest(sort="name"), InvitationFilters(status=status)
        )
        return [invitation.user.full_name for invitation in page.items]

    assert names(None) == ["Ann Accepted", "Eve Expired", "Ian Invited", "Rex Revoked"]
    assert names(InvitationStatus.ACCEPTED) == ["Ann Accepted"]
    assert names(InvitationStatus.REVOKED) == ["Rex Revoked"]
    assert names(InvitationStatus.EXPIRED) == ["Eve Expired"]
    assert names(InvitationStatus.INVITED) == ["Ian Invited"]
