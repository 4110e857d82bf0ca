"""The demo's activity: the two sample CRM exports, imported, and a new rep's own log.

The samples (``samples/activity/``) are real files in each CRM's column names, dated in the
weeks before 30 November 2026. The demo moves their dates by whole weeks, so that their last
week is this week (weekdays stay weekdays, Mondays stay Mondays), leaves out the days after
today and any row before the rep's start, and imports them through the same service as any upload.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from app.accounts.models import User
from app.accounts.service import local_today
from app.config import PROJECT_ROOT
from app.metrics import service
from app.metrics.catalogue import PRESETS, Period, Preset, RepMatch
from app.metrics.parsing import RawRow, parse_day, raw_rows, read_csv
from app.metrics.service.sources import column_map

SAMPLES = PROJECT_ROOT / "samples" / "activity"
SAMPLE_FILES = {
    "HubSpot": SAMPLES / "hubspot-activity-by-day.csv",
    "Salesforce": SAMPLES / "salesforce-activity-by-week.csv",
}


def seed_activity(hr: User, reps: list[User], today: date) -> None:
    """Import both samples as ``hr``; the newest rep logs their own days so far."""
    for preset in PRESETS:
        _import_sample(hr, preset, SAMPLE_FILES[preset.name], reps, today)
    newest = max(reps, key=lambda rep: rep.start_date or date.min)
    _log_own_days(newest)


def _import_sample(hr: User, preset: Preset, path: Path, reps: list[User], today: date) -> None:
    source = service.ensure_source(hr, preset.name)
    choice = service.proposed_mapping(source, read_csv(path.read_bytes()).headers)
    service.save_mapping(hr, source, choice)
    rows = raw_rows(read_csv(path.read_bytes()), column_map(source))
    last = max(parse_day(row.day, preset.date_format) for row in rows)
    shift = _monday(today) - _monday(last)
    starts = {_key(rep, preset.rep_match): rep.start_date for rep in reps}
    moved = []
    for row in rows:
        day = parse_day(row.day, preset.date_format) + shift
        start = starts.get(row.rep.strip().lower())
        last_day = day + timedelta(days=6 if preset.period is Period.WEEK else 0)
        if start is not None and last_day >= start and day <= today:
            moved.append(replace(row, day=day))
    service.import_rows(hr, source, _renumbered(moved), today)


def _renumbered(rows: list[RawRow]) -> list[RawRow]:
    return [replace(row, number=number) for number, row in enumerate(rows, start=2)]


def _log_own_days(rep: User) -> None:
    """A rep without a CRM seat yet logs each working day of their ramp so far."""
    today = local_today(rep)
    day = max(rep.start_date or today, today - timedelta(days=service.LOG_DAYS_BACK))
    number = 0
    while day <= today:
        if day.weekday() < 5:
            number += 1
            values = {
                "dials": 6 + 3 * number,
                "conversations": 1 + number // 2,
                "meetings_booked": number // 3,
                "call_minutes": 25 + 10 * number,
                "selling_minutes": 150,
            }
            service.log_day(rep, day, values, today)
        day += timedelta(days=1)


def _key(rep: User, match: RepMatch) -> str:
    return (rep.email if match is RepMatch.EMAIL else rep.full_name).lower()


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
