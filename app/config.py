"""Settings read from the environment when the app is created, never at import time."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingError(RuntimeError):
    """A ``SALESRAMP_*`` setting that the app cannot start with; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    """The deployment's settings; every one has a safe default for a local demo."""

    database_url: str
    secret_key: str
    curriculum_dir: Path
    instance_path: Path
    seal_p12: Path | None = None  # the organisation's PKCS#12 for sealing agreements
    seal_passphrase: str | None = None
    # A time-stamping authority (RFC 3161): seals become PAdES B-LT (timestamp, validation data).
    tsa_url: str | None = None
    tsa_trust_roots: Path | None = None  # PEM roots for the TSA's chain, beyond the system's
    reauth_minutes: int = 5  # signing needs a password entered within this many minutes
    public_url: str = "http://127.0.0.1:5000"  # where QR codes on sealed PDFs point
    bench_query_header: bool = False  # ``make bench``: count each request's SQL statements
    # Request bodies: an uploaded PDF (20 MiB) and its form; any other page takes only a form.
    max_content_length: int = 21 * 1024 * 1024
    max_form_length: int = 1024 * 1024
    slow_query_ms: int = 500  # SQL statements slower than this are logged as warnings
    # Shared state for several processes or hosts (the job queue, sign-in throttling);
    # None: in this process (and the queue in a SQLite file).
    redis_url: str | None = None
    # Failed sign-ins allowed per account (the email typed) and per client address.
    sign_in_limit_per_account: str = "5/minute;20/hour"
    sign_in_limit_per_address: str = "20/minute;100/hour"
    # Forgot-password emails allowed per account (the email typed) and per client address.
    password_reset_limit_per_account: str = "3/hour"
    password_reset_limit_per_address: str = "10/hour"
    # Requests to /api/v1 per token (per client address without one), Flask-Limiter syntax.
    api_rate_limit: str = "300/minute;10000/hour"
    job_stale_seconds: int = 600  # a job with no sign of life for this long was interrupted
    queue_name: str | None = None  # default: one queue per database (app/jobs.py)
    export_dir: Path | None = None  # default instance/exports; shared storage on several hosts
    # Sign-ins (app/accounts/signins.py): a session ends after this long without a request,
    # and this long after signing in whatever happens; "Keep me signed in" has its own pair.
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    remember_idle_days: int = 14
    remember_max_days: int = 30  # at most MAX_REMEMBER_DAYS
    # Housekeeping (app/prune.py, daily and ``flask prune``): submission keys, ended sign-ins
    # and finished export and bulk-send jobs are kept this many days; the security log (the
    # audit trail of sign-ins, refusals, role changes) this many, two years by default.
    retention_days: int = 30
    security_log_retention_days: int = 730
    # Finished webhook deliveries stay in the delivery log this many days; a finished table
    # export (CSV or Excel written by the job worker) can be downloaded this many days.
    webhook_retention_days: int = 90
    export_expiry_days: int = 7
    invitation_days: int = 7  # an invitation's link works this many days (app/invitations)
    # An agreement sent without a "sign by" date is due this many days after it is sent.
    agreement_sign_days: int = 14
    # The digest (app/reminders/digest.py): sent from this hour of each person's own day,
    # weekly ones on this day of the week (0 is Monday).
    digest_hour: int = 7
    digest_weekday: int = 0
    # Escalation (app/escalations): an overdue milestone or commitment is raised to the rep's
    # coach after this many days late, and to the coach's manager (or HR) after this many.
    escalate_coach_days: int = 3
    escalate_manager_days: int = 10
    # Disputes (app/disputes): the days a dispute may stay open before it shows as late.
    dispute_turnaround_days: int = 5
    # Peer buddies (app/buddies): the check-in cadence (LAST_DAY:INTERVAL periods), the days
    # after a due date a check-in still counts, and how many new hires one peer may buddy.
    buddy_cadence: str = "30:7,60:14,90:30"
    buddy_grace_days: int = 3
    buddy_max_per_peer: int = 2
    https: bool = False  # served over HTTPS: Secure cookies and HSTS
    proxy_count: int = 0  # reverse proxies in front whose X-Forwarded-* headers are trusted
    # Single sign-on with OpenID Connect (app/sso): off unless the issuer is set.
    oidc_issuer: str | None = None
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_name: str = "single sign-on"  # the button says "Sign in with <name>"
    # Email (app/mail): an smtp:// or smtps:// URL; None writes every message to the outbox
    # folder instead, where the admin's Outbox page shows it.
    mail_url: str | None = None
    mail_from: str = "salesramp@localhost"
    # Webhooks (app/webhooks): private, loopback and link-local targets are refused unless
    # allowed (development, tests); each request gives up after this many seconds.
    webhooks_allow_private: bool = False
    webhook_timeout: int = 5

    def as_flask_config(self) -> dict[str, Any]:
        return {
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SECRET_KEY": self.secret_key,
            "CURRICULUM_DIR": self.curriculum_dir,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_DURATION": timedelta(days=self.remember_max_days),
            "SESSION_COOKIE_SECURE": self.https,
            "REMEMBER_COOKIE_SECURE": self.https,
            "PREFERRED_URL_SCHEME": "https" if self.https else "http",
            "HTTPS": self.https,
            "PROXY_COUNT": self.proxy_count,
            "SESSION_IDLE_MINUTES": self.session_idle_minutes,
            "SESSION_MAX_HOURS": self.session_max_hours,
            "REMEMBER_IDLE_DAYS": self.remember_idle_days,
            "REMEMBER_MAX_DAYS": self.remember_max_days,
            "WTF_CSRF_TIME_LIMIT": None,
            "SEAL_P12": self.seal_p12,
            "SEAL_PASSPHRASE": self.seal_passphrase,
            # Without SEAL_P12, a self-signed organisation certificate is generated here once.
            "SEAL_KEY_DIR": self.instance_path,
            "TSA_URL": self.tsa_url,
            "TSA_TRUST_ROOTS": self.tsa_trust_roots,
            "REAUTH_MINUTES": self.reauth_minutes,
            "PUBLIC_URL": self.public_url,
            # The job worker writes export ZIPs here and the web workers serve them from here.
            "EXPORT_DIR": self.export_dir or self.instance_path / "exports",
            # Exports of more agreements than this are built in the background with progress.
            "EXPORT_INLINE_LIMIT": 100,
            # Add an X-Query-Count header to every response (for the page benchmark only).
            "BENCH_QUERY_HEADER": self.bench_query_header,
            "MAX_CONTENT_LENGTH": self.max_content_length,
            "MAX_FORM_LENGTH": self.max_form_length,
            "SLOW_QUERY_MS": self.slow_query_ms,
            # Flask-Limiter: in memory for one process, in Redis when several share the limits.
            # Said outright: the limiter is one object per process, and an app without the
            # setting would inherit "off" from an app made before it with RATELIMIT_ENABLED off.
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": self.redis_url or "memory://",
            "RATELIMIT_STRATEGY": "moving-window",
            "RATELIMIT_HEADERS_ENABLED": True,
            "RATELIMIT_KEY_PREFIX": "salesramp",
            # Redis down must not stop people signing in: count in this process meanwhile
            # (Flask-Limiter checks Redis again now and then), and never answer 500 for a
            # counter; a Redis that hangs is given up on after a second.
            "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
            "RATELIMIT_SWALLOW_ERRORS": True,
            "RATELIMIT_STORAGE_OPTIONS": (
                {"socket_connect_timeout": 1, "socket_timeout": 1} if self.redis_url else {}
            ),
            "SIGN_IN_LIMIT_PER_ACCOUNT": self.sign_in_limit_per_account,
            "SIGN_IN_LIMIT_PER_ADDRESS": self.sign_in_limit_per_address,
            "PASSWORD_RESET_LIMIT_PER_ACCOUNT": self.password_reset_limit_per_account,
            "PASSWORD_RESET_LIMIT_PER_ADDRESS": self.password_reset_limit_per_address,
            "API_RATE_LIMIT": self.api_rate_limit,
            # The job queue (app/jobs.py): Redis when set, else this SQLite file.
            "REDIS_URL": self.redis_url,
            "QUEUE_FILE": self.instance_path / "queue.sqlite3",
            "QUEUE_NAME": self.queue_name,
            "JOBS_IMMEDIATE": False,  # the tests run each job as it is enqueued
            "JOB_RETRIES": 3,
            "JOB_RETRY_DELAY": 10,  # seconds before the first retry, doubled for each next one
            "JOB_STALE_SECONDS": self.job_stale_seconds,
            "RETENTION_DAYS": self.retention_days,
            "INVITATION_DAYS": self.invitation_days,
            "AGREEMENT_SIGN_DAYS": self.agreement_sign_days,
            "MAIL_URL": self.mail_url,
            "MAIL_FROM": self.mail_from,
            "MAIL_DEFAULT_SENDER": self.mail_from,
            "MAIL_OUTBOX_DIR": self.instance_path / "outbox",
            "WEBHOOKS_ALLOW_PRIVATE": self.webhooks_allow_private,
            "WEBHOOK_TIMEOUT": self.webhook_timeout,
            "ESCALATE_COACH_DAYS": self.escalate_coach_days,
            "ESCALATE_MANAGER_DAYS": self.escalate_manager_days,
            "DISPUTE_TURNAROUND_DAYS": self.dispute_turnaround_days,
            "BUDDY_CADENCE": self.buddy_cadence,
            "BUDDY_GRACE_DAYS": self.buddy_grace_days,
            "BUDDY_MAX_PER_PEER": self.buddy_max_per_peer,
            "SECURITY_LOG_RETENTION_DAYS": self.security_log_retention_days,
            "WEBHOOK_RETENTION_DAYS": self.webhook_retention_days,
            "EXPORT_EXPIRY_DAYS": self.export_expiry_days,
            "DIGEST_HOUR": self.digest_hour,
            "DIGEST_WEEKDAY": self.digest_weekday,
            "OIDC_ISSUER": self.oidc_issuer,
            "OIDC_CLIENT_ID": self.oidc_client_id,
            "OIDC_CLIENT_SECRET": self.oidc_client_secret,
            "OIDC_NAME": self.oidc_name,
        }


def read_settings(instance_path: Path, environ: dict[str, str] | None = None) -> Settings:
    """Build the settings from ``SALESRAMP_*`` variables, creating instance files on first run."""
    env = os.environ if environ is None else environ
    owner_only_directory(instance_path)
    default_db = f"sqlite:///{instance_path / 'salesramp.sqlite3'}"
    coach_days, manager_days = _escalation_days(env)
    return Settings(
        database_url=env.get("SALESRAMP_DATABASE_URL") or default_db,
        secret_key=env.get("SALESRAMP_SECRET_KEY") or _instance_secret_key(instance_path),
        curriculum_dir=Path(env.get("SALESRAMP_CURRICULUM_DIR") or PROJECT_ROOT / "curriculum"),
        instance_path=instance_path,
        seal_p12=Path(env["SALESRAMP_SEAL_P12"]) if env.get("SALESRAMP_SEAL_P12") else None,
        seal_passphrase=env.get("SALESRAMP_SEAL_PASSPHRASE"),
        tsa_url=env.get("SALESRAMP_TSA_URL") or None,
        tsa_trust_roots=Path(env["SALESRAMP_TSA_TRUST_ROOTS"])
        if env.get("SALESRAMP_TSA_TRUST_ROOTS")
        else None,
        reauth_minutes=_positive_int(env.get("SALESRAMP_REAUTH_MINUTES"), default=5),
        public_url=env.get("SALESRAMP_PUBLIC_URL") or f"http://127.0.0.1:{env.get('PORT') or 5000}",
        bench_query_header=env.get("SALESRAMP_BENCH_QUERY_HEADER") == "1",
        max_content_length=_positive_int(
            env.get("SALESRAMP_MAX_CONTENT_LENGTH"), default=21 * 1024 * 1024
        ),
        max_form_length=_positive_int(env.get("SALESRAMP_MAX_FORM_LENGTH"), default=1024 * 1024),
        slow_query_ms=_positive_int(env.get("SALESRAMP_SLOW_QUERY_MS"), default=500),
        redis_url=env.get("SALESRAMP_REDIS_URL") or None,
        sign_in_limit_per_account=env.get("SALESRAMP_SIGN_IN_LIMIT_PER_ACCOUNT")
        or "5/minute;20/hour",
        sign_in_limit_per_address=env.get("SALESRAMP_SIGN_IN_LIMIT_PER_ADDRESS")
        or "20/minute;100/hour",
        password_reset_limit_per_account=env.get("SALESRAMP_PASSWORD_RESET_LIMIT_PER_ACCOUNT")
        or "3/hour",
        password_reset_limit_per_address=env.get("SALESRAMP_PASSWORD_RESET_LIMIT_PER_ADDRESS")
        or "10/hour",
        api_rate_limit=env.get("SALESRAMP_API_RATE_LIMIT") or "300/minute;10000/hour",
        job_stale_seconds=_positive_int(env.get("SALESRAMP_JOB_STALE_SECONDS"), default=600),
        queue_name=env.get("SALESRAMP_QUEUE_NAME") or None,
        export_dir=Path(env["SALESRAMP_EXPORT_DIR"]) if env.get("SALESRAMP_EXPORT_DIR") else None,
        session_idle_minutes=_positive_int(env.get("SALESRAMP_SESSION_IDLE_MINUTES"), default=30),
        session_max_hours=_positive_int(env.get("SALESRAMP_SESSION_MAX_HOURS"), default=12),
        remember_idle_days=_positive_int(env.get("SALESRAMP_REMEMBER_IDLE_DAYS"), default=14),
        remember_max_days=min(
            _positive_int(env.get("SALESRAMP_REMEMBER_MAX_DAYS"), default=30), MAX_REMEMBER_DAYS
        ),
        retention_days=_positive_int(env.get("SALESRAMP_RETENTION_DAYS"), default=30),
        invitation_days=_positive_int(env.get("SALESRAMP_INVITATION_DAYS"), default=7),
        agreement_sign_days=_positive_int(env.get("SALESRAMP_AGREEMENT_SIGN_DAYS"), default=14),
        security_log_retention_days=_positive_int(
            env.get("SALESRAMP_SECURITY_LOG_RETENTION_DAYS"), default=730
        ),
        digest_hour=_int_in(env.get("SALESRAMP_DIGEST_HOUR"), range(24), default=7),
        digest_weekday=_weekday(env.get("SALESRAMP_DIGEST_WEEKDAY"), default=0),
        escalate_coach_days=coach_days,
        escalate_manager_days=manager_days,
        dispute_turnaround_days=_positive_int(
            env.get("SALESRAMP_DISPUTE_TURNAROUND_DAYS"), default=5
        ),
        buddy_cadence=env.get("SALESRAMP_BUDDY_CADENCE") or "30:7,60:14,90:30",
        buddy_grace_days=_int_in(env.get("SALESRAMP_BUDDY_GRACE_DAYS"), range(31), default=3),
        buddy_max_per_peer=_positive_int(env.get("SALESRAMP_BUDDY_MAX_PER_PEER"), default=2),
        https=env.get("SALESRAMP_HTTPS") == "1",
        proxy_count=_positive_int(env.get("SALESRAMP_PROXY_COUNT"), default=0),
        oidc_issuer=env.get("SALESRAMP_OIDC_ISSUER") or None,
        oidc_client_id=env.get("SALESRAMP_OIDC_CLIENT_ID") or "",
        oidc_client_secret=env.get("SALESRAMP_OIDC_CLIENT_SECRET") or "",
        oidc_name=env.get("SALESRAMP_OIDC_NAME") or "single sign-on",
        mail_url=env.get("SALESRAMP_MAIL_URL") or None,
        mail_from=env.get("SALESRAMP_MAIL_FROM") or "salesramp@localhost",
        webhooks_allow_private=env.get("SALESRAMP_WEBHOOKS_ALLOW_PRIVATE") == "1",
        webhook_timeout=_positive_int(env.get("SALESRAMP_WEBHOOK_TIMEOUT"), default=5),
        webhook_retention_days=_positive_int(
            env.get("SALESRAMP_WEBHOOK_RETENTION_DAYS"), default=90
        ),
        export_expiry_days=_positive_int(env.get("SALESRAMP_EXPORT_EXPIRY_DAYS"), default=7),
    )


# The longest "Keep me signed in"; older sign-ins are deleted (app/accounts/signins.py).
MAX_REMEMBER_DAYS = 365


def _escalation_days(env: Mapping[str, str]) -> tuple[int, int]:
    """Both thresholds, or both defaults when the manager's would not come after the coach's."""
    coach = _positive_int(env.get("SALESRAMP_ESCALATE_COACH_DAYS"), default=3)
    manager = _positive_int(env.get("SALESRAMP_ESCALATE_MANAGER_DAYS"), default=10)
    if manager <= coach:
        coach, manager = 3, 10
    return coach, manager


def _positive_int(value: str | None, default: int) -> int:
    try:
        number = int(value) if value else default
    except ValueError:
        return default
    return number if number > 0 else default


def _int_in(value: str | None, allowed: range, default: int) -> int:
    try:
        number = int(value) if value else default
    except ValueError:
        return default
    return number if number in allowed else default


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(value: str | None, default: int) -> int:
    """A day of the week by name ("monday", "Mon") or number (0 is Monday, 6 Sunday)."""
    text = (value or "").strip().lower()
    for number, name in enumerate(WEEKDAYS):
        if text and len(text) >= 3 and name.startswith(text):
            return number
    return _int_in(text, range(7), default)


def _instance_secret_key(instance_path: Path) -> str:
    """Generate the key once into ``instance/`` so sessions survive restarts without a constant."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def owner_only_directory(path: Path) -> None:
    """Create ``path`` readable by its owner only (0700): it holds keys and personnel data.

    An existing directory is narrowed to 0700 too, so an instance/ made before this rule (or
    under a loose umask) stops being readable by other accounts on the machine.
    """
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def owner_only_sqlite_file(database_url: str) -> None:
    """Create the SQLite database file (0600) before SQLite does, which would use the umask.

    SQLite gives its ``-wal`` and ``-shm`` files the database file's permissions. Not for
    PostgreSQL or an in-memory database.
    """
    prefix = "sqlite:///"
    plain_file = "?" not in database_url and not database_url.endswith(":memory:")
    if not database_url.startswith(prefix) or not plain_file:
        return
    path = Path(database_url.removeprefix(prefix))
    if not path.parent.exists():
        owner_only_directory(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    path.chmod(0o600)
