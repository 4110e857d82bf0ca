"""The demo's new hires: a coach invited yesterday, an HR partner whose invitation expired.

Their invitations are written directly (no email is queued while seeding); the admin's
"Send a new link" on either sends a real one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from app.accounts.models import Role, Team, User, UserRole
from app.extensions import db
from app.invitations.models import Invitation

DEMO_DAYS = 7


def seed_invitations(admin: User, teams: list[Team], now: datetime) -> None:
    """Lena Novak (a coach for Team North, invited yesterday) and Tom Becker (HR, expired).

    Neither is a rep, so the demo's ten reps stay the whole ramp overview.
    """
    moment = now.replace(tzinfo=None)
    lena = _new_hire("lena.novak", "Lena Novak", "Sales Manager, North", Role.COACH, "E2031")
    lena.team = teams[0]
    tom = _new_hire("tom.becker", "Tom Becker", "People Partner", Role.HR, "E2032")
    db.session.flush()
    for person, sent in ((lena, moment - timedelta(days=1)), (tom, moment - timedelta(days=10))):
        db.session.add(
            Invitation(
                user=person,
                token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
                invited_by=admin,
                created_at=sent,
                sent_at=sent,
                expires_at=sent + timedelta(days=DEMO_DAYS),
                sends=1,
            )
        )
    db.session.flush()


def _new_hire(local: str, name: str, title: str, role: Role, employee_id: str) -> User:
    user = User(
        email=f"{local}@demo.salesramp",
        full_name=name,
        job_title=title,
        password_hash="",
        active=True,
        employee_id=employee_id,
        role_rows=[UserRole(role=role)],
    )
    db.session.add(user)
    return user
