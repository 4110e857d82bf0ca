"""Single sign-on's rules: who a provider's sign-in is, and the organisation's settings.

Plain functions over the session; the protocol itself (redirects, tokens, keys) is in
``app/sso/provider.py``, which hands over an :class:`Identity` only once the ID token is valid.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import once
from app.accounts.access import require_role
from app.accounts.models import Organisation, Role, User, UserRole
from app.accounts.passwords import hash_password
from app.accounts.service import find_by_email, organisation
from app.errors import DomainError, Invalid
from app.extensions import db
from app.security import service as security
from app.security.models import EventKind

# Roles an account made by single sign-on may get: HR and Admin see everyone's records, and
# are given by an admin to someone they know, never to whoever the provider lets in.
ROLES_FOR_NEW_ACCOUNTS = (Role.REP, Role.COACH)


@dataclass(frozen=True)
class Identity:
    """What the provider's validated ID token (and userinfo) says about the person."""

    subject: str
    email: str | None
    email_verified: bool
    name: str = ""
    authenticated_at: datetime | None = None  # the ID token's auth_time (naive UTC)


class SignInRefused(DomainError):
    """The provider vouched for the person, but SalesRamp does not let them in; says why."""


NO_EMAIL = (
    "{provider} did not tell SalesRamp your email address, which is how your account is found. "
    "Ask your administrator to let SalesRamp read it."
)
UNVERIFIED = (
    "{provider} has not verified your email address ({email}), so it cannot be matched to a "
    "SalesRamp account. Verify it with {provider}, or ask your administrator."
)
NO_ACCOUNT = (
    "There is no active SalesRamp account for {email}, the address {provider} gave. "
    "Ask your administrator for access."
)


def person_for(identity: Identity, provider: str) -> User:
    """The active account ``identity`` signs in as: matched by verified email, or created.

    A stranger's account is created only when the organisation allows it, with the role it
    chose. Every refusal is recorded in the security log (kept although nothing else is).
    """
    if not identity.email:
        _refuse(NO_EMAIL, identity, provider, "no email address")
    if not identity.email_verified:
        _refuse(UNVERIFIED, identity, provider, "email address not verified")
    user = find_by_email(identity.email)
    if user is None and organisation().sso_creates_accounts:
        user = _create_account(identity)
    if user is None:
        _refuse(NO_ACCOUNT, identity, provider, "no account with this email address")
    if not user.is_active:
        _refuse(NO_ACCOUNT, identity, provider, "account deactivated", user)
    user.last_login_at = datetime.now(UTC).replace(tzinfo=None)
    db.session.flush()
    return user


def _create_account(identity: Identity) -> User:
    """A new account for a stranger, with the organisation's role for them.

    Its password is random and never told: the person signs in through the provider (an
    admin can still set one). Two sign-ins at once make one account: the second finds it.
    """
    assert identity.email is not None
    role = organisation().sso_new_account_role
    name = identity.name[:120] or identity.email.split("@")[0]
    user = User(
        email=identity.email,
        full_name=name,
        password_hash=hash_password(secrets.token_urlsafe(32)),
        active=True,
        role_rows=[UserRole(role=role)],
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        found = find_by_email(identity.email)
        assert found is not None
        return found
    security.record(
        EventKind.PERSON_CREATED, subject=user, detail=f"by single sign-on; roles: {role.value}"
    )
    return user


def _refuse(
    message: str, identity: Identity, provider: str, reason: str, user: User | None = None
) -> NoReturn:
    security.record_refusal(
        EventKind.SSO_REFUSED,
        subject=user,
        subject_label=identity.email or f"(subject {identity.subject[:100]})",
        detail=f"{provider}: {reason}",
    )
    raise SignInRefused(message.format(provider=provider, email=identity.email))


# A provider's clock may run a little behind ours: an auth_time this far before the
# re-authentication began still counts as the sign-in it asked for.
CLOCK_SKEW = timedelta(seconds=30)

NOT_YOU = (
    "You signed in at {provider} as {email}, not as {name}. To sign, confirm it is you with "
    "your own account at {provider}."
)
NOT_AFRESH = (
    "{provider} did not ask you to sign in again, so SalesRamp cannot tell it is still you. "
    "Try again; if it keeps happening, ask your administrator."
)


def reauthenticates_with_provider(user: User, *, configured: bool, used_sso: bool) -> bool:
    """Whether ``user`` proves it is them again at the provider rather than with a password.

    Those who must sign in through it (single sign-on required, and not the break-glass
    admin), those who signed in through it this time, and those with no password at all.
    """
    if not configured:
        return False
    org = organisation()
    required = org.sso_required and org.sso_break_glass_admin_id != user.id
    return required or used_sso or not user.password_hash


def confirm_reauthentication(
    user: User, identity: Identity, provider: str, started: datetime, now: datetime
) -> None:
    """The provider's answer to a re-authentication: the same person, who signed in afresh.

    The verified email must be the signed-in person's, and ``auth_time`` must be no earlier
    than the request for it (give or take ``CLOCK_SKEW``) and not in the future: a provider
    that ignored ``prompt=login`` answers with the time of an older sign-in, which is refused.
    """
    same = identity.email_verified and (identity.email or "").lower() == user.email.lower()
    if not same:
        _refuse_reauth(NOT_YOU, identity, provider, user, "another account")
    signed_in = identity.authenticated_at
    if signed_in is None or signed_in < started - CLOCK_SKEW or signed_in > now + CLOCK_SKEW:
        _refuse_reauth(NOT_AFRESH, identity, provider, user, "auth_time not fresh")
    security.record(
        EventKind.SIGN_IN, actor=user, subject=user, detail=f"re-authenticated at {provider}"
    )


def _refuse_reauth(
    message: str, identity: Identity, provider: str, user: User, reason: str
) -> NoReturn:
    security.record_refusal(
        EventKind.SSO_REFUSED, subject=user, detail=f"{provider}: re-authentication, {reason}"
    )
    raise SignInRefused(message.format(provider=provider, email=identity.email, name=user.email))


def record_failure(provider: str, reason: str) -> None:
    """A sign-in that failed in the protocol (state, token, provider): for the security log."""
    security.record_refusal(EventKind.SSO_REFUSED, detail=f"{provider}: {reason}")


# --- the organisation's settings ----------------------------------------------------------------


@dataclass(frozen=True)
class SsoSettings:
    """What an admin decides about single sign-on."""

    required: bool = False
    break_glass_admin_id: int | None = None
    creates_accounts: bool = False
    new_account_role: Role = Role.REP


def current_settings() -> SsoSettings:
    org = organisation()
    return SsoSettings(
        required=org.sso_required,
        break_glass_admin_id=org.sso_break_glass_admin_id,
        creates_accounts=org.sso_creates_accounts,
        new_account_role=org.sso_new_account_role,
    )


def update_settings(actor: User, wanted: SsoSettings, *, configured: bool) -> None:
    """Save the settings, unless they could lock every admin out.

    Requiring single sign-on needs the provider configured and a break-glass admin (active,
    an admin) who may still sign in with a password, should the provider fail.
    """
    require_role(actor, Role.ADMIN)
    org = organisation()
    once.lock(org, Organisation.sso_required)
    if wanted.new_account_role not in ROLES_FOR_NEW_ACCOUNTS:
        raise Invalid("New accounts can be reps or coaches.", field="new_account_role")
    admin = _break_glass_admin(wanted.break_glass_admin_id)
    if wanted.required and not configured:
        raise Invalid(
            "Single sign-on is not configured on this server (SALESRAMP_OIDC_ISSUER): "
            "it cannot be required yet.",
            field="required",
        )
    if wanted.required and admin is None:
        raise Invalid(
            "Choose the break-glass admin who may still sign in with a password: without one, "
            "a fault at the provider would lock every admin out.",
            field="break_glass_admin_id",
        )
    before = current_settings()
    org.sso_required = wanted.required
    org.sso_break_glass_admin_id = admin.id if admin else None
    org.sso_creates_accounts = wanted.creates_accounts
    org.sso_new_account_role = wanted.new_account_role
    db.session.flush()
    if current_settings() != before:
        security.record(EventKind.SSO_SETTINGS_CHANGED, actor=actor, detail=_describe(org, admin))


def _break_glass_admin(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or not user.has_role(Role.ADMIN):
        raise Invalid(
            "The break-glass admin must be an active admin.", field="break_glass_admin_id"
        )
    return user


def _describe(org: Organisation, admin: User | None) -> str:
    required = "required" if org.sso_required else "optional"
    glass = f"break-glass admin {admin.email}" if admin else "no break-glass admin"
    new = (
        f"new accounts as {org.sso_new_account_role.value}"
        if org.sso_creates_accounts
        else ("no new accounts")
    )
    return f"single sign-on {required}; {glass}; {new}"


def break_glass_choices() -> list[tuple[int, str]]:
    """Active admins, by name: who may be the break-glass admin."""
    query = (
        select(User.id, User.full_name, User.email)
        .join(UserRole)
        .where(UserRole.role == Role.ADMIN, User.active.is_(True))
        .order_by(User.full_name, User.id)
    )
    return [(user_id, f"{name} ({email})") for user_id, name, email in db.session.execute(query)]


def password_sign_in_closed() -> bool:
    """Whether the sign-in page should say that passwords are for the break-glass admin only."""
    return organisation().sso_required
