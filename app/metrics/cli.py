"""``flask metrics import FILE --source NAME``: the same import, checks and messages as the page."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.errors import Invalid
from app.extensions import db
from app.metrics import service

metrics_cli = click.Group("metrics", help="Import activity exported from a CRM.")


@metrics_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", "source_name", required=True, help="The CRM, e.g. HubSpot.")
@with_appcontext
def import_command(file: Path, source_name: str) -> None:
    """Import FILE all or nothing; exit 1, naming every bad row, if any row is bad.

    A new source whose columns are HubSpot's or Salesforce's takes that CRM's mapping;
    any other is mapped once on the Import activity page.
    """
    today = datetime.now(UTC).date()

    def progress(done: int) -> None:
        click.echo(f"checked {done:,} rows", err=True)

    try:
        record, changes = service.import_file(
            source_name, file.name, file.read_bytes(), today, progress
        )
    except service.RowsRefused as refused:
        db.session.rollback()
        for error in refused.errors:
            click.echo(error, err=True)
        if refused.error_count > len(refused.errors):
            click.echo(f"... and {refused.error_count - len(refused.errors)} more.", err=True)
        click.echo(f"{file.name}: {refused.message}", err=True)
        raise click.exceptions.Exit(1) from None
    except Invalid as error:
        db.session.rollback()
        click.echo(f"{file.name}: {error.message}", err=True)
        raise click.exceptions.Exit(1) from None
    db.session.commit()
    click.echo(
        f"{file.name}: imported {record.total_rows:,} rows into {source_name}: {changes.summary}."
    )
