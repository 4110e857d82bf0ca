"""The admin's single sign-on settings."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField

from app.accounts.models import Role
from app.sso.service import ROLES_FOR_NEW_ACCOUNTS
from app.widgets import SelectField


def _optional_id(value: str | None) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class SsoSettingsForm(FlaskForm):
    required = BooleanField(
        "Require single sign-on",
        description="Password sign-in is then refused to everyone but the break-glass admin.",
    )
    break_glass_admin_id = SelectField(
        "Break-glass admin",
        coerce=_optional_id,
        validate_choice=True,
        description="The one admin who may still sign in with a password, should the "
        "provider fail. Required with single sign-on required.",
    )
    creates_accounts = BooleanField(
        "Create an account for people who have none",
        description="Anyone the provider signs in with a verified email address gets one.",
    )
    new_account_role = SelectField(
        "Role of new accounts",
        choices=lambda: [(role.value, role.label) for role in ROLES_FOR_NEW_ACCOUNTS],
        default=Role.REP.value,
    )

    def set_choices(self, admins: list[tuple[int, str]]) -> None:
        self.break_glass_admin_id.choices = [(None, "Nobody"), *admins]
