"""Uploading a cohort file, and confirming its previewed import."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField

from app.web import OnceForm


class UploadForm(FlaskForm):
    file = FileField(
        "Cohort file (CSV)",
        validators=[
            FileRequired("Choose a CSV file."),
            FileAllowed(["csv", "txt"], "Choose a CSV file (.csv)."),
        ],
        description="UTF-8, one header row, then one person a row: see the format below.",
        render_kw={"accept": ".csv,text/csv"},
    )


class ConfirmForm(OnceForm):
    """Carries the preview's fingerprint: the import refuses if it no longer holds."""

    fingerprint = HiddenField()
