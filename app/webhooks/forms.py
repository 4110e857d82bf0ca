"""The form an admin fills in to register or edit a webhook endpoint."""

from __future__ import annotations

from wtforms import BooleanField, SelectMultipleField, StringField, URLField, widgets
from wtforms.validators import DataRequired, Length, Optional

from app.web import OnceForm
from app.webhooks.models import EventType


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class EndpointForm(OnceForm):
    url = URLField(
        "URL",
        validators=[DataRequired("Give the URL that receives the events."), Length(max=2000)],
        description="An https:// address of your system; each request is signed.",
    )
    description = StringField("Description", validators=[Optional(), Length(max=200)])
    events = MultiCheckboxField(
        "Events",
        choices=lambda: [(event.value, event.label) for event in EventType],
        validators=[DataRequired("Choose at least one event.")],
    )
    enabled = BooleanField("Enabled", default=True)


class ActionForm(OnceForm):
    """A button (rotate the secret, resend a delivery): the CSRF token and a submission key."""
