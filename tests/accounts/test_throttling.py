"""Sign-in throttling: failures counted per account and per address, in memory or in Redis."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.config import PROJECT_ROOT, read_settings
from app.extensions import db
from app.security.models import EventKind, SecurityEvent
from tests.accounts.test_views import sign_in

REDIS_URL = "redis://127.0.0.1:6379/1"  # this lane's test database on the shared Redis


@pytest.fixture
def limits(app, monkeypatch):
    """Small limits for the test; the app reads them on every request."""

    def set_limits(per_account: str = "5/minute", per_address: str = "100/minute") -> None:
        monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_ACCOUNT", per_account)
        monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_ADDRESS", per_address)

    return set_limits


def test_limits_and_their_store_come_from_the_environment(tmp_path):
    default = read_settings(tmp_path, {}).as_flask_config()
    assert default["SIGN_IN_LIMIT_PER_ACCOUNT"] == "5/minute;20/hour"
    assert default["SIGN_IN_LIMIT_PER_ADDRESS"] == "20/minute;100/hour"
    assert default["RATELIMIT_STORAGE_URI"] == "memory://"
    environ = {
        "SALESRAMP_REDIS_URL": REDIS_URL,
        "SALESRAMP_SIGN_IN_LIMIT_PER_ACCOUNT": "3/minute",
        "SALESRAMP_SIGN_IN_LIMIT_PER_ADDRESS": "10/minute",
    }
    configured = read_settings(tmp_path, environ).as_flask_config()
    assert configured["RATELIMIT_STORAGE_URI"] == REDIS_URL
    assert configured["SIGN_IN_LIMIT_PER_ACCOUNT"] == "3/minute"
    assert configured["SIGN_IN_LIMIT_PER_ADDRESS"] == "10/minute"


def test_after_five_failures_even_the_right_password_is_refused(client, make_user):
    user = make_user(Role.REP)
    for _ in range(5):
        assert sign_in(client, user.email, "wrong password").status_code == 200
    refused = sign_in(client, user.email)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "Too many sign-in attempts" in refused.text
    assert "Try again in about 1 minute" in refused.text
    assert "<main" in refused.text and "<time datetime=" in refused.text
    # Still refused: being throttled is not a way to find out whether a password is right.
    assert sign_in(client, user.email).status_code == 429


def test_successful_sign_ins_are_not_counted(client, make_user, limits):
    limits(per_account="2/minute")
    user = make_user(Role.REP)
    for _ in range(4):
        assert sign_in(client, user.email).status_code == 302
        client.post("/logout")
    assert sign_in(client, user.email, "wrong").status_code == 200
    assert sign_in(client, user.email).status_code == 302


def test_one_account_throttled_leaves_the_others_alone(client, make_user, limits):
    limits(per_account="2/minute")
    victim, colleague = make_user(Role.REP), make_user(Role.REP)
    for _ in range(2):
        sign_in(client, victim.email, "wrong")
    assert sign_in(client, victim.email).status_code == 429
    assert sign_in(client, victim.email.upper()).status_code == 429  # the same account
    assert sign_in(client, colleague.email).status_code == 302


def test_an_unknown_email_is_throttled_like_a_known_one(client, limits):
    limits(per_account="2/minute")
    for _ in range(2):
        assert sign_in(client, "nobody@example.com", "guess").status_code == 200
    assert sign_in(client, "nobody@example.com", "guess").status_code == 429


def test_one_address_trying_many_accounts_is_throttled(client, make_user, limits):
    limits(per_account="5/minute", per_address="3/minute")
    user = make_user(Role.REP)
    for number in range(3):
        assert sign_in(client, f"guess{number}@example.com", "guess").status_code == 200
    assert sign_in(client, user.email).status_code == 429
    other_address = client.post(
        "/login",
        data={"email": user.email, "password": "correct horse battery"},
        environ_overrides={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert other_address.status_code == 302


def test_throttling_is_logged_although_the_request_is_refused(client, make_user, limits):
    limits(per_account="1/minute")
    user = make_user(Role.REP)
    sign_in(client, user.email, "wrong")
    assert sign_in(client, user.email).status_code == 429
    throttled = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.kind == EventKind.SIGN_IN_THROTTLED)
    ).all()
    assert [(e.subject_id, e.address) for e in throttled] == [(user.id, "127.0.0.1")]


# --- several processes share the limits through Redis ---------------------------------------

# One app instance in a process of its own: it signs in ``attempts`` times and prints the
# status codes. Each process has its own SQLite database; only Redis is shared.
INSTANCE = """
import json, sys
from app import create_app
from app.accounts.models import Role, User, UserRole
from app.accounts.passwords import hash_password
from app.extensions import db

database, prefix, email, password, attempts = sys.argv[1:]
app = create_app({
    "TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
    "SQLALCHEMY_DATABASE_URI": database, "RATELIMIT_KEY_PREFIX": prefix,
})
with app.app_context():
    db.create_all()
    user = User(email=email, full_name="Pat Doe", password_hash=hash_password("right passphrase"),
                active=True, role_rows=[UserRole(role=Role.REP)])
    db.session.add(user)
    db.session.commit()
client = app.test_client()
codes = [client.post("/login", data={"email": email, "password": password}).status_code
         for _ in range(int(attempts))]
print(json.dumps(codes))
"""


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _run_instance(tmp_path: Path, name: str, prefix: str, password: str, attempts: int) -> list:
    env = {**os.environ, "SALESRAMP_REDIS_URL": REDIS_URL}
    env.pop("SALESRAMP_DATABASE_URL", None)
    database = f"sqlite:///{tmp_path / name}.sqlite3"
    args = [database, prefix, "pat@example.com", password, str(attempts)]
    result = subprocess.run(
        [sys.executable, "-c", INSTANCE, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_two_app_instances_share_the_limit_through_redis(tmp_path):
    if not _redis_reachable():
        if os.environ.get("SALESRAMP_REQUIRE_REDIS"):
            pytest.fail("SALESRAMP_REQUIRE_REDIS is set but Redis at 127.0.0.1:6379 is unreachable")
        pytest.skip("Redis at 127.0.0.1:6379 is unreachable")
    prefix = f"salesramp-test-{uuid.uuid4().hex}"  # this run's keys only
    assert _run_instance(tmp_path, "first", prefix, "wrong guess", 5) == [200] * 5
    # Another process, with a database of its own: the right password is refused, which an
    # in-memory store (one per process) could not do.
    assert _run_instance(tmp_path, "second", prefix, "right passphrase", 1) == [429]
