"""``flask notices sweep``: record today's statuses and draft due notices now (for cron)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from app.extensions import db
from app.notices import service

notices_cli = click.Group("notices", help="Written notices under signed consequence agreements.")


@notices_cli.command("sweep")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Record and judge this day for every rep (default: each rep's own today).",
)
@with_appcontext
def sweep_command(on: object) -> None:
    """Keep each covered rep's status for the day and draft the notices now due; commits."""
    today: date | None = on.date() if on is not None else None  # type: ignore[attr-defined]
    result = service.run_sweep(today=today)
    db.session.commit()
    click.echo(
        f"reps recorded: {result.reps}; notices drafted: {len(result.drafted)}; "
        f"episodes ended: {result.ended}"
    )
