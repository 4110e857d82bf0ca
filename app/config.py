"""Settings read from the environment when the app is created, never at import time."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """The deployment's settings; every one has a safe default for a local demo."""

    database_url: str
    secret_key: str
    curriculum_dir: Path
    instance_path: Path
    seal_p12: Path | None = None  # the organisation's PKCS#12 for sealing agreements
    seal_passphrase: str | None = None
    reauth_minutes: int = 5  # signing needs a password entered within this many minutes
    public_url: str = "http://127.0.0.1:5000"  # where QR codes on sealed PDFs point
    bench_query_header: bool = False  # ``make bench``: count each request's SQL statements
    # Sign-ins (app/accounts/signins.py): a session ends after this long without a request,
    # and this long after signing in whatever happens; "Keep me signed in" has its own pair.
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    remember_idle_days: int = 14
    remember_max_days: int = 30  # at most MAX_REMEMBER_DAYS
    https: bool = False  # served over HTTPS: Secure cookies and HSTS
    proxy_count: int = 0  # reverse proxies in front whose X-Forwarded-* headers are trusted

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
            "REAUTH_MINUTES": self.reauth_minutes,
            "PUBLIC_URL": self.public_url,
            "EXPORT_DIR": self.instance_path / "exports",
            # Exports of more agreements than this are built in the background with progress.
            "EXPORT_INLINE_LIMIT": 100,
            # Add an X-Query-Count header to every response (for the page benchmark only).
            "BENCH_QUERY_HEADER": self.bench_query_header,
        }


def read_settings(instance_path: Path, environ: dict[str, str] | None = None) -> Settings:
    """Build the settings from ``SALESRAMP_*`` variables, creating instance files on first run."""
    env = os.environ if environ is None else environ
    instance_path.mkdir(parents=True, exist_ok=True)
    default_db = f"sqlite:///{instance_path / 'salesramp.sqlite3'}"
    return Settings(
        database_url=env.get("SALESRAMP_DATABASE_URL") or default_db,
        secret_key=env.get("SALESRAMP_SECRET_KEY") or _instance_secret_key(instance_path),
        curriculum_dir=Path(env.get("SALESRAMP_CURRICULUM_DIR") or PROJECT_ROOT / "curriculum"),
        instance_path=instance_path,
        seal_p12=Path(env["SALESRAMP_SEAL_P12"]) if env.get("SALESRAMP_SEAL_P12") else None,
        seal_passphrase=env.get("SALESRAMP_SEAL_PASSPHRASE"),
        reauth_minutes=_positive_int(env.get("SALESRAMP_REAUTH_MINUTES"), default=5),
        public_url=env.get("SALESRAMP_PUBLIC_URL") or f"http://127.0.0.1:{env.get('PORT') or 5000}",
        bench_query_header=env.get("SALESRAMP_BENCH_QUERY_HEADER") == "1",
        session_idle_minutes=_positive_int(env.get("SALESRAMP_SESSION_IDLE_MINUTES"), default=30),
        session_max_hours=_positive_int(env.get("SALESRAMP_SESSION_MAX_HOURS"), default=12),
        remember_idle_days=_positive_int(env.get("SALESRAMP_REMEMBER_IDLE_DAYS"), default=14),
        remember_max_days=min(
            _positive_int(env.get("SALESRAMP_REMEMBER_MAX_DAYS"), default=30), MAX_REMEMBER_DAYS
        ),
        https=env.get("SALESRAMP_HTTPS") == "1",
        proxy_count=_positive_int(env.get("SALESRAMP_PROXY_COUNT"), default=0),
    )


# The longest "Keep me signed in"; older sign-ins are deleted (app/accounts/signins.py).
MAX_REMEMBER_DAYS = 365


def _positive_int(value: str | None, default: int) -> int:
    try:
        number = int(value) if value else default
    except ValueError:
        return default
    return number if number > 0 else default


def _instance_secret_key(instance_path: Path) -> str:
    """Generate the key once into ``instance/`` so sessions survive restarts without a constant."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
