"""People, their roles and teams."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, DateTime, Enum, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class Role(enum.StrEnum):
    """What a person does in SalesRamp; a person may hold several roles."""

    REP = "rep"
    COACH = "coach"
    HR = "hr"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"rep": "Rep", "coach": "Coach", "hr": "HR", "admin": "Admin"}[self.value]


class Team(db.Model):  # type: ignore[name-defined]
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    members: Mapped[list[User]] = relationship(back_populates="team", order_by="User.full_name")

    def __repr__(self) -> str:
        return f"<Team {self.name}>"


class UserRole(db.Model):  # type: ignore[name-defined]
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [r.value for r in e]),
        primary_key=True,
    )


class User(UserMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    job_title: Mapped[str] = mapped_column(String(120), default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Empty until the person sets one from their invitation (``app.invitations``): nobody can
    # sign in with a password before that.
    password_hash: Mapped[str] = mapped_column(String(255))
    # The HR system's id, matched by a cohort import (``app.cohorts``); unique when set.
    employee_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Indexed: every coach's list reads their reps by coach (My team, the matrix, the work
    # queue) and the team filters ask which teams a coach's reps are in; without the indexes
    # each of those scans every person (a coach's team filter scanned them once per team).
    coach_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The team left is read even when the row was not loaded (active history): figures kept
    # per team work out again the share of the team a rep left, not only the one joined.
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True, active_history=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Optimistic locking of an admin's edit: see ``accounts.service.update_user``.
    # Bumped only by an edit of the person's details (not by a sign-in), and checked by every
    # update of the row, so a stale edit fails instead of overwriting a newer one.
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Every sign-in carries the version it was made under; raising it ends them all at once
    # (password change, deactivation, role change, an admin's "sign out everywhere").
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    __mapper_args__ = {"version_id_col": row_version, "version_id_generator": False}

    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    coach: Mapped[User | None] = relationship(remote_side=[id], back_populates="reps")
    reps: Mapped[list[User]] = relationship(back_populates="coach", order_by="User.full_name")
    team: Mapped[Team | None] = relationship(back_populates="members")

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember cookie: this sign-in's token.

        Not the user's id, which would be one fixed value valid for ever; the token names one
        sign-in (``SignIn``) that sign-out, timeouts and a new session version end. A user
        object that was not signed in through ``app.accounts.signins`` gets an id that loads
        nobody.
        """
        return getattr(self, "_sign_in_token", None) or NO_SIGN_IN

    def attach_sign_in(self, sign_in: SignIn, token: str) -> None:
        """Remember, for this request only, which sign-in this user object came from."""
        self._sign_in: SignIn | None = sign_in
        self._sign_in_token: str | None = token

    @property
    def current_sign_in(self) -> SignIn | None:
        return getattr(self, "_sign_in", None)

    # UserMixin compares users by get_id(), which is now a sign-in, not a person: compare rows.
    def __eq__(self, other: object) -> bool:
        if isinstance(other, User):
            return self is other or (self.id is not None and self.id == other.id)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = object.__hash__

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users at login and on load
        return self.active

    @property
    def has_password(self) -> bool:
        """False for an invited person who has not chosen a password yet."""
        return bool(self.password_hash)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(row.role for row in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def sees_everyone(self) -> bool:
        """HR and admins oversee the whole organisation."""
        return self.has_role(Role.HR, Role.ADMIN)

    @property
    def first_name(self) -> str:
        return self.full_name.split()[0] if self.full_name else self.email

    def __repr__(self) -> str:
        return f"<User {self.email}>"


NO_SIGN_IN = "none"  # the session id of a user object not signed in: the loader finds nobody


class SignIn(db.Model):  # type: ignore[name-defined]
    """One sign-in on one device: only a hash of its random token is stored.

    The token is in that device's session cookie (and remember cookie with "Keep me signed
    in"); a copy of either works only while this row is open and within its lifetimes.
    """

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256, hex
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class Organisation(db.Model):  # type: ignore[name-defined]
    """Organisation-wide settings; there is exactly one row."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="SalesRamp")
    business_days: Mapped[bool] = mapped_column(Boolean, default=False)
    # How long something may wait on a coach (a verification, notes, an assessment, a review)
    # before their work queue calls it late.
    turnaround_days: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    # The coaching cadence coaches are held to: debriefs per rep per month (the dashboards).
    debriefs_per_rep_month: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    # Single sign-on (app/sso): with ``sso_required``, only the break-glass admin may still
    # sign in with a password; ``sso_creates_accounts`` lets strangers with a verified email in.
    sso_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    sso_break_glass_admin_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    sso_creates_accounts: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    sso_new_account_role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [r.value for r in e]),
        default=Role.REP,
        server_default=Role.REP.value,
    )

    def password_sign_in_closed(self, user: User) -> bool:
        """Whether ``user`` must sign in through single sign-on rather than with a password."""
        return self.sso_required and user.id != self.sso_break_glass_admin_id


class PasswordReset(db.Model):  # type: ignore[name-defined]
    """A "forgot password" link: single use, short-lived; only its token's SHA-256 is stored."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256, hex
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()
