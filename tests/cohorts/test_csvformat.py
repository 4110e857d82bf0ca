"""Reading a cohort file: the header, the encoding and every row's problems, by row number."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from app.accounts.models import Role
from app.cohorts.csvformat import COLUMNS, FileProblem, decode, parse, template_csv

HEADER = ",".join(COLUMNS)


def test_a_good_file_reads_into_rows_numbered_as_a_spreadsheet_numbers_them():
    text = (
        f"{HEADER}\n"
        "Nina Rossi,Nina.Rossi@Example.com,rep,SDR,Team North,coach@example.com,2027-01-11,"
        "E1,sdr-ramp\n"
        "\n"
        "Omar Haddad,omar@example.com,coach; rep,,,,,,\n"
    )
    parsed = parse(text)
    assert parsed.problems == []
    nina, omar = parsed.rows
    assert (nina.line, nina.email, nina.roles) == (2, "nina.rossi@example.com", {Role.REP})
    assert (nina.team, nina.coach_email, nina.start_date) == (
        "Team North",
        "coach@example.com",
        date(2027, 1, 11),
    )
    assert (nina.employee_id, nina.plan_template) == ("E1", "sdr-ramp")
    assert (omar.line, omar.roles, omar.start_date) == (4, {Role.COACH, Role.REP}, None)


def test_columns_may_come_in_any_order_and_optional_ones_may_be_missing():
    parsed = parse("Email,Role,Name\nnina@example.com,rep,Nina Rossi\n")
    [row] = parsed.rows
    assert (row.name, row.email, row.team) == ("Nina Rossi", "nina@example.com", "")


def test_every_bad_row_is_named_with_its_reason():
    text = (
        f"{HEADER}\n"
        "Nina Rossi,not-an-email,rep,,,,,,\n"
        ",omar@example.com,boss,,,,11/01/2027,,\n"
        "Good Person,good@example.com,rep,,,,,,\n"
        "Again,GOOD@example.com,rep,,,,,,\n"
    )
    parsed = parse(text)
    assert [row.line for row in parsed.rows] == [4]
    problems = {problem.line: problem.message for problem in parsed.problems}
    assert set(problems) == {2, 3, 5}
    assert "not an email address" in problems[2]
    assert "Name is empty" in problems[3]
    assert "'boss' is not one of" in problems[3]
    assert "YYYY-MM-DD" in problems[3]
    assert problems[5] == "Same email as row 4."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("name,email\nNina,nina@example.com\n", "lacks the required column role"),
        ("name,email,role,salary\n", "unknown column 'salary'"),
        ("name,email,role,name\n", "names name more than once"),
        ("name,email,role\n", "nobody in it"),
    ],
)
def test_a_bad_header_says_what_is_wrong(text, message):
    with pytest.raises(FileProblem, match=message):
        parse(text)


def test_a_file_that_is_not_utf8_says_how_to_save_it():
    with pytest.raises(FileProblem, match="CSV UTF-8"):
        decode("name,email,role\nJosé,jose@example.com,rep\n".encode("cp1252"))


def test_a_byte_order_mark_is_read_as_excel_writes_it():
    assert decode("\ufeffname,email,role\n".encode()).startswith("name")


def test_the_template_has_the_header_and_an_example_that_reads_back():
    text = template_csv()
    assert text.startswith("\ufeff")
    assert next(csv.reader(io.StringIO(text[1:]))) == list(COLUMNS)
    assert parse(text[1:]).problems == []
