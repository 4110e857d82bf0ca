"""Helpers for the activity tests: reps named as the sample files name them, and CSV text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask import Flask

from app.accounts.models import Role, User
from app.extensions import db
from app.metrics import service
from app.metrics.catalogue import Period, RepMatch
from app.metrics.models import ActivitySource
from tests.conftest import create_user

SAMPLE_REPS = {
    "rep1@demo.salesramp": "Ava Chen",
    "rep2@demo.salesramp": "Ben Okafor",
    "rep5@demo.salesramp": "Emma Schulz",
    "rep7@demo.salesramp": "Grace Kim",
    "rep9@demo.salesramp": "Isla Novak",
    "rep3@demo.salesramp": "Chloe Martin",
    "rep4@demo.salesramp": "Diego Alvarez",
    "rep6@demo.salesramp": "Farid Haddad",
    "rep8@demo.salesramp": "Hiro Tanaka",
    "rep10@demo.salesramp": "Jonas Berg",
}


def last_monday(weeks_ago: int = 1) -> date:
    today = date.today()
    return today - timedelta(days=today.weekday(), weeks=weeks_ago)


def make_source(name: str = "TestCRM", period: Period = Period.DAY) -> ActivitySource:
    """A source reading ``Email,Date,Dials,Meetings`` files."""
    source = service.ensure_source(None, name)
    choice = service.MappingChoice(
        RepMatch.EMAIL,
        "Email",
        "Date",
        period,
        "%Y-%m-%d",
        {"dials": "Dials", "meetings_booked": "Meetings"},
    )
    service.save_mapping(None, source, choice)
    db.session.commit()
    return source


def csv_of(*rows: tuple[object, ...]) -> bytes:
    lines = ["Email,Date,Dials,Meetings", *(",".join(str(c) for c in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def sample_reps(app: Flask) -> dict[str, User]:
    """The reps the sample files name, by email."""
    reps = {}
    for email, name in SAMPLE_REPS.items():
        rep = create_user(Role.REP, name=name)
        rep.email = email
        reps[email] = rep
    db.session.commit()
    return reps


@pytest.fixture
def hr(app: Flask) -> User:
    return create_user(Role.HR, name="Harper People")


@pytest.fixture
def new_source(app: Flask) -> Callable[..., ActivitySource]:
    return make_source
