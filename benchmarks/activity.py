"""The activity import benchmark: a CRM export of 100,000 rows (1,000 reps x 100 working
days), imported all or nothing through the command line's service, then imported again (which
changes nothing), on a scratch SQLite database. Target: each under 10 s."""

from __future__ import annotations

import csv
import io
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from benchmarks.report import Figure, emit, note, timed

IMPORT_SECONDS_TARGET = 10.0
REPS = 1_000
DAYS = 100


def run() -> list[Figure]:
    from app import create_app
    from app.accounts.models import Role, User, UserRole
    from app.extensions import db
    from app.metrics import service

    scratch = Path(tempfile.mkdtemp(prefix="salesramp-bench-activity-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{scratch / 'bench.sqlite3'}"})
    today = datetime.now(UTC).date()
    with app.app_context():
        db.create_all()
        emails = [f"rep{n}@bench.example" for n in range(1, REPS + 1)]
        db.session.execute(
            insert(User),
            [
                {"email": email, "full_name": f"Rep {n}", "password_hash": "-", "active": True}
                for n, email in enumerate(emails, start=1)
            ],
        )
        ids = db.session.scalars(db.select(User.id)).all()
        db.session.execute(insert(UserRole), [{"user_id": i, "role": Role.REP} for i in ids])
        db.session.commit()
        data = _export(emails, today)
        note(f"activity import: {len(data) / 1e6:.1f} MB, {REPS * DAYS:,} rows")

        def import_once() -> None:
            service.import_file("HubSpot", "bench.csv", data, today)
            db.session.commit()

        cpu = time.process_time()
        first = timed(import_once)
        cpu_first = time.process_time() - cpu
        again = timed(import_once)
        cpu_again = time.process_time() - cpu - cpu_first
        note(f"activity import CPU time: {cpu_first:.1f} s, then {cpu_again:.1f} s again")
    return [
        emit(Figure("activity.import_100k_rows", first, "s", "<", IMPORT_SECONDS_TARGET)),
        emit(Figure("activity.reimport_100k_rows", again, "s", "<", IMPORT_SECONDS_TARGET)),
    ]


def _export(emails: list[str], today: date) -> bytes:
    """A HubSpot activity report: every rep, every working day of the last 20 weeks."""
    days: list[date] = []
    day = today - timedelta(days=1)
    while len(days) < DAYS:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "Activity date",
            "Activity assigned to (email)",
            "Calls logged",
            "Connected calls",
            "Meetings booked",
            "Meetings completed",
            "Call duration (minutes)",
        ]
    )
    for n, email in enumerate(emails):
        for d, when in enumerate(days):
            dials = 5 + (n + d) % 20
            writer.writerow([when.isoformat(), email, dials, dials // 5, d % 3, d % 2, dials * 3])
    return out.getvalue().encode()
