"""Building the document from a template: Markdown in the template, user input always escaped."""

from __future__ import annotations

from datetime import date

import pytest

from app.agreements.document import (
    MilestoneLine,
    RepRecord,
    build_document,
    content_hash,
    format_value,
    names_match,
    parse_value,
    render_body,
)
from app.curriculum.schema import AgreementTemplate, AgreementVariable

TEMPLATE = AgreementTemplate(
    id="test",
    kind="consequence",
    title="Test agreement",
    description="For tests.",
    variables=(
        AgreementVariable(name="gap", label="Gap", type="multiline"),
        AgreementVariable(name="target", label="Target", type="number", unit="calls", min=0),
        AgreementVariable(name="discount", label="Discount", type="percent", max=100),
        AgreementVariable(name="bonus", label="Bonus", type="money", unit="EUR"),
        AgreementVariable(name="ends", label="Ends", type="date"),
    ),
    body=(
        "## The gap\n\n**{{ rep.name }}**, the gap is:\n\n{{ gap }}\n\n"
        "Target {{ target }}, discount {{ discount }}, bonus {{ bonus }}, ends {{ ends }}.\n\n"
        "{{ plan_milestones }}\n"
    ),
)
RECORD = RepRecord(
    organisation="Northwind",
    rep_name="Ava <Chen>",
    rep_email="ava@example.com",
    milestones=(MilestoneLine(1, "Shadow <b>calls</b>", "10 calls", date(2027, 1, 5), False),),
)
VALUES = {
    "gap": "line one\nline two",
    "target": "50",
    "discount": "12.5",
    "bonus": "5000",
    "ends": "2027-02-26",
}
HOSTILE = [
    "<script>alert('x')</script>",
    '<img src="file:///etc/passwd">',
    "<img src=file:///etc/passwd>",
    "![passwd](file:///etc/passwd)",
    "![remote](https://attacker.example/pixel.png)",
    "[click](javascript:alert(1))",
    "{{ rep.email }}",
    '<link rel="stylesheet" href="https://attacker.example/x.css">',
]


def test_template_markdown_is_rendered_and_values_are_filled_in() -> None:
    html = render_body(TEMPLATE, VALUES, RECORD, date(2026, 11, 23))
    assert "<h2>The gap</h2>" in html
    assert "<strong>Ava &lt;Chen&gt;</strong>" in html
    assert "line one<br>line two" in html
    assert "Target 50 calls, discount 12.5%, bonus 5,000 EUR, ends 26 February 2027." in html
    assert "<table" in html and "Shadow &lt;b&gt;calls&lt;/b&gt;" in html
    assert "5 January 2027" in html


@pytest.mark.parametrize("typed", HOSTILE)
def test_what_users_type_is_escaped_never_markup(typed: str) -> None:
    html = render_body(TEMPLATE, {**VALUES, "gap": typed}, RECORD, date(2026, 11, 23))
    assert "<script" not in html
    assert "<img" not in html
    assert "<link" not in html
    assert "<a " not in html
    assert "ava@example.com" not in html  # a placeholder typed by a user is not expanded
    body_after_heading = html.split("the gap is:</p>")[1]
    assert body_after_heading.lstrip().startswith("<p>")


def test_a_name_on_record_with_markup_is_escaped() -> None:
    record = RepRecord(organisation="<b>Org</b>", rep_name="<script>x</script>", rep_email="e")
    html = render_body(TEMPLATE, VALUES, record, date(2026, 11, 23))
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_images_and_raw_html_in_the_template_text_are_not_rendered() -> None:
    template = TEMPLATE.model_copy(
        update={
            "body": "Hi <img src=file:///etc/passwd> ![x](https://x.example/a.png)",
            "variables": (),
        }
    )
    html = render_body(template, {}, RECORD, date(2026, 11, 23))
    assert "<img" not in html


def test_the_document_hash_changes_with_any_change() -> None:
    first = build_document(TEMPLATE, 1, VALUES, RECORD, date(2026, 11, 23))
    same = build_document(TEMPLATE, 1, dict(VALUES), RECORD, date(2026, 11, 23))
    other = build_document(TEMPLATE, 1, {**VALUES, "target": "51"}, RECORD, date(2026, 11, 23))
    assert content_hash(first) == content_hash(same)
    assert content_hash(first) != content_hash(other)
    assert len(content_hash(first)) == 64


@pytest.mark.parametrize(
    ("typed", "on_record", "matches"),
    [
        ("Ava Chen", "Ava Chen", True),
        ("  ava   CHEN ", "Ava Chen", True),
        ("AVA\tchen", "Ava  Chen", True),
        ("Ava Chén", "Ava Chen", False),
        ("Ava", "Ava Chen", False),
        ("", "Ava Chen", False),
        ("   ", " ", False),
    ],
)
def test_the_typed_name_must_match_ignoring_case_and_spacing(
    typed: str, on_record: str, matches: bool
) -> None:
    assert names_match(typed, on_record) is matches


@pytest.mark.parametrize(
    ("variable", "raw", "stored", "error"),
    [
        (AgreementVariable(name="a", label="A", type="text"), "  hi ", "hi", None),
        (AgreementVariable(name="a", label="A", type="text"), "", None, "Fill this in."),
        (AgreementVariable(name="a", label="A", type="text", required=False), "", None, None),
        (AgreementVariable(name="a", label="A", type="date"), "2027-13-01", None, "Enter a date"),
        (AgreementVariable(name="a", label="A", type="date"), "2027-01-31", "2027-01-31", None),
        (AgreementVariable(name="a", label="A", type="number"), "abc", None, "Enter a number."),
        (AgreementVariable(name="a", label="A", type="number"), "nan", None, "Enter a number."),
        (AgreementVariable(name="a", label="A", type="number", min=0), "-1", None, "at least 0"),
        (AgreementVariable(name="a", label="A", type="percent", max=100), "101", None, "at most"),
        (AgreementVariable(name="a", label="A", type="money", unit="EUR"), "1,500", "1500", None),
    ],
)
def test_values_are_checked_and_stored_in_canonical_form(
    variable: AgreementVariable, raw: str, stored: str | None, error: str | None
) -> None:
    value, problem = parse_value(variable, raw)
    assert value == stored
    if error is None:
        assert problem is None
    else:
        assert problem is not None and error in problem


def test_values_read_naturally_in_the_document() -> None:
    money = AgreementVariable(name="m", label="M", type="money", unit="EUR")
    assert format_value(money, "120000") == "120,000 EUR"
    assert format_value(money, "99.5") == "99.50 EUR"
    percent = AgreementVariable(name="p", label="P", type="percent")
    assert format_value(percent, "10") == "10%"
    day = AgreementVariable(name="d", label="D", type="date")
    assert format_value(day, "2027-01-04") == "4 January 2027"
    assert format_value(day, None) == "—"
