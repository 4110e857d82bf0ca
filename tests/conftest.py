"""Fixtures: one app and schema per run, each test on a restored snapshot, and factories.

Set ``SALESRAMP_TEST_DATABASE_URL`` to run the suite against PostgreSQL; by default the run
uses a SQLite file of its own. How snapshots are kept and restored: ``tests/database.py``.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, make_url, text

from app import create_app
from app.accounts.models import Role, Team, User, UserRole
from app.accounts.passwords import hash_password
from app.config import PROJECT_ROOT
from app.curriculum.loader import load_curriculum
from app.curriculum.schema import Curriculum
from app.extensions import db, limiter
from app.generation import forget_kept_figures
from app.plans.service import assign_plan
from tests.database import Commits, Snapshot, TestDatabase
from tests.querycount import counting_queries
from tests.smtp import SmtpTestServer

# The Nu Html Checker over every page the run renders (tests/htmlcheck.py).
pytest_plugins = ["tests.htmlcheck"]

PASSWORD = "correct horse battery"
TEST_DATABASE_URL = os.environ.get("SALESRAMP_TEST_DATABASE_URL", "")
# Database 2 of the local Redis is this suite's (other projects' tests use other numbers).
REDIS_TEST_URL = os.environ.get("SALESRAMP_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


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
        # Sign-in counters in this process, whatever SALESRAMP_REDIS_URL says: the tests of the
        # Redis store start app instances of their own (tests/accounts/test_throttling.py).
        "RATELIMIT_STORAGE_URI": "memory://",
        # Jobs run as they are enqueued (after the commit), with no worker and no waiting.
        "JOBS_IMMEDIATE": True,
        "JOB_RETRY_DELAY": 0,
        "QUEUE_FILE": _scratch_dir() / "queue.sqlite3",
        # Never a real mail server from the environment: without a mail URL messages are
        # written here; the smtp_server fixture sets the URL of a test server.
        "MAIL_URL": None,
        "MAIL_OUTBOX_DIR": _scratch_dir() / "outbox",
        **_fast_test_engine(database_url),
        **overrides,
    }
    return create_app(config)


def _fast_test_engine(database_url: str) -> dict[str, Any]:
    """Test databases are thrown away, so PostgreSQL need not wait for the disk on commit."""
    if not database_url.startswith("postgresql"):
        return {}
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": "-c synchronous_commit=off"}}}


@pytest.fixture(scope="session")
def test_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabase]:
    """One app and one schema for the whole run; each test restores a snapshot of it."""
    workdir = tmp_path_factory.mktemp("database")
    url = _worker_database(TEST_DATABASE_URL) or f"sqlite:///{workdir / 'test.sqlite3'}"
    database = TestDatabase(make_test_app(url), url, workdir, shipped_curriculum())
    database.create_schema()
    yield database
    with database.app.app_context():
        db.engine.dispose()


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets a PostgreSQL database of its own, made if missing.

    (A SQLite run needs nothing: each worker's files are in its own temporary folder.)
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        found = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not found:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def database_url(test_database: TestDatabase) -> Iterator[str]:
    """The database's URL, for a test that reaches it through an app or connection of its own.

    What such a test writes is committed for real, so the database is rebuilt after it.
    """
    yield test_database.url
    test_database.forget_committed()


def _snapshot_for(request: pytest.FixtureRequest, database: TestDatabase) -> Snapshot:
    """The snapshot a test starts from: a ``*_snapshot`` fixture it uses, else a base one."""
    names = [name for name in request.fixturenames if name.endswith("_snapshot")]
    if len(names) > 1:
        pytest.fail(f"a test can start from one snapshot only, not {names}")
    if names:
        snapshot: Snapshot = request.getfixturevalue(names[0])
        return snapshot
    return database.with_curriculum if "curriculum" in request.fixturenames else database.empty


def _commits_for(request: pytest.FixtureRequest) -> Commits:
    """Real commits for tests whose other connections (a live server, threads) must see them."""
    if "database_url" in request.fixturenames or request.node.get_closest_marker("real_commits"):
        return Commits.REAL
    return Commits.ROLLED_BACK


@pytest.fixture
def app(request: pytest.FixtureRequest, test_database: TestDatabase) -> Iterator[Flask]:
    """The app, in its own app context, on a database restored to the test's snapshot."""
    with test_database.test(_snapshot_for(request, test_database), _commits_for(request)) as app:
        limiter.reset()  # sign-in throttling counts failures: each test starts from none
        forget_kept_figures()  # the app outlives a test: none starts from another's figures
        yield app


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


@pytest.fixture(scope="session")
def demo_snapshot(test_database: TestDatabase) -> Snapshot:
    """The demo organisation as ``flask demo`` seeds it: seeded (and its PDFs sealed) once.

    Its value is what the command printed.
    """

    def seed() -> str:
        result = test_database.app.test_cli_runner().invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        return result.output

    return test_database.snapshot("demo", seed)


@pytest.fixture
def redis_url() -> str:
    """The test Redis; skipped when it is unreachable, unless SALESRAMP_REQUIRE_REDIS is set."""
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("SALESRAMP_REQUIRE_REDIS"):
            raise
        pytest.skip(f"Redis is not reachable at {REDIS_TEST_URL}")
    return REDIS_TEST_URL


@pytest.fixture
def smtp_server(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpTestServer]:
    """A real SMTP server (aiosmtpd) on a free port of 127.0.0.1, the app's mail URL for the test.

    ``SALESRAMP_MAIL_URL`` points at it too, so an app made during the test (the browser
    tests' live server) sends there as well. ``.messages`` are the parsed messages received.
    """
    with SmtpTestServer() as server:
        monkeypatch.setitem(app.config, "MAIL_URL", server.url)
        monkeypatch.setenv("SALESRAMP_MAIL_URL", server.url)
        yield server


@pytest.fixture
def outbox(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder messages are written to when no mail URL is set (empty, this test's own)."""
    folder = tmp_path / "outbox"
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", folder)
    monkeypatch.setitem(app.config, "MAIL_URL", None)
    return folder


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = FreshRequestClient
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def curriculum(app: Flask) -> Curriculum:
    """The shipped curriculum, stored in the test database (the snapshot already holds it)."""
    return shipped_curriculum()


_numbers = itertools.count(1)  # unique emails across snapshots and tests


def create_team(name: str = "Team North") -> Team:
    team = Team(name=name)
    db.session.add(team)
    db.session.commit()
    return team


def create_user(
    *roles: Role,
    name: str | None = None,
    coach: User | None = None,
    team: Team | None = None,
    active: bool = True,
    timezone: str = "UTC",
    start_date: date | None = None,
) -> User:
    """A person who can sign in with ``PASSWORD``; a rep unless ``roles`` says otherwise."""
    number = next(_numbers)
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


def create_rep(
    day_of_ramp: int = 10,
    plan: str = "sdr-ramp",
    coach: User | None = None,
    name: str | None = None,
) -> User:
    """A rep with a coach and a plan started ``day_of_ramp`` days ago (UTC)."""
    coach = coach or create_user(Role.COACH)
    rep = create_user(Role.REP, coach=coach, name=name)
    start = datetime.now(UTC).date() - timedelta(days=day_of_ramp - 1)
    assign_plan(coach, rep, plan, start)
    db.session.commit()
    return rep


@pytest.fixture
def make_team(app: Flask) -> Callable[..., Team]:
    return create_team


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    return create_user


@pytest.fixture
def make_rep(make_user: Callable[..., User], curriculum: Curriculum) -> Callable[..., User]:
    """``make_rep(day_of_ramp=40)``: a rep with a coach and a plan (see ``create_rep``)."""
    return create_rep


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], FlaskClient]:
    """Sign a user in through the real login form."""

    def sign_in(user: User) -> FlaskClient:
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.text
        return client

    return sign_in


@pytest.fixture
def queries_of(client: FlaskClient) -> Callable[[str], int]:
    """``queries_of(url)``: how many SQL statements a GET of ``url`` runs (it must answer 200).

    The signed-in user is loaded first, so the count is the page's own work, as it is for every
    request after the first.
    """

    def count(url: str) -> int:
        client.get(url)
        forget_kept_figures()  # the page's own work is counted, not a kept copy of it
        with counting_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(statements)

    return count
