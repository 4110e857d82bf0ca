"""``flask escalations run``: raise overdue work now (for cron, beside the worker's schedule)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from app.escalations import service
from app.extensions import db

escalations_cli = click.Group("escalations", help="Raise overdue milestones and commitments.")


@escalations_cli.command("run")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Count days late as of this UTC date (default: today).",
)
@with_appcontext
def run_command(on: object) -> None:
    """Raise every overdue item that reached a level it was not raised at yet; commits."""
    today: date | None = on.date() if on is not None else None  # type: ignore[attr-defined]
    result = service.run_escalations(today=today)
    db.session.commit()
    click.echo(
        f"raised to coaches: {result.coach}; to managers or HR: {result.manager}; "
        f"notifications: {result.notified}"
    )
