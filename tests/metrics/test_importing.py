"""Importing activity: every kind of bad row, all or nothing, idempotence, corrections, and
the two CRMs' sample files through their own mappings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.errors import Invalid, NotAllowed
from app.extensions import db
from app.metrics import service
from app.metrics.catalogue import PRESETS, Period, RepMatch
from app.metrics.demo import SAMPLE_FILES
from app.metrics.models import ActivityFigure, ActivitySource, Origin
from app.metrics.parsing import raw_rows, read_csv
from app.metrics.service.sources import column_map
from tests.conftest import create_user
from tests.metrics.conftest import csv_of, last_monday

TODAY = date.today()


def _import(source: ActivitySource, data: bytes, actor: User | None = None) -> service.Changes:
    rows = raw_rows(read_csv(data), column_map(source))
    changes = service.import_rows(actor, source, rows, TODAY)
    db.session.commit()
    return changes


def _figures() -> list[tuple[int, date, int | None, int | None]]:
    rows = db.session.execute(
        select(
            ActivityFigure.rep_id,
            ActivityFigure.period_start,
            ActivityFigure.dials,
            ActivityFigure.meetings_booked,
        ).order_by(ActivityFigure.rep_id, ActivityFigure.period_start)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _refusal(source: ActivitySource, data: bytes) -> list[str]:
    with pytest.raises(service.RowsRefused) as refused:
        _import(source, data)
    db.session.rollback()
    return refused.value.errors


def test_each_kind_of_bad_row_is_named_by_number_and_reason(
    new_source: Callable[..., ActivitySource], make_user: Callable[..., User]
) -> None:
    rep = make_user(Role.REP)
    coach = make_user(Role.COACH)
    source = new_source()
    monday = last_monday()
    tomorrow = TODAY + timedelta(days=1)
    errors = _refusal(
        source,
        csv_of(
            (rep.email, monday, 10, 1),  # row 2: good
            ("nobody@example.com", monday, 3, 0),  # row 3: unknown rep
            (coach.email, monday, 3, 0),  # row 4: a coach is no rep
            (rep.email, monday + timedelta(days=1), "lots", 0),  # row 5: not a number
            (rep.email, tomorrow, 4, 0),  # row 6: the future
            (rep.email, monday, 11, 1),  # row 7: the same day again
            (rep.email, "32/13/2026", 1, 0),  # row 8: no date
            ("", monday, 1, 0),  # row 9: no rep
            (rep.email, monday + timedelta(days=2), -4, 0),  # row 10: negative
        ),
    )
    assert errors == [
        "Row 3: unknown rep 'nobody@example.com' (no rep has this email).",
        f"Row 4: unknown rep '{coach.email}' (no rep has this email).",
        "Row 5: Dials is not a number ('lots').",
        f"Row 6: {tomorrow.day} {tomorrow:%b %Y} is in the future.",
        f"Row 7: a second row for {rep.email}, {monday.day} {monday:%b %Y} "
        "(a duplicate period: also row 2).",
        "Row 8: has the date '32/13/2026', which is not a date like 2026-11-02.",
        "Row 9: no rep (the rep's column is empty).",
        "Row 10: Dials is negative ('-4').",
    ]
    assert _figures() == []  # all or nothing: the good row was not imported either


def test_reps_named_by_full_name_and_a_name_two_reps_share(
    make_user: Callable[..., User],
) -> None:
    ada = make_user(Role.REP, name="Ada Lovelace")
    make_user(Role.REP, name="Sam Twin")
    make_user(Role.REP, name="Sam Twin")
    source = service.ensure_source(None, "Names")
    choice = service.MappingChoice(
        RepMatch.NAME, "Owner", "Week", Period.WEEK, "%m/%d/%Y", {"dials": "Calls"}
    )
    service.save_mapping(None, source, choice)
    db.session.commit()
    week = last_monday(2)
    text = f"Owner,Week,Calls\n  ada  LOVELACE ,{week:%m/%d/%Y},40\nSam Twin,{week:%m/%d/%Y},3\n"
    with pytest.raises(service.RowsRefused) as refused:
        _import(source, text.encode())
    assert refused.value.errors == [
        "Row 3: two reps are called 'Sam Twin': map the email column instead."
    ]
    db.session.rollback()
    _import(
        source, f"Owner,Week,Calls\nAda Lovelace,{week + timedelta(days=3):%m/%d/%Y},40\n".encode()
    )
    assert _figures() == [(ada.id, week, 40, None)]  # a week is stored as its Monday


def test_the_same_file_twice_changes_nothing(
    new_source: Callable[..., ActivitySource], make_user: Callable[..., User]
) -> None:
    rep, other = make_user(Role.REP), make_user(Role.REP)
    source = new_source()
    monday = last_monday()
    data = csv_of((rep.email, monday, 10, 1), (other.email, monday, 7, ""))
    first = _import(source, data)
    assert (len(first.inserts), len(first.updates), first.unchanged) == (2, 0, 0)
    before = list(db.session.execute(select(ActivityFigure.id, ActivityFigure.updated_at)))
    again = _import(source, data)
    assert (len(again.inserts), len(again.updates), len(again.deletes), again.unchanged) == (
        0,
        0,
        0,
        2,
    )
    assert list(db.session.execute(select(ActivityFigure.id, ActivityFigure.updated_at))) == before


def test_a_corrected_file_replaces_the_periods_it_covers(
    new_source: Callable[..., ActivitySource], make_user: Callable[..., User]
) -> None:
    rep, other = make_user(Role.REP), make_user(Role.REP)
    source = new_source()
    monday, tuesday = last_monday(), last_monday() + timedelta(days=1)
    _import(
        source,
        csv_of((rep.email, monday, 10, 1), (other.email, monday, 5, 0), (rep.email, tuesday, 8, 2)),
    )
    # Monday again: the rep's dials corrected, the other rep's row was a mistake; Tuesday is
    # not in the corrected file, so it stays as it was.
    changes = _import(source, csv_of((rep.email, monday, 12, 1)))
    assert (len(changes.inserts), len(changes.updates), len(changes.deletes)) == (0, 1, 1)
    assert _figures() == [(rep.id, monday, 12, 1), (rep.id, tuesday, 8, 2)]


def test_sources_and_the_reps_own_log_are_kept_apart(
    new_source: Callable[..., ActivitySource], make_user: Callable[..., User]
) -> None:
    rep = make_user(Role.REP)
    monday = last_monday()
    _import(new_source("First CRM"), csv_of((rep.email, monday, 10, 1)))
    _import(new_source("Second CRM"), csv_of((rep.email, monday, 3, 0)))
    service.log_day(rep, TODAY, {"dials": 4}, TODAY)
    origins = db.session.execute(
        select(ActivityFigure.origin, func.count()).group_by(ActivityFigure.origin)
    ).all()
    assert sorted((Origin(o), n) for o, n in origins) == [(Origin.CRM, 2), (Origin.SELF, 1)]


def test_only_hr_and_admins_import(
    new_source: Callable[..., ActivitySource], make_user: Callable[..., User]
) -> None:
    rep = make_user(Role.REP)
    source = new_source()
    for role in (Role.REP, Role.COACH):
        with pytest.raises(NotAllowed):
            _import(source, csv_of((rep.email, last_monday(), 1, 1)), make_user(role))
    for role in (Role.HR, Role.ADMIN):
        _import(source, csv_of((rep.email, last_monday(), 1, 1)), make_user(role))


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_each_sample_file_imports_through_its_proposed_mapping(
    preset: object, sample_reps: dict[str, User], app: object
) -> None:
    name = preset.name  # type: ignore[attr-defined]
    data = SAMPLE_FILES[name].read_bytes()
    source = service.ensure_source(None, name)
    choice = service.proposed_mapping(source, read_csv(data).headers)
    assert choice == service.MappingChoice(
        preset.rep_match,  # type: ignore[attr-defined]
        preset.rep_column,  # type: ignore[attr-defined]
        preset.date_column,  # type: ignore[attr-defined]
        preset.period,  # type: ignore[attr-defined]
        preset.date_format,  # type: ignore[attr-defined]
        preset.columns,  # type: ignore[attr-defined]
    )
    service.save_mapping(None, source, choice)
    changes = _import(source, data)
    total = len(read_csv(data).rows)
    assert len(changes.inserts) == total
    # Every row landed: its rep, its period, and the metrics the mapping names.
    stored = db.session.execute(
        select(
            func.count(), func.sum(ActivityFigure.dials), func.sum(ActivityFigure.revenue_cents)
        ).where(ActivityFigure.source_id == source.id)
    ).one()
    rows = raw_rows(read_csv(data), column_map(source))
    assert stored[0] == total
    assert stored[1] == sum(int(r.values["dials"]) for r in rows)
    revenue = sum(float(str(r.values["revenue"] or 0).replace(",", "")) for r in rows)
    assert (stored[2] or 0) == round(revenue * 100)
    expected_period = Period.WEEK if name == "Salesforce" else Period.DAY
    assert source.period is expected_period


def test_a_remembered_mapping_is_proposed_again_for_the_next_file(
    new_source: Callable[..., ActivitySource],
) -> None:
    source = new_source()
    choice = service.proposed_mapping(source, ["Email", "Date", "Dials", "Other"])
    assert (choice.rep_column, choice.date_column) == ("Email", "Date")
    assert choice.columns == {"dials": "Dials"}  # the file has no Meetings column any more
    assert service.source_named("testcrm") is source


def test_the_reps_own_log(make_user: Callable[..., User]) -> None:
    rep = make_user(Role.REP)
    service.log_day(rep, TODAY, {"dials": 20, "call_minutes": 95}, TODAY)
    service.log_day(rep, TODAY, {"dials": 22, "call_minutes": 95}, TODAY)  # corrected
    assert service.logged_day(rep, TODAY)["dials"] == 22
    assert db.session.scalar(select(func.count(ActivityFigure.id))) == 1
    for day, message in (
        (TODAY + timedelta(days=1), "not happened yet"),
        (TODAY - timedelta(days=service.LOG_DAYS_BACK + 1), "last 14 days"),
    ):
        with pytest.raises(Invalid, match=message):
            service.log_day(rep, day, {"dials": 1}, TODAY)
    with pytest.raises(Invalid, match="at least one figure"):
        service.log_day(rep, TODAY, {}, TODAY)
    with pytest.raises(NotAllowed):
        service.log_day(create_user(Role.COACH), TODAY, {"dials": 1}, TODAY)
