"""The form for how one hears: email at once, and the digest's frequency."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from app.notifications.models import DigestFrequency
from app.widgets import RadioField


class PreferencesForm(FlaskForm):
    email_at_once = BooleanField(
        "Email me at once when something starts waiting on me",
        description="An agreement to sign, a milestone to verify, an assessment to do. "
        "Notifications in SalesRamp are always on.",
    )
    digest = RadioField(
        "Digest of what is overdue and waiting",
        choices=[SelectChoice(f.value, f.label) for f in DigestFrequency],
        validators=[InputRequired(message="Choose daily, weekly or never.")],
    )
