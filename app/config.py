"""Settings read from the environment when the app is created, never at import time."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
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

    def as_flask_config(self) -> dict[str, Any]:
        return {
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SECRET_KEY": self.secret_key,
            "CURRICULUM_DIR": self.curriculum_dir,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "WTF_CSRF_TIME_LIMIT": None,
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
    )


def _instance_secret_key(instance_path: Path) -> str:
    """Generate the key once into ``instance/`` so sessions survive restarts without a constant."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
