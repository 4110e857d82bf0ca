"""``flask quests check``: announce quests reached now (for cron, beside the worker's schedule)."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import with_appcontext

from app.extensions import db
from app.quests import service

quests_cli = click.Group("quests", help="Quests and the leaderboard.")


@quests_cli.command("check")
@with_appcontext
def check_command() -> None:
    """Record and announce every quest reached in its current window; commits."""
    new = service.record_completions(datetime.now(UTC).date())
    db.session.commit()
    click.echo(f"quests newly reached: {new}")
