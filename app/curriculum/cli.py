"""``flask curriculum validate|load``: the same loader the app and the tests use."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.curriculum.loader import CurriculumError, load_curriculum, validate_curriculum
from app.curriculum.service import store_curriculum
from app.extensions import db

curriculum_cli = click.Group("curriculum", help="Validate and load the curriculum files.")


def _directory(directory: str | None) -> Path:
    return Path(directory) if directory else Path(current_app.config["CURRICULUM_DIR"])


@curriculum_cli.command("validate")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@with_appcontext
def validate_command(directory: str | None) -> None:
    """Print every problem in the curriculum files as file:line: path: reason."""
    root = _directory(directory)
    problems = validate_curriculum(root)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.exceptions.Exit(1)
    click.echo(f"{root}: the curriculum is valid.")


@curriculum_cli.command("load")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@with_appcontext
def load_command(directory: str | None) -> None:
    """Validate, then store everything or nothing; unchanged templates are left alone."""
    root = _directory(directory)
    try:
        curriculum = load_curriculum(root)
    except CurriculumError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo("Nothing was loaded.", err=True)
        raise click.exceptions.Exit(1) from error
    report = store_curriculum(curriculum)
    db.session.commit()
    click.echo(
        f"Loaded {report.stages} stages; plan templates: {len(report.added)} new, "
        f"{len(report.new_versions)} new versions, {len(report.unchanged)} unchanged"
        + (f", {len(report.retired)} retired." if report.retired else ".")
    )
    click.echo(
        f"Rubrics: {len(report.rubrics_added)} new, {len(report.rubrics_new_versions)} new "
        f"versions, {len(report.rubrics_unchanged)} unchanged"
        + (f", {len(report.rubrics_retired)} retired." if report.rubrics_retired else ".")
    )
    click.echo(
        f"Scenarios: {len(report.scenarios_added)} new, {len(report.scenarios_new_versions)} new "
        f"versions, {len(report.scenarios_unchanged)} unchanged"
        + (f", {len(report.scenarios_retired)} retired." if report.scenarios_retired else ".")
    )
    for key in report.new_versions:
        click.echo(f"  new version of {key}; plans already assigned keep their version")
    for key in report.rubrics_new_versions:
        click.echo(f"  new version of rubric {key}; past assessments keep the version they used")
    click.echo(
        f"Agreement templates: {len(report.agreements_added)} new, "
        f"{len(report.agreements_new_versions)} new versions, "
        f"{len(report.agreements_unchanged)} unchanged."
    )
    for key in report.agreements_new_versions:
        click.echo(f"  new version of {key}; agreements already drafted keep their version")
    if report.outcomes_added or report.outcomes_new_versions or report.outcomes_unchanged:
        state = "new" if report.outcomes_added else "unchanged"
        if report.outcomes_new_versions:
            state = "new version: readiness scores from now on use its weights"
        click.echo(f"Ramp outcomes and readiness weights: {state}.")
    quests = report.quests
    if quests.added or quests.new_versions or quests.unchanged:
        click.echo(
            f"Quests: {len(quests.added)} new, {len(quests.new_versions)} new versions, "
            f"{len(quests.unchanged)} unchanged"
            + (f", {len(quests.retired)} retired." if quests.retired else ".")
        )
    if report.points.added or report.points.new_versions:
        click.echo("Points: loaded; totals from now on use the new values.")
