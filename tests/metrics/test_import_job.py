"""The import job: progress as it checks, all or nothing, and the sweep of interrupted ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import func, select, update

from app.accounts.models import Role, User
from app.extensions import db
from app.metrics import service
from app.metrics.models import ActivityFigure, ActivityImport, ImportStatus
from app.metrics.service.checking import PROGRESS_EVERY
from tests.metrics.conftest import csv_of, make_source


def test_a_large_file_is_checked_with_progress_then_imported_in_one_go(
    make_user: Callable[..., User],
) -> None:
    reps = [make_user(Role.REP) for _ in range(12)]
    hr = make_user(Role.HR)
    make_source()
    today = date.today()
    days = [today - timedelta(days=n) for n in range(1, 1001)]
    data = csv_of(
        *(
            (rep.email, day, n % 40, n % 3)
            for n, (rep, day) in enumerate((rep, day) for rep in reps for day in days)
        )
    )
    record = service.upload(hr, "TestCRM", "year.csv", data)
    db.session.commit()
    seen: list[int] = []
    original = service.uploads._update

    def spy(import_id: int, **values: object) -> None:
        if "checked_rows" in values:
            seen.append(int(values["checked_rows"]))  # type: ignore[call-overload]
        original(import_id, **values)

    service.uploads._update = spy  # type: ignore[assignment]
    try:
        service.start_import(hr, record, today)
        db.session.commit()  # the job runs now (tests run jobs at the commit)
    finally:
        service.uploads._update = original  # type: ignore[assignment]
    record = db.session.get(ActivityImport, record.id, populate_existing=True)
    assert record.status is ImportStatus.DONE
    assert (record.added, record.checked_rows, record.total_rows) == (12_000, 12_000, 12_000)
    assert seen == [PROGRESS_EVERY, 12_000]
    assert db.session.scalar(select(func.count(ActivityFigure.id))) == 12_000
    assert record.content == ""  # the file is not kept once its figures are


def test_an_interrupted_import_is_queued_again_then_given_up(
    make_user: Callable[..., User],
) -> None:
    rep, hr = make_user(Role.REP), make_user(Role.HR)
    make_source()
    record = service.upload(hr, "TestCRM", "day.csv", csv_of((rep.email, date.today(), 3, 1)))
    stale = date.today() - timedelta(days=1)
    db.session.execute(
        update(ActivityImport)
        .where(ActivityImport.id == record.id)
        .values(status=ImportStatus.RUNNING, heartbeat_at=stale, attempts=1, as_of=date.today())
    )
    db.session.commit()
    requeued, failed = service.sweep_interrupted_imports(timedelta(minutes=5), max_attempts=3)
    db.session.commit()  # the requeued job runs and imports the file
    assert (requeued, failed) == (1, 0)
    assert db.session.get(ActivityImport, record.id, populate_existing=True).status is (
        ImportStatus.DONE
    )
    db.session.execute(
        update(ActivityImport)
        .where(ActivityImport.id == record.id)
        .values(status=ImportStatus.RUNNING, heartbeat_at=stale, attempts=3)
    )
    assert service.sweep_interrupted_imports(timedelta(minutes=5), max_attempts=3) == (0, 1)
    record = db.session.get(ActivityImport, record.id, populate_existing=True)
    assert record.status is ImportStatus.FAILED
    assert record.errors == [service.uploads.INTERRUPTED]
