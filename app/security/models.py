"""One row per security-relevant event, kept apart from the records it is about."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import string_enum
from app.extensions import db


class EventKind(enum.StrEnum):
    """What happened; the admin's page filters by these."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_IN_THROTTLED = "sign_in_throttled"
    PERMISSION_DENIED = "permission_denied"
    PERSON_CREATED = "person_created"
    ROLES_CHANGED = "roles_changed"
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    PASSWORD_RESET_REQUESTED = "password_reset_requested"  # the "forgot password" form
    EXPORT = "export"
    THROTTLE_STORE_DOWN = "throttle_store_down"  # sign-in counters fell back to one process
    INVITATION_SENT = "invitation_sent"
    INVITATION_RESENT = "invitation_resent"
    INVITATION_REVOKED = "invitation_revoked"
    INVITATION_ACCEPTED = "invitation_accepted"
    INVITATION_REFUSED = "invitation_refused"  # an expired, used, revoked or unknown link
    COHORT_IMPORTED = "cohort_imported"
    SSO_REFUSED = "sso_refused"  # a single sign-on the provider vouched for, refused here
    SSO_SETTINGS_CHANGED = "sso_settings_changed"
    API_TOKEN_CREATED = "api_token_created"
    API_TOKEN_REVOKED = "api_token_revoked"
    API_TOKEN_REFUSED = "api_token_refused"  # an unknown, expired or revoked token, or a leaver's
    LEADERBOARD_CHANGED = "leaderboard_changed"  # a team's leaderboard on or off, or its privacy

    @property
    def label(self) -> str:
        if self.value.startswith("api_token_"):
            return "API token " + self.value.removeprefix("api_token_")
        if self.value.startswith("sso_"):
            return "Single sign-on " + self.value.removeprefix("sso_").replace("_", " ")
        return self.value.replace("_", " ").capitalize()


def utc_now() -> datetime:
    """Naive UTC, as every timestamp in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


class SecurityEvent(db.Model):  # type: ignore[name-defined]
    """An event in UTC with who acted, on whom, from where, and a short secret-free detail.

    Names and emails are copied in as they were at the time (``*_label``), so the log still
    says who it was after a person is renamed; the ids link to people for filtering.
    """

    __tablename__ = "security_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, index=True)
    kind: Mapped[EventKind] = mapped_column(string_enum(EventKind, length=32), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor_label: Mapped[str] = mapped_column(String(400), default="")
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    subject_label: Mapped[str] = mapped_column(String(400), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(String(400), default="")
