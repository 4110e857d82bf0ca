"""The notices list's filters: a GET form, so a filtered list can be bookmarked."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from app.agreements.models import AgreementStatus


class NoticeFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Rep", validators=[Optional(), Length(max=120)])
    status = SelectField(
        "Notice",
        choices=lambda: [("", "Any status"), *((s.value, s.short_label) for s in AgreementStatus)],
        validate_choice=False,
    )

    def status_filter(self) -> AgreementStatus | None:
        """The chosen status; anything else (a hand-edited URL) means any."""
        value = self.status.data or ""
        return AgreementStatus(value) if value in set(AgreementStatus) else None
