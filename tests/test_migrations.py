"""Migrations: one head; an empty database upgrades to exactly the models' schema, and back."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import MetaData, func, insert, inspect, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Role, User, UserRole
from app.accounts.passwords import hash_password
from app.curriculum.service import store_curriculum
from app.extensions import db, migrate
from app.plans.models import Plan
from app.plans.service import assign_plan
from tests.conftest import make_test_app, shipped_curriculum


def wipe_database() -> None:
    """Drop every table, Alembic's own included, whatever created it."""
    db.session.remove()
    existing = MetaData()
    existing.reflect(bind=db.engine)
    existing.drop_all(bind=db.engine)


@pytest.fixture
def keep_logging() -> Iterator[None]:
    """Alembic's env.py calls fileConfig, which disables loggers that exist: put them back."""
    root = logging.getLogger()
    saved_root = (root.level, list(root.handlers))
    loggers = {
        name: (logger.disabled, logger.level, list(logger.handlers), logger.propagate)
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    yield
    root.setLevel(saved_root[0])
    root.handlers[:] = saved_root[1]
    for name, logger in logging.root.manager.loggerDict.items():
        if not isinstance(logger, logging.Logger):
            continue
        if name in loggers:
            logger.disabled, level, handlers, logger.propagate = loggers[name]
            logger.setLevel(level)
            logger.handlers[:] = handlers
        else:
            logger.disabled = False


@pytest.fixture
def empty_app(database_url: str, keep_logging: None) -> Iterator[Flask]:
    """An app whose database has no tables at all; left that way afterwards."""
    app = make_test_app(database_url)
    with app.app_context():
        wipe_database()
        yield app
        wipe_database()
        db.engine.dispose()


def schema_diff() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def coach_and_rep() -> tuple[User, User]:
    """A coach and their rep, stored directly in the migrated tables."""
    coach = User(
        email="coach@example.com",
        full_name="Coach",
        password_hash=hash_password("x" * 12),
        role_rows=[UserRole(role=Role.COACH)],
    )
    rep = User(
        email="rep@example.com",
        full_name="Rep",
        password_hash=coach.password_hash,
        coach=coach,
        role_rows=[UserRole(role=Role.REP)],
    )
    db.session.add_all([coach, rep])
    db.session.flush()
    return coach, rep


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_there_is_exactly_one_head(empty_app):
    scripts = ScriptDirectory.from_config(migrate.get_config())
    assert len(scripts.get_heads()) == 1


def test_every_revision_can_be_downgraded(empty_app):
    scripts = ScriptDirectory.from_config(migrate.get_config())
    for revision in scripts.walk_revisions():
        assert revision.module.downgrade is not None


def test_upgrade_gives_the_models_schema_and_downgrade_undoes_it(empty_app):
    runner = empty_app.test_cli_runner()
    model_tables = {table.name for table in db.metadata.sorted_tables}
    assert tables() == set()

    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert tables() == model_tables | {"alembic_version"}
    assert schema_diff() == []

    result = runner.invoke(args=["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    assert tables() <= {"alembic_version"}

    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert schema_diff() == []


def test_the_migrated_schema_works_for_the_app(empty_app):
    """Not just the same shape: the app can store a rep with a plan in the migrated database."""
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0

    store_curriculum(shipped_curriculum())
    coach, rep = coach_and_rep()
    plan = assign_plan(coach, rep, "sdr-ramp", date(2025, 3, 3))
    db.session.commit()
    assert plan.id is not None
    assert rep.created_at is not None  # the server default exists in the migrated table


def test_a_rep_left_with_two_active_plans_keeps_only_the_latest(empty_app):
    """0011 archives the extra active plans a race could leave, then forbids another."""
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    store_curriculum(shipped_curriculum())
    coach, rep = coach_and_rep()
    first = assign_plan(coach, rep, "sdr-ramp", date(2025, 3, 3))
    db.session.commit()
    # Plain ids: at 0010 the users table lacks later columns, so a User cannot be reloaded.
    rep_id, template_id, assigned_at = rep.id, first.template_id, first.assigned_at
    db.session.expunge(rep)
    # Reading them began a transaction: end it, or on PostgreSQL its locks on plans and users
    # keep the downgrade's DROP TABLE (of tables pointing at them) waiting for ever.
    db.session.commit()
    assert runner.invoke(args=["db", "downgrade", "0010"]).exit_code == 0
    # Written as a table row on a connection of its own, outside the session: the app's
    # flush, statement and commit hooks (the certification standings, the stored progress
    # reports' count, the data's generation) write tables that 0010 does not have yet.
    with db.engine.begin() as connection:
        second_id = connection.execute(
            insert(Plan.__table__).returning(Plan.__table__.c.id),
            dict(rep_id=rep_id, template_id=template_id, start_date=date(2025, 3, 10),
                 assigned_at=assigned_at + timedelta(minutes=1)),
        ).scalar_one()  # fmt: skip

    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0

    db.session.expire_all()
    second = db.session.get(Plan, second_id)
    assert first.archived_at is not None
    assert second.archived_at is None
    db.session.add(Plan(rep_id=rep_id, template_id=template_id, start_date=date(2025, 4, 1),
                        assigned_at=second.assigned_at))  # fmt: skip
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_migrations_that_copy_a_table_keep_a_populated_database(empty_app):
    """On SQLite, batch mode copies a table and drops the old one: with the tables that point
    at it holding rows (the demo's agreements, signatures and trails), nothing is lost."""
    runner = empty_app.test_cli_runner()
    for args in (["db", "upgrade"], ["curriculum", "load"], ["demo"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    before = row_counts()
    assert before["agreements"] and before["agreement_signatures"] and before["agreement_events"]

    result = runner.invoke(args=["db", "downgrade", "0011"])
    assert result.exit_code == 0, result.output
    at_0011 = tables()  # tables added since (invitations, say) go with their rows
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output

    after = row_counts()
    assert {name: after[name] for name in at_0011 if name in after} == {
        name: before[name] for name in at_0011 if name in before
    }
    assert schema_diff() == []


def row_counts() -> dict[str, int]:
    """Rows per table, for the tables the database has at its current revision."""
    db.session.remove()
    existing = set(inspect(db.engine).get_table_names())
    with db.engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table)) or 0
            for table in db.metadata.sorted_tables
            if table.name in existing
        }
