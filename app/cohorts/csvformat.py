"""The cohort file: its columns, and reading it into rows or row-numbered problems (no database).

One header row, then one person a row. Columns may come in any order; ``name``, ``email`` and
``role`` are required, the others may be left out or blank. Rows are numbered as a spreadsheet
numbers them (the header is row 1), so "row 7" is the seventh line the admin sees.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from app.accounts.models import Role
from app.csvfile import SpreadsheetWriter

COLUMNS = (
    "name",
    "email",
    "role",
    "job_title",
    "team",
    "coach_email",
    "start_date",
    "employee_id",
    "plan_template",
)
REQUIRED = ("name", "email", "role")
MAX_ROWS = 2000
EXAMPLE = {
    "name": "Nina Rossi",
    "email": "nina.rossi@example.com",
    "role": "rep",
    "job_title": "Sales Development Representative",
    "team": "Team North",
    "coach_email": "coach1@example.com",
    "start_date": "2027-01-11",
    "employee_id": "E1042",
    "plan_template": "sdr-ramp",
}
# Good enough to catch a shifted column or a typo; the invitation email proves the rest.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LENGTHS = {"name": 120, "email": 254, "job_title": 120, "team": 120, "employee_id": 64}


class FileProblem(Exception):
    """The file as a whole cannot be read: its encoding, its header, its size."""


@dataclass(frozen=True)
class CohortRow:
    line: int
    name: str
    email: str
    roles: frozenset[Role]
    job_title: str = ""
    team: str = ""
    coach_email: str = ""
    start_date: date | None = None
    employee_id: str = ""
    plan_template: str = ""


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


@dataclass
class ParsedFile:
    rows: list[CohortRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def decode(data: bytes) -> str:
    """The file's text: UTF-8, with or without a byte order mark (as Excel saves "CSV UTF-8")."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            f"The file is not UTF-8 text (byte {exc.start + 1} is not): in Excel, save it as "
            '"CSV UTF-8 (comma delimited)"; in LibreOffice, choose the UTF-8 character set.'
        ) from exc


def parse(text: str) -> ParsedFile:
    """Every row of the file, or what is wrong with it, row by row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise FileProblem(
                f"The file is empty: its first row must be the header ({', '.join(COLUMNS)})."
            )
        names = [_column_name(cell) for cell in header]
        _check_header(names)
        parsed = ParsedFile()
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(parsed.rows) + len(parsed.problems) >= MAX_ROWS:
                raise FileProblem(f"The file has more than {MAX_ROWS} people: split it.")
            _read_row(reader.line_num, names, cells, parsed)
    except csv.Error as exc:
        raise FileProblem(
            f"Row {reader.line_num}: this is not a well-formed CSV file ({exc})."
        ) from exc
    if not parsed.rows and not parsed.problems:
        raise FileProblem("The file has a header but nobody in it.")
    _flag_duplicates(parsed)
    return parsed


def _column_name(cell: str) -> str:
    return re.sub(r"[\s-]+", "_", cell.strip().lower()).replace("coach's_email", "coach_email")


def _check_header(names: list[str]) -> None:
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise FileProblem(
            f"The header has unknown column{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(name) for name in unknown)}; the columns are {', '.join(COLUMNS)} "
            "(download the template)."
        )
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise FileProblem(
            f"The header lacks the required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}."
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise FileProblem(f"The header names {', '.join(repeated)} more than once.")


def _read_row(line: int, names: list[str], cells: list[str], parsed: ParsedFile) -> None:
    if len(cells) > len(names):
        parsed.problems.append(
            RowProblem(line, f"{len(cells)} cells but the header has {len(names)} columns.")
        )
        return
    values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names)}
    reasons: list[str] = []
    for name in REQUIRED:
        if not values.get(name):
            reasons.append(f"{name} is empty")
    for name, limit in _LENGTHS.items():
        if len(values.get(name, "")) > limit:
            reasons.append(f"{name} is longer than {limit} characters")
    email = values.get("email", "").lower()
    if email and not _EMAIL.match(email):
        reasons.append(f"email {values['email']!r} is not an email address")
    coach_email = values.get("coach_email", "").lower()
    if coach_email and not _EMAIL.match(coach_email):
        reasons.append(f"coach_email {values['coach_email']!r} is not an email address")
    roles = _roles(values.get("role", ""), reasons)
    start = _date(values.get("start_date", ""), reasons)
    if reasons:
        message = "; ".join(reasons)
        parsed.problems.append(RowProblem(line, message[0].upper() + message[1:] + "."))
        return
    parsed.rows.append(
        CohortRow(
            line=line,
            name=values["name"],
            email=email,
            roles=roles,
            job_title=values.get("job_title", ""),
            team=values.get("team", ""),
            coach_email=coach_email,
            start_date=start,
            employee_id=values.get("employee_id", ""),
            plan_template=values.get("plan_template", ""),
        )
    )


def _roles(text: str, reasons: list[str]) -> frozenset[Role]:
    """``rep``, or several separated by ``;`` (``coach; rep``); labels count too (``HR``)."""
    roles = set()
    for part in (p.strip().lower() for p in re.split(r"[;|]", text) if p.strip()):
        try:
            roles.add(Role(part))
        except ValueError:
            known = ", ".join(role.value for role in Role)
            reasons.append(f"role {part!r} is not one of {known}")
    return frozenset(roles)


def _date(text: str, reasons: list[str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        reasons.append(f"start_date {text!r} is not a date written YYYY-MM-DD")
        return None


def _flag_duplicates(parsed: ParsedFile) -> None:
    """A person twice in one file: the later row is the problem, naming the earlier one."""
    first_email: dict[str, int] = {}
    first_id: dict[str, int] = {}
    kept = []
    for row in parsed.rows:
        reasons = []
        if row.email in first_email:
            reasons.append(f"Same email as row {first_email[row.email]}")
        if row.employee_id and row.employee_id in first_id:
            reasons.append(f"Same employee_id as row {first_id[row.employee_id]}")
        first_email.setdefault(row.email, row.line)
        if row.employee_id:
            first_id.setdefault(row.employee_id, row.line)
        if reasons:
            parsed.problems.append(RowProblem(row.line, "; ".join(reasons) + "."))
        else:
            kept.append(row)
    parsed.rows = kept
    parsed.problems.sort(key=lambda problem: problem.line)


def template_csv() -> str:
    """The downloadable template: the header and one example row, as the app writes CSV."""
    buffer = io.StringIO()
    writer = SpreadsheetWriter(buffer, COLUMNS)
    writer.writeheader()
    writer.writerow(EXAMPLE)
    return buffer.getvalue()
