"""Form widgets that write the same HTML as WTForms' own, faster where a page has many options.

A list page's filter form (teams, coaches, statuses) renders a hundred options or more, and a
rubric's assessment form some thirty radio buttons. WTForms writes each attribute through
``Markup.format`` (a ``string.Formatter`` pass per attribute), which at a thousand reps cost
more than the rest of the All reps page's template. :func:`quick_html_params` writes the same
attributes with f-strings; :class:`QuickSelect` writes a plain option in one f-string and
leaves any option with extra attributes to WTForms. The markup is byte for byte the same
(``tests/test_widgets.py`` compares them).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms import RadioField as WTFormsRadioField
from wtforms import SelectField as WTFormsSelectField
from wtforms.widgets import RadioInput, Select
from wtforms.widgets.core import clean_key


def quick_html_params(**kwargs: Any) -> Markup:
    """WTForms' ``html_params``: sorted attributes, ``True`` bare, ``False`` left out."""
    params = []
    for key, value in sorted(kwargs.items()):
        name = escape(clean_key(key))
        if value is True:
            params.append(str(name))
        elif value is not False:
            params.append(f'{name}="{escape(value)}"')
    return Markup(" ".join(params))


class QuickSelect(Select):
    """WTForms' ``Select``, with plain options written directly."""

    @classmethod
    def render_option(cls, choice: Any, **kwargs: Any) -> Markup:
        if kwargs or choice.render_kw:
            return Select.render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = " selected" if choice.selected else ""
        label = escape(choice.label or value)
        return Markup(f'<option{selected} value="{escape(value)}">{label}</option>')


class SelectField(WTFormsSelectField):
    """WTForms' ``SelectField`` drawn by :class:`QuickSelect`; use it for every select."""

    widget = QuickSelect()


class QuickRadioInput(RadioInput):
    """WTForms' ``RadioInput`` with :func:`quick_html_params`."""

    html_params = staticmethod(quick_html_params)


class RadioField(WTFormsRadioField):
    """WTForms' ``RadioField`` whose buttons are drawn by :class:`QuickRadioInput`."""

    option_widget = QuickRadioInput()
