"""The account page's token form, and the buttons that revoke one."""

from __future__ import annotations

from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.web import OnceForm


class NewTokenForm(OnceForm):
    """Make a token: its name says what uses it; an expiry ends it by itself."""

    name = StringField(
        "Name",
        validators=[DataRequired("Name the token."), Length(max=80)],
        description="What will use it, e.g. “HubSpot nightly sync”.",
    )
    expires_on = DateField(
        "Expires on (optional)",
        validators=[Optional()],
        description="The token stops working at the start of this day (UTC). "
        "Leave empty for a token that works until revoked; at most a year ahead.",
    )


class RevokeTokenForm(OnceForm):
    """Revoke one token: whatever uses it gets 401 from then on."""
