"""The certification matrix's rows, and a status badge, written out in Python (plain values
in, HTML out).

A page holds 50 reps by seven stages: written by the template, each cell cost a dozen
expressions, each escaped and wrapped in ``Markup`` (some 2,200 per page, a third of the
page's time). Here each rep's name is escaped once, and what a cell shows apart from the rep
(its badge, its lines, the stage's name) is written once per distinct cell and reused. The
HTML is the same the template wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

from markupsafe import Markup, escape

from app.certification.service.matrix.cells import CellView, RepName
from app.certification.status import CertificationStatus, StatusReading
from app.web import format_day

_DASH = (
    '\n        <td data-stage="{stage}"><span class="text-body-secondary" title="Not in the plan">'
    "\u2014</span></td>"
)


def matrix_rows(
    rows: Sequence[tuple[RepName, Sequence[CellView]]],
    stage_names: Mapping[str, str],
    rep_url: Callable[[int], str],
    cell_urls: Mapping[str, Callable[[int], str]],
) -> Markup:
    """The matrix's ``<tr>`` rows: the rep's name linked to their certifications, then a cell
    per stage linked to that certification (a dash where the rep has none)."""
    # What a cell shows around the rep's id and name, written once per distinct cell.
    written: dict[CellView, tuple[str, str, str]] = {}
    parts: list[str] = []
    for rep, cells in rows:
        rep_id = rep.id
        name = str(escape(rep.full_name))
        parts.append(
            f'\n      <tr data-rep="{rep_id}"><th scope="row">'
            f'<a href="{escape(rep_url(rep_id))}">{name}</a></th>'
        )
        for cell in cells:
            if not cell.label:
                parts.append(_DASH.format(stage=escape(cell.stage)))
                continue
            around = written.get(cell)
            if around is None:
                around = written[cell] = _around_name(cell, stage_names)
            url = escape(cell_urls[cell.stage](rep_id))
            parts.append(f'\n        <td data-stage="{around[0]}"><a href="{url}"{around[1]}{name}')
            parts.append(around[2])
        parts.append("</tr>\n    ")
    return Markup("".join(parts))


def _around_name(cell: CellView, stage_names: Mapping[str, str]) -> tuple[str, str, str]:
    """A cell's stage, what comes between its link and the rep's name, and what follows it."""
    lines = "".join(
        f'<div class="{escape(css)}">{escape(text)}</div>' if css else f"<div>{escape(text)}</div>"
        for css, text in cell.lines
    )
    badge = (
        ' class="text-decoration-none">\n            <span class="badge text-bg-'
        f'{escape(cell.css)}">{escape(cell.label)}</span><span class="visually-hidden"> '
    )
    tail = f" {escape(stage_names[cell.stage])}</span></a>{lines}</td>"
    return str(escape(cell.stage)), badge, tail


@lru_cache(maxsize=1024)
def status_badge(reading: StatusReading) -> Markup:
    """A certification's status as a badge, with its expiry or next possible attempt (the
    ``status_badge`` macro's HTML): written once per reading, as lists repeat a few."""
    status = reading.status
    badge = (
        f'<span class="badge text-bg-{status.css} cert-status" data-status="{escape(status)}">'
        f"{escape(status.capitalize())}</span>"
    )
    if reading.expires_on:
        word = "valid until" if status == CertificationStatus.PASSED else "expired"
        badge += (
            f' <span class="small text-body-secondary">{word} {format_day(reading.expires_on)}'
            "</span>"
        )
    if reading.next_attempt_from:
        badge += (
            ' <span class="small text-body-secondary">next attempt from '
            f"{format_day(reading.next_attempt_from)}</span>"
        )
    return Markup(badge)
