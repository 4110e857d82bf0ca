"""Fixtures: an app per test with its own empty database, a client, and factories.

Set ``SALESRAMP_TEST_DATABASE_URL`` to run the suite against PostgreSQL; by default each test
gets a fresh SQLite file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text

from app import create_app
from app.accounts.models import Role, Team, User, UserRole
from app.accounts.passwords import hash_password
from app.config import PROJECT_ROOT
from app.curriculum.loader import load_curriculum
from app.curriculum.schema import Curriculum
from app.curriculum.service import store_curriculum
from app.extensions import db

PASSWORD = "correct horse battery"
TEST_DATABASE_URL = os.environ.get("SALESRAMP_TEST_DATABASE_URL", "")


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


@cache
def _scratch_dir() -> Path:
    """Files the app writes (the generated seal key, exports) go here, never into instance/."""
    directory = tempfile.TemporaryDirectory(prefix="salesramp-test-")
    _KEEP.append(directory)
    return Path(directory.name)


_KEEP: list[tempfile.TemporaryDirectory[str]] = []


@cache
def shipped_curriculum() -> Curriculum:
    return load_curriculum(PROJECT_ROOT / "curriculum")


def make_test_app(database_url: str, **overrides: Any) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "localhost",
        "SEAL_KEY_DIR": _scratch_dir() / "seal",
        "EXPORT_DIR": _scratch_dir() / "exports",
        **overrides,
    }
    return create_app(config)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = make_test_app(database_url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        _empty_database()


def _empty_database() -> None:
    if db.engine.dialect.name == "postgresql":
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.engine.dispose()


class FreshRequestClient(FlaskClient):
    """A test client whose every request starts with an empty ``g``, as in production.

    The ``app`` fixture keeps one app context open for the factories, and a request reuses an
    open app context, so without this the signed-in user cached in ``g`` would leak from one
    request into the next.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            vars(g._get_current_object()).clear()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = FreshRequestClient
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def curriculum(app: Flask) -> Curriculum:
    """The shipped curriculum, stored in the test database."""
    loaded = shipped_curriculum()
    store_curriculum(loaded)
    db.session.commit()
    return loaded


@pytest.fixture
def make_team(app: Flask) -> Callable[..., Team]:
    def make(name: str = "Team North") -> Team:
        team = Team(name=name)
        db.session.add(team)
        db.session.commit()
        return team

    return make


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(
        *roles: Role,
        name: str | None = None,
        coach: User | None = None,
        team: Team | None = None,
        active: bool = True,
        timezone: str = "UTC",
        start_date: date | None = None,
    ) -> User:
        number = next(counter)
        roles = roles or (Role.REP,)
        user = User(
            email=f"{roles[0].value}{number}@example.com",
            full_name=name or f"{roles[0].label} Person {number}",
            password_hash=password_hash(),
            active=active,
            coach=coach,
            team=team,
            timezone=timezone,
            start_date=start_date,
            role_rows=[UserRole(role=role) for role in roles],
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_rep(make_user: Callable[..., User], curriculum: Curriculum) -> Callable[..., User]:
    """A rep with a coach and a plan started ``day_of_ramp`` days ago (UTC)."""
    from app.plans.service import assign_plan

    def make(
        day_of_ramp: int = 10,
        plan: str = "sdr-ramp",
        coach: User | None = None,
        name: str | None = None,
    ) -> User:
        coach = coach or make_user(Role.COACH)
        rep = make_user(Role.REP, coach=coach, name=name)
        start = datetime.now(UTC).date() - timedelta(days=day_of_ramp - 1)
        assign_plan(coach, rep, plan, start)
        db.session.commit()
        return rep

    return make


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], FlaskClient]:
    """Sign a user in through the real login form."""

    def sign_in(user: User) -> FlaskClient:
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.text
        return client

    return sign_in
