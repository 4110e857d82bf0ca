"""The quick select widget writes exactly what WTForms' own would, only faster."""

from __future__ import annotations

from typing import Any

import pytest
from wtforms import Form
from wtforms import RadioField as WTFormsRadioField
from wtforms import SelectField as WTFormsSelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from app.widgets import RadioField, SelectField

CHOICES = [
    SelectChoice("", "All teams"),
    SelectChoice("1", 'Sales & "Success" <EMEA>'),
    SelectChoice(2),  # type: ignore[arg-type]
    SelectChoice(True, "Yes"),  # type: ignore[arg-type]
    SelectChoice("4", "With attributes", {"disabled": True, "data-extra": "x"}),
]


def _both(default: Any, **render: Any) -> tuple[str, str]:
    class Filters(Form):
        theirs = WTFormsSelectField(choices=CHOICES, default=default)
        ours = SelectField(choices=CHOICES, default=default)

    form = Filters()
    return str(form.theirs(**render)), str(form.ours(**render))


@pytest.mark.parametrize("default", ["", "1", 2, True, "4"])
def test_the_options_are_the_same_html_as_wtforms_writes(default: Any) -> None:
    theirs, ours = _both(default, class_="form-select")
    assert ours == theirs.replace('"theirs"', '"ours"')


def test_labels_and_values_are_escaped() -> None:
    _theirs, ours = _both("1")
    assert "Sales &amp; &#34;Success&#34; &lt;EMEA&gt;" in ours
    assert "<EMEA>" not in ours
    assert '<option selected value="1">' in ours


def test_radio_buttons_are_the_same_html_as_wtforms_writes() -> None:
    levels = [SelectChoice("1", "Not yet"), SelectChoice("2", 'Developing "&" <b>')]

    class Scores(Form):
        theirs = WTFormsRadioField(choices=levels, default="2", validators=[InputRequired()])
        ours = RadioField(choices=levels, default="2", validators=[InputRequired()])

    form = Scores(theirs="2", ours="2")
    for theirs, ours in zip(form.theirs, form.ours, strict=True):
        attributes = {"class": "form-check-input is-invalid", "aria-invalid": "true", "data_x": 1}
        expected = str(theirs(**attributes)).replace("theirs", "ours")
        assert str(ours(**attributes)) == expected
    assert str(form.ours).count(" checked ") == 1
