"""``flask agreements verify FILE.pdf``, ``verify-all`` and ``export DIR``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.agreements import service

agreements_cli = click.Group("agreements", help="Verify sealed agreement PDFs and export them.")


@agreements_cli.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def verify_command(file: Path) -> None:
    """Exit 0 if FILE is an intact sealed SalesRamp agreement, 1 otherwise, saying why."""
    verdict = service.verify_pdf(file.read_bytes())
    click.echo(f"{file}: {verdict.summary}")
    click.echo(f"SHA-256 {verdict.sha256}")
    if verdict.intact:
        click.echo(verdict.timestamp_line)
    if not verdict.intact:
        raise click.exceptions.Exit(1)


@agreements_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_command(directory: Path) -> None:
    """Write every completed agreement's sealed PDF and a manifest.csv into DIRECTORY."""
    ids = service.completed_ids()
    written = service.write_directory(ids, directory)
    click.echo(f"Wrote {written} sealed PDFs and {service.MANIFEST_NAME} to {directory}.")


@agreements_cli.command("verify-all")
@with_appcontext
def verify_all_command() -> None:
    """Check every stored sealed PDF and every audit trail; exit 1 on any failure, one line each."""
    check = service.verify_everything()
    for problem in check.problems:
        click.echo(f"FAILED {problem}", err=True)
    counts = f"{check.pdfs} sealed PDFs and {check.trails} audit trails"
    if check.problems:
        click.echo(f"Checked {counts}: {len(check.problems)} problems.", err=True)
        raise click.exceptions.Exit(1)
    click.echo(f"Checked {counts}: all intact.")
