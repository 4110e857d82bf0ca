"""The shared form macros (templates/_macros/forms.html): what every form's markup says to a
screen reader and to the Nu Html Checker, tested once here on a form with every kind of field."""

from __future__ import annotations

import re

import pytest
from flask import Flask, render_template_string
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Optional

from app.admin.forms import MultiCheckboxField

PAGE = """{% from '_macros/forms.html' import field, form_errors, hidden_fields %}
{{ form_errors(form) }}
<form>{{ hidden_fields(form) }}
{% for f in form if f.widget.input_type != 'hidden' %}{{ field(f) }}{% endfor %}</form>"""


class EveryKindForm(FlaskForm):
    class Meta:
        csrf = False

    row_version = HiddenField()
    name = StringField("Full name", validators=[DataRequired()])
    link = URLField("Evidence link", validators=[Optional(), URL(message="Enter a full link.")])
    roles = MultiCheckboxField(
        "Roles",
        choices=lambda: [SelectChoice("rep", "Rep"), SelectChoice("coach", "Coach")],
        validators=[DataRequired(message="Give the person at least one role.")],
    )
    plan = SelectField(
        "Plan",
        choices=[SelectChoice("sdr", "SDR"), SelectChoice("ae", "AE")],
        validators=[DataRequired()],
    )
    outcome = RadioField(
        "Outcome",
        choices=[SelectChoice("kept", "Kept"), SelectChoice("missed", "Missed")],
        validators=[InputRequired(message="Choose kept or missed.")],
    )


def render(app: Flask, data: dict[str, str] | None = None) -> str:
    method = "POST" if data is not None else "GET"
    with app.test_request_context("/", method=method, data=data or {}):
        form = EveryKindForm()
        if data is not None:
            form.validate()
        return render_template_string(PAGE, form=form)


def tag(html: str, element_id: str) -> str:
    found = re.search(rf'<[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert found, f"no element #{element_id}"
    return found.group(0)


@pytest.fixture
def refused(app: Flask) -> str:
    return render(app, {"link": "not a link", "plan": "sdr"})


def test_a_refused_form_starts_with_a_focused_summary_linking_to_every_field(
    refused: str,
) -> None:
    summary = refused.split('id="error-summary"')[1].split("</section>")[0]
    assert refused.index("error-summary") < refused.index("<form")
    assert "autofocus" in tag(refused, "error-summary")
    assert 'tabindex="-1"' in tag(refused, "error-summary")
    links = dict(re.findall(r'href="#([^"]+)">([^<]+)</a>', summary))
    assert links == {
        "name": "Full name: This field is required.",
        "link": "Evidence link: Enter a full link.",
        "roles-rep": "Roles: Give the person at least one role.",
        "outcome-kept": "Outcome: Choose kept or missed.",
    }
    for target in links:
        tag(refused, target)  # each link lands on a control of the page


def test_a_hidden_field_error_is_listed_without_a_link(app: Flask) -> None:
    with app.test_request_context("/", method="POST", data={"plan": "sdr"}):
        form = EveryKindForm()
        form.validate()
        form.row_version.errors = ["Someone else changed this person; reload the page."]
        html = render_template_string(PAGE, form=form)
    assert "<li>Someone else changed this person; reload the page.</li>" in html


def test_no_summary_before_a_submit(app: Flask) -> None:
    assert "error-summary" not in render(app)


def test_every_invalid_control_says_so_and_checkboxes_are_a_group_requirement(
    refused: str, app: Flask
) -> None:
    for element_id in ("name", "link", "roles-rep", "roles-coach"):
        assert 'aria-invalid="true"' in tag(refused, element_id)
    for element_id in ("roles-rep", "roles-coach"):
        assert "required" not in tag(refused, element_id)
        assert "required" not in tag(render(app), element_id)
    assert "(at least one)</span></legend>" in refused
    assert 'aria-invalid="true"' not in tag(refused, "plan")


def test_a_select_without_an_empty_choice_is_not_marked_required(app: Flask) -> None:
    assert "required" not in tag(render(app), "plan")
    assert "required" in tag(render(app), "name")


def test_hidden_inputs_carry_no_id_so_two_forms_cannot_repeat_one(app: Flask) -> None:
    assert re.search(r'<input name="row_version" type="hidden" value="">', render(app))
    assert 'id="row_version"' not in render(app)


def test_a_refused_link_comes_back_as_typed_in_a_text_box(refused: str, app: Flask) -> None:
    link = tag(refused, "link")
    assert 'type="text"' in link and 'value="not a link"' in link and 'inputmode="url"' in link
    assert 'type="url"' in tag(render(app), "link")
