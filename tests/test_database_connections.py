"""Every new database connection gets the settings the app relies on, whichever database.

SQLite: WAL (readers beside a writer), a busy timeout and foreign keys. PostgreSQL: custom
plans for every statement, also once psycopg has prepared it (a generic plan made a rep's
numbers page four times slower on the 1,000-rep organisation).
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import Engine, create_engine, text


def _setting(engine: Engine, statement: str) -> object:
    with engine.connect() as connection:
        value = connection.execute(text(statement)).scalar()
        connection.rollback()  # a first transaction rolled back keeps the session's settings
    with engine.connect() as connection:
        assert connection.execute(text(statement)).scalar() == value
    return value


def test_each_connection_has_the_settings_the_app_relies_on(app: Flask) -> None:
    # New connections to the test database (the test's own is shared with its fixtures).
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        if engine.dialect.name == "postgresql":
            assert _setting(engine, "SHOW plan_cache_mode") == "force_custom_plan"
        else:
            assert _setting(engine, "PRAGMA foreign_keys") == 1
            assert _setting(engine, "PRAGMA busy_timeout") == 5000
    finally:
        engine.dispose()
