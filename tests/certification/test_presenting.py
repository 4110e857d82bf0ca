"""The matrix's rows and the status badge, written in Python, are the HTML the templates wrote
(names that need escaping included)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask

from app.certification.presenting import matrix_rows, status_badge
from app.certification.service.matrix.cells import CellView
from app.certification.status import CertificationStatus, StatusReading

# The template's loop before the rows were written in Python (templates/certification/team.html).
ROWS_TEMPLATE = """{% for rep, cells in rows %}{% set name = rep.full_name %}
      <tr data-rep="{{ rep.id }}"><th scope="row"><a href="{{ rep_url(rep.id) }}">{{ name }}</a></th>
      {%- for cell in cells %}{% if cell.label %}
        <td data-stage="{{ cell.stage }}"><a href="{{ cell_urls[cell.stage](rep.id) }}" class="text-decoration-none">
            <span class="badge text-bg-{{ cell.css }}">{{ cell.label }}</span><span class="visually-hidden"> {{ name }} {{ stage_names[cell.stage] }}</span></a>
          {%- for css, text in cell.lines %}<div{% if css %} class="{{ css }}"{% endif %}>{{ text }}</div>{% endfor %}</td>
      {%- else %}
        <td data-stage="{{ cell.stage }}"><span class="text-body-secondary" title="Not in the plan">—</span></td>
      {%- endif %}{% endfor %}</tr>
    {% endfor %}"""  # noqa: E501

# The status badge macro before it was written in Python (templates/certification/_macros.html).
BADGE_TEMPLATE = """
  <span class="badge text-bg-{{ reading.status.css }} cert-status" data-status="{{ reading.status }}">{{ reading.status|capitalize }}</span>
  {%- if reading.expires_on %} <span class="small text-body-secondary">{{ 'valid until' if reading.status == 'passed' else 'expired' }} {{ reading.expires_on|day }}</span>{% endif %}
  {%- if reading.next_attempt_from %} <span class="small text-body-secondary">next attempt from {{ reading.next_attempt_from|day }}</span>{% endif %}
"""  # noqa: E501


@dataclass(frozen=True)
class Rep:
    id: int
    full_name: str


def test_the_rows_are_the_html_the_template_wrote(app: Flask) -> None:
    names = {"prospecting": "Prospecting", "discovery": "Discovery & <Fit>"}
    passed = CellView(
        "prospecting", "Passed", "success", (("", "best 3.5"), ("", "until 2 Mar 2026"))
    )
    due = CellView(
        "discovery", "Not started", "secondary", (("text-body-secondary", "due 1 Feb 2026"),)
    )
    rows = [
        (Rep(7, "Dana O'Brien <d&a>"), [passed, due]),
        (Rep(12, 'Sam "Quotes"'), [CellView("prospecting"), due]),
        (Rep(3, "Lee"), [passed, CellView("discovery")]),
    ]
    urls = {
        key: (lambda id_, key=key: f"/certifications/reps/{id_}/{key}?a=1&b=2") for key in names
    }

    def rep_url(id_: int) -> str:
        return f"/certifications/reps/{id_}"

    with app.test_request_context():
        expected = app.jinja_env.from_string(ROWS_TEMPLATE).render(
            rows=rows, stage_names=names, rep_url=rep_url, cell_urls=urls
        )
    assert str(matrix_rows(rows, names, rep_url, urls)) == expected


@pytest.mark.parametrize(
    "reading",
    [
        StatusReading(CertificationStatus.NOT_STARTED),
        StatusReading(CertificationStatus.PASSED, expires_on=date(2026, 3, 2)),
        StatusReading(CertificationStatus.EXPIRED, expires_on=date(2025, 12, 31)),
        StatusReading(CertificationStatus.NOT_PASSED, next_attempt_from=date(2026, 1, 9)),
        StatusReading(CertificationStatus.SELF_ASSESSED),
        StatusReading(CertificationStatus.BEING_ASSESSED),
    ],
)
def test_the_status_badge_is_the_html_the_macro_wrote(app: Flask, reading: StatusReading) -> None:
    with app.test_request_context():
        expected = app.jinja_env.from_string(BADGE_TEMPLATE).render(reading=reading).strip()
    assert str(status_badge(reading)) == expected
