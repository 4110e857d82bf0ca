"""``flask surveys ask`` (ask new hires whose checkpoint opened) and ``flask surveys check``."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.surveys import service
from app.surveys.questions import SurveyFileError, read_pulse_survey

surveys_cli = click.Group("surveys", help="Pulse surveys of new hires.")


@surveys_cli.command("ask")
@with_appcontext
def ask_command() -> None:
    """Ask every rep whose day-30, -60 or -90 survey opened and who was not asked yet."""
    asked = service.ask_due_pulses(datetime.now(UTC).date())
    db.session.commit()
    click.echo(f"asked: {asked}")


@surveys_cli.command("check")
@with_appcontext
def check_command() -> None:
    """Validate surveys/pulse.yaml in the curriculum directory; exit 1 listing each problem."""
    try:
        survey = read_pulse_survey(current_app.config["CURRICULUM_DIR"])
    except SurveyFileError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from error
    click.echo(f"{survey.title}: {len(survey.questions)} questions at days {survey.checkpoints}")
