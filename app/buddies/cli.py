"""``flask buddies lapses``: raise lapsed buddy check-ins now (for cron, beside the worker)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from app.buddies import service
from app.extensions import db

buddies_cli = click.Group("buddies", help="Peer buddies: check-in lapses.")


@buddies_cli.command("lapses")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Count missed check-ins as of this UTC date (default: today).",
)
@with_appcontext
def lapses_command(on: object) -> None:
    """Raise every new lapse (two check-ins missed in a row) to the coach; commits."""
    today: date | None = on.date() if on is not None else None  # type: ignore[attr-defined]
    raised = service.run_lapse_alerts(today=today)
    db.session.commit()
    click.echo(f"lapses raised: {raised}")
