"""When this browser session last proved the password: signing an agreement needs a fresh one.

Web-side state (the Flask session), shared by the sign-in page and the signing pages.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import session

PASSWORD_AT = "password_at"


def mark_password_entered() -> None:
    """Remember when this session last proved the password: signing needs a fresh login."""
    session[PASSWORD_AT] = int(time.time())


def password_entered_at() -> datetime | None:
    """When this session last entered the password (UTC, naive), or None if never."""
    stamp = session.get(PASSWORD_AT)
    if not isinstance(stamp, int):
        return None
    return datetime.fromtimestamp(stamp, UTC).replace(tzinfo=None)
