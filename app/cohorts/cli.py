"""``flask --app app people import FILE``: the cohort import, the page's service and messages."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.accounts import service as accounts
from app.cohorts import service
from app.cohorts.csvformat import FileProblem, decode
from app.cohorts.service import Action, Preview
from app.errors import DomainError
from app.extensions import db


@click.group("people", help="People: import a cohort of new hires.")
def people_cli() -> None:
    """The ``people`` command group."""


@people_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "admin_email", required=True, help="The admin who imports (and invites).")
@click.option("--dry-run", is_flag=True, help="Only show what would be done; change nothing.")
@with_appcontext
def import_command(file: Path, admin_email: str, dry_run: bool) -> None:
    """Create or update the people in FILE (CSV), assign plans and send invitations.

    All or nothing: any problem is printed with its row number and nothing is imported (exit 1).
    """
    admin = accounts.find_by_email(admin_email)
    if admin is None or not admin.is_active:
        raise click.ClickException(f"Nobody active has the email {admin_email}.")
    try:
        text = decode(file.read_bytes())
        found = service.preview(admin, text)
    except (FileProblem, DomainError) as problem:
        raise click.ClickException(str(problem)) from problem
    _print_preview(found)
    if not found.ok:
        db.session.rollback()
        raise click.ClickException(
            f"{len(found.problems)} row(s) have problems; nothing was imported."
        )
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was changed.")
        return
    try:
        result = service.import_text(admin, text, found.fingerprint)
    except DomainError as problem:
        db.session.rollback()
        raise click.ClickException(problem.message) from problem
    db.session.commit()
    click.echo(
        f"Imported: {result.created} created, {result.updated} updated, {result.unchanged} "
        f"unchanged; {result.invited} invitation(s) sent, {result.plans} plan(s) assigned."
    )


def _print_preview(found: Preview) -> None:
    for problem in found.problems:
        click.echo(f"Row {problem.line}: {problem.message}", err=True)
    for row in found.rows:
        who = f"{row.row.name} <{row.row.email}>"
        if row.action == Action.CREATE:
            plan = f", plan {row.plan}" if row.plan else ""
            click.echo(f"Row {row.line}: create {who}{plan}")
        elif row.action == Action.UPDATE:
            click.echo(f"Row {row.line}: update {who}: {'; '.join(row.changes)}")
        else:
            click.echo(f"Row {row.line}: unchanged {who}")
    click.echo(
        f"{found.count(Action.CREATE)} to create, {found.count(Action.UPDATE)} to update, "
        f"{found.count(Action.UNCHANGED)} unchanged, {len(found.problems)} with problems."
    )
