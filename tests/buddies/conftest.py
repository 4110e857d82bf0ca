"""A new hire (SDR, day 20) with their coach, an experienced SDR peer and an AE peer."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.accounts.models import Role, User
from tests.conftest import create_rep, create_user


@dataclass(frozen=True)
class People:
    coach: User
    rep: User  # the new hire
    peer: User  # an SDR on day 200: the suggested buddy
    ae: User  # an AE on day 200: not the same role
    other_coach: User
    hr: User
    admin: User


@pytest.fixture
def people(app, curriculum) -> People:
    coach = create_user(Role.COACH, name="Casey Coach")
    return People(
        coach=coach,
        rep=create_rep(day_of_ramp=20, coach=coach, name="Nina Newhire"),
        peer=create_rep(day_of_ramp=200, name="Pat Peer"),
        ae=create_rep(day_of_ramp=200, plan="ae-ramp", name="Alex Exec"),
        other_coach=create_user(Role.COACH, name="Dana Elsewhere"),
        hr=create_user(Role.HR, name="Harper People"),
        admin=create_user(Role.ADMIN, name="Adrian Admin"),
    )
