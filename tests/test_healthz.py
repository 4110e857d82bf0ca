"""``/healthz`` for load balancers: 200 when the database and the job queue answer, else 503."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from tests.conftest import make_test_app


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Any]:
    """Build an app on a real (not immediate) queue and ask its /healthz."""
    apps: list[Flask] = []

    def healthz(database_url: str, **overrides: Any) -> Any:
        settings = {
            "JOBS_IMMEDIATE": False,
            "QUEUE_FILE": tmp_path / "queue.sqlite3",
            "QUEUE_NAME": f"salesramp-test-{uuid.uuid4().hex}",
            **overrides,
        }
        app = make_test_app(database_url, **settings)
        apps.append(app)
        return app.test_client().get("/healthz")

    yield healthz
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def test_healthy_when_the_database_and_the_queue_answer(served: Any, tmp_path: Path) -> None:
    response = served(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.json == {"database": "ok", "queue": "ok"}
    assert "no-store" in response.headers["Cache-Control"]


def test_healthy_on_the_test_database_and_redis(served: Any, app: Flask, redis_url: str) -> None:
    response = served(app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=redis_url)
    assert (response.status_code, response.json) == (200, {"database": "ok", "queue": "ok"})


def test_unhealthy_when_the_database_is_unreachable(served: Any, tmp_path: Path) -> None:
    nothing_listens = "postgresql+psycopg://postgres@127.0.0.1:1/salesramp"
    response = served(nothing_listens)
    assert response.status_code == 503
    assert response.json == {"database": "unreachable", "queue": "ok"}


def test_unhealthy_when_the_queue_is_unreachable(served: Any, tmp_path: Path) -> None:
    nothing_listens = "redis://127.0.0.1:1/0"
    response = served(f"sqlite:///{tmp_path / 'db.sqlite3'}", REDIS_URL=nothing_listens)
    assert response.status_code == 503
    assert response.json == {"database": "ok", "queue": "unreachable"}
