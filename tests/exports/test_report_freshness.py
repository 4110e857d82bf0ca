"""A stored progress report is served without reading the report again only while nothing it
reads was written: after any sequence of writes, a download says what a fresh reading says."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from app.accounts.service import organisation
from app.exports import report
from app.exports.freshness import UNRELATED
from app.exports.models import StoredProgressReport
from app.extensions import db
from app.metrics import service as metrics
from app.once import lock
from app.plans import service as plans
from app.plans.models import Milestone, MilestoneStatus
from tests.escalations.helpers import overdue_commitment
from tests.querycount import counting_queries


@pytest.fixture
def pair(make_rep):
    """Two reps of one coach; the report of the first is the one downloaded."""
    rep = make_rep(day_of_ramp=20, name="Avery Quinlan")
    other = make_rep(day_of_ramp=35, name="Blake Other", coach=rep.coach)
    db.session.commit()
    return rep, other


@pytest.fixture
def readable_pdf(monkeypatch) -> list[dict]:
    """The "PDF" is the values as JSON (rendering takes a second); each rendering is noted."""
    rendered: list[dict] = []

    def render(_template: str, values: dict) -> bytes:
        rendered.append(values)
        return json.dumps(values, sort_keys=True, default=str).encode()

    monkeypatch.setattr(report, "render_pdf", render)
    return rendered


def _fresh(rep) -> bytes:
    """What the report says now, read from the raw rows."""
    db.session.expire_all()
    values = report.progress_report(rep.coach, rep, date.today())
    return json.dumps(values, sort_keys=True, default=str).encode()


def _download(client, rep, etag: str | None = None):
    headers = {"If-None-Match": f'"{etag}"'} if etag else {}
    return client.get(f"/exports/reps/{rep.id}/report.pdf", headers=headers)


def test_a_repeated_download_reads_the_stored_copy_only(pair, login, readable_pdf) -> None:
    rep, _other = pair
    client = login(rep.coach)
    first = _download(client, rep)
    _download(client, rep)  # confirms the new copy (a write may have raced the first)
    with counting_queries() as statements:
        again = _download(client, rep)
    assert again.data == first.data == _fresh(rep)
    assert len(statements) <= 5, statements
    with counting_queries() as statements:
        held = _download(client, rep, first.get_etag()[0])
    assert held.status_code == 304 and held.data == b""
    assert len(statements) <= 5, statements
    assert len(readable_pdf) == 1


def test_a_write_the_report_does_not_read_keeps_the_stored_copy(pair, login, readable_pdf):
    rep, other = pair
    client = login(rep.coach)
    _download(client, rep)
    _download(client, rep)
    metrics.log_day(rep, metrics.monday_of(date.today()), {"dials": 7}, date.today())
    plans.active_plan(other).milestones[0].status = MilestoneStatus.DONE  # another rep's
    lock(plans.active_plan(rep).milestones[0], Milestone.status)  # a lock writes nothing
    db.session.commit()
    stored = db.session.get(StoredProgressReport, rep.id)
    assert stored.checked == stored.changes


@pytest.mark.parametrize("write", ["milestone", "rename", "organisation", "bulk_due_dates"])
def test_a_write_the_report_reads_is_seen_by_the_next_download(
    pair, login, readable_pdf, write
) -> None:
    rep, other = pair
    client = login(rep.coach)
    _download(client, rep)
    _download(client, rep)  # confirmed: the next one would read the stored copy only
    _write(write, rep, other, 3)
    assert _download(client, rep).data == _fresh(rep)
    assert len(readable_pdf) == 2


def test_the_report_reads_no_table_left_out_of_the_count(pair, login) -> None:
    """Every table the report reads counts its writes (``UNRELATED`` lists only others)."""
    rep, _other = pair
    overdue_commitment(rep, days_late=3, today=date.today())
    db.session.expire_all()
    with counting_queries() as statements:
        report.progress_report(rep.coach, rep, date.today())
    read = {t for s in statements for t in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)', s)}
    assert {"milestones", "debriefs", "commitments", "agreements"} <= read
    assert not read & UNRELATED


WRITES = st.lists(
    st.sampled_from(
        [
            "download", "download_with_etag", "milestone", "other_milestone", "rename",
            "organisation", "commitment", "activity", "bulk_due_dates", "tomorrow", "rollback",
        ]
    ),
    min_size=1,
    max_size=8,
)  # fmt: skip


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=WRITES, numbers=st.lists(st.integers(0, 30), min_size=8, max_size=8))
def test_any_sequence_of_writes_and_downloads_serves_what_the_report_says(
    pair, login, readable_pdf, steps, numbers
) -> None:
    rep, other = pair
    client = login(rep.coach)
    etag = None
    for step, number in zip(steps, numbers, strict=False):
        if step in ("download", "download_with_etag"):
            answer = _download(client, rep, etag if step == "download_with_etag" else None)
            fresh = _fresh(rep)
            if answer.status_code == 304:
                assert etag == report.report_fingerprint(json.loads(fresh))
            else:
                assert answer.status_code == 200 and answer.data == fresh
                etag = answer.get_etag()[0]
        elif step == "tomorrow":  # the report prints the rep's today
            later = date.today() + timedelta(days=1 + number)
            copy = report.progress_report_pdf(rep.coach, rep, later)
            assert (
                copy.pdf
                == json.dumps(
                    report.progress_report(rep.coach, rep, later), sort_keys=True, default=str
                ).encode()
            )
            db.session.commit()
        else:
            _write(step, rep, other, number)


def _write(step: str, rep, other, number: int) -> None:
    if step in ("milestone", "other_milestone"):
        plan = plans.active_plan(rep if step == "milestone" else other)
        milestone = plan.milestones[number % len(plan.milestones)]
        done = milestone.status == MilestoneStatus.DONE
        milestone.status = MilestoneStatus.OPEN if done else MilestoneStatus.DONE
    elif step == "rename":
        rep.full_name = f"Avery Quinlan {number}"
    elif step == "organisation":
        organisation().name = f"Acme {number}"
    elif step == "commitment":
        overdue_commitment(rep, days_late=number, today=date.today())
    elif step == "activity":
        metrics.log_day(rep, metrics.monday_of(date.today()), {"dials": number}, date.today())
    elif step == "bulk_due_dates":  # a statement, not a flush: every stored report counts it
        plan = plans.active_plan(rep)
        db.session.execute(
            update(Milestone)
            .where(Milestone.plan_id == plan.id, Milestone.phase == 1)
            .values(due_date=date.today() + timedelta(days=number - 15))
        )
    elif step == "rollback":
        rep.full_name = "Never Saved"
        db.session.flush()
        db.session.rollback()
        return
    db.session.commit()
