"""The leaderboard switch: on or off, and who sees which names."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from app.quests.leaderboard import Privacy
from app.widgets import RadioField


class LeaderboardForm(FlaskForm):
    enabled = BooleanField(
        "Show this team a leaderboard",
        description="Off by default. Reps see it from their quests page.",
    )
    privacy = RadioField(
        "Who sees which names",
        choices=[SelectChoice(choice.value, choice.label) for choice in Privacy],
        default=Privacy.HIDDEN.value,
        validators=[InputRequired("Choose who sees which names.")],
        description="Coaches always see the names of the reps they coach; HR and admins all.",
    )
