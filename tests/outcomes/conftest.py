"""Helpers for the outcomes tests: a CRM source reporting the funnel, and figures by day."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.metrics import service
from app.metrics.catalogue import Period, RepMatch
from app.metrics.models import ActivitySource
from app.metrics.parsing import raw_rows, read_csv
from app.metrics.service.sources import column_map
from app.plans.models import Plan

COLUMNS = {
    "dials": "Dials",
    "conversations": "Conversations",
    "meetings_booked": "Booked",
    "meetings_held": "Held",
    "opportunities": "Opportunities",
    "deals_won": "Won",
}


def funnel_source(name: str = "Funnel CRM") -> ActivitySource:
    source = service.ensure_source(None, name)
    choice = service.MappingChoice(RepMatch.EMAIL, "Email", "Date", Period.DAY, "%Y-%m-%d", COLUMNS)
    service.save_mapping(None, source, choice)
    db.session.commit()
    return source


def start_of(rep: User) -> date:
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id, Plan.archived_at.is_(None)))
    assert plan is not None
    return plan.start_date


def import_days(
    source: ActivitySource, rep: User, days: Sequence[tuple[int, dict[str, int]]]
) -> None:
    """Figures for ramp days of ``rep`` (day 1 is the start), as a CRM export says them."""
    import_reps_days(source, [(rep, days)])


def import_reps_days(
    source: ActivitySource, reps: Sequence[tuple[User, Sequence[tuple[int, dict[str, int]]]]]
) -> None:
    """Several reps' figures in one file: a file replaces the periods it covers, so reps who
    started the same day are imported together."""
    header = ",".join(["Email", "Date", *COLUMNS.values()])
    lines = [header]
    for rep, days in reps:
        start = start_of(rep)
        for day, values in days:
            on = start + timedelta(days=day - 1)
            lines.append(
                ",".join([rep.email, on.isoformat(), *(str(values.get(k, 0)) for k in COLUMNS)])
            )
    rows = raw_rows(read_csv(("\n".join(lines) + "\n").encode()), column_map(source))
    service.import_rows(None, source, rows, date.today())
    db.session.commit()


@pytest.fixture
def source(app: Flask) -> ActivitySource:
    return funnel_source()


@pytest.fixture
def figures(source: ActivitySource) -> Callable[..., None]:
    """``figures(rep, [(ramp_day, {"meetings_booked": 3}), ...])``."""
    return lambda rep, days: import_days(source, rep, days)
