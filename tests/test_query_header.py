"""``SALESRAMP_BENCH_QUERY_HEADER=1``: each response says how many SQL statements it ran."""

from __future__ import annotations

from pathlib import Path

from app.config import read_settings
from app.extensions import db
from tests.conftest import make_test_app


def test_the_setting_comes_from_the_environment(tmp_path: Path):
    assert read_settings(tmp_path, {}).bench_query_header is False
    env = {"SALESRAMP_BENCH_QUERY_HEADER": "1", "SALESRAMP_SECRET_KEY": "x"}
    assert read_settings(tmp_path, env).bench_query_header is True


def test_responses_carry_the_query_count_only_when_asked(tmp_path: Path):
    counted = make_test_app(f"sqlite:///{tmp_path / 'q.sqlite3'}", BENCH_QUERY_HEADER=True)
    with counted.app_context():
        db.create_all()
    client = counted.test_client()
    signing_in = client.post("/login", data={"email": "nobody@example.com", "password": "x"})
    assert int(signing_in.headers["X-Query-Count"]) >= 1  # looked the person up
    assert client.get("/login").headers["X-Query-Count"].isdigit()

    plain = make_test_app(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    with plain.app_context():
        db.create_all()
    assert "X-Query-Count" not in plain.test_client().get("/login").headers
