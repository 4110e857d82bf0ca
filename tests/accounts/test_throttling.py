"""Sign-in throttling: failures counted per account and per address, in memory or in Redis."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.config import PROJECT_ROOT, read_settings
from app.extensions import db
from app.security.models import EventKind, SecurityEvent
from tests.accounts.test_views import sign_in
from tests.conftest import REDIS_TEST_URL

# Nothing listens on port 1: a Redis that is down.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


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
    assert default["RATELIMIT_ENABLED"] is True  # not inherited from an app made before
    environ = {
        "SALESRAMP_REDIS_URL": REDIS_TEST_URL,
        "SALESRAMP_SIGN_IN_LIMIT_PER_ACCOUNT": "3/minute",
        "SALESRAMP_SIGN_IN_LIMIT_PER_ADDRESS": "10/minute",
    }
    configured = read_settings(tmp_path, environ).as_flask_config()
    assert configured["RATELIMIT_STORAGE_URI"] == REDIS_TEST_URL
    assert configured["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"]  # Redis down: count in memory
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


def _run_instance(
    tmp_path: Path,
    name: str,
    prefix: str,
    password: str,
    attempts: int,
    redis_url: str,
    script: str = INSTANCE,
) -> Any:
    """Run ``script`` in a process of its own (Flask-Limiter's state is per process)."""
    env = {**os.environ, "SALESRAMP_REDIS_URL": redis_url}
    env.pop("SALESRAMP_DATABASE_URL", None)
    database = f"sqlite:///{tmp_path / name}.sqlite3"
    args = [database, prefix, "pat@example.com", password, str(attempts)]
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_two_app_instances_share_the_limit_through_redis(tmp_path, redis_url):
    prefix = f"salesramp-test-{uuid.uuid4().hex}"  # this run's keys only
    assert _run_instance(tmp_path, "first", prefix, "wrong guess", 5, redis_url) == [200] * 5
    # Another process, with a database of its own: the right password is refused, which an
    # in-memory store (one per process) could not do.
    second = _run_instance(tmp_path, "second", prefix, "right passphrase", 1, redis_url)
    assert second == [429]


# The same instance with Redis down: the right password first, then a guesser's five wrong
# ones and the right one again; the statuses, the security log's note and the log's warnings.
REDIS_DOWN = INSTANCE.replace(
    "codes = [",
    """import logging
warnings = []
class Remember(logging.Handler):
    def emit(self, record):
        warnings.append(record.getMessage())
logging.getLogger("app.accounts.sign_in_guard").addHandler(Remember())
first = client.post("/login", data={"email": email, "password": "right passphrase"})
client.post("/logout")
codes = [first.status_code] + [""",
).replace(
    "print(json.dumps(codes))",
    """codes.append(client.post("/login", data={"email": email, "password": "right passphrase"}
                         ).status_code)
from sqlalchemy import select
from app.security.models import EventKind, SecurityEvent
with app.app_context():
    notes = db.session.scalars(select(SecurityEvent.detail).where(
        SecurityEvent.kind == EventKind.THROTTLE_STORE_DOWN)).all()
print(json.dumps({"codes": codes, "notes": notes, "warnings": warnings}))""",
)


def test_sign_in_works_and_is_still_throttled_when_redis_is_down(tmp_path):
    """Flask-Limiter falls back to counting in memory: no 500, and the fall-back is noted once."""
    seen = _run_instance(tmp_path, "down", "p", "wrong guess", 5, UNREACHABLE_REDIS, REDIS_DOWN)
    assert seen["codes"] == [302] + [200] * 5 + [429]
    assert len(seen["notes"]) == 1 and "unreachable" in seen["notes"][0]
    assert len([w for w in seen["warnings"] if "unreachable" in w]) == 1


# The same instance with rate limiting switched off (RATELIMIT_ENABLED): no counters at all.
LIMITS_OFF = INSTANCE.replace('"RATELIMIT_KEY_PREFIX": prefix,', '"RATELIMIT_ENABLED": False,')


def test_sign_in_works_and_is_not_throttled_with_rate_limiting_off(tmp_path):
    """Flask-Limiter switched off has no counters to fall back from: sign-in is not throttled.

    In a process of its own, as in production: a disabled limiter in the test process would
    still hold the counters of the apps made before it.
    """
    assert LIMITS_OFF != INSTANCE
    assert _run_instance(tmp_path, "off", "p", "wrong guess", 7, "", LIMITS_OFF) == [200] * 7
    assert _run_instance(tmp_path, "off-right", "p", "right passphrase", 1, "", LIMITS_OFF) == [302]
