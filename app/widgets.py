"""Form widgets that write the same HTML as WTForms' own, faster where a page has many options.

A list page's filter form (teams, coaches, statuses) renders a hundred options or more. WTForms'
``Select`` builds each option through ``html_params`` (sorting and cleaning keyword arguments,
one ``Markup`` per option), which at a thousand reps cost more than the rest of the All reps
page's template. :class:`QuickSelect` writes a plain option in one f-string and leaves any
option with extra attributes to WTForms, so the markup is byte for byte the same.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms import SelectField as WTFormsSelectField
from wtforms.widgets import Select


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
