"""The demo's new hires: one invited this week, one whose invitation expired unanswered.

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
from app.plans import service as plans

DEMO_DAYS = 7


def seed_invitations(admin: User, coaches: list[User], teams: list[Team], now: datetime) -> None:
    """Lena Novak (invited yesterday, starts next week, plan ready) and Tom Becker (expired)."""
    moment = now.replace(tzinfo=None)
    start = moment.date() + timedelta(days=7 - moment.weekday())  # next Monday
    lena = _new_hire("lena.novak", "Lena Novak", "Sales Development Representative", "E2031")
    lena.team, lena.coach, lena.start_date = teams[0], coaches[0], start
    tom = _new_hire("tom.becker", "Tom Becker", "Account Executive", "E2032")
    tom.team, tom.coach, tom.start_date = teams[1], coaches[1], start - timedelta(days=7)
    db.session.flush()
    plans.assign_first_plans(admin, [(lena, "sdr-ramp", start)])
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


def _new_hire(local: str, name: str, title: str, employee_id: str) -> User:
    user = User(
        email=f"{local}@demo.salesramp",
        full_name=name,
        job_title=title,
        password_hash="",
        active=True,
        employee_id=employee_id,
        role_rows=[UserRole(role=Role.REP)],
    )
    db.session.add(user)
    return user
