"""Query counts of the agreements pages: the same with 5 reps as with 50, at most 30, and
every page under 200 KB of HTML.

Two worlds are built once per run (the 50-rep one on top of the 5-rep one) and each page is
counted in both. Every rep has agreements in several states: a draft, a sent one, one signed
by the rep and waiting for HR and the coach, and a completed one (with stand-in PDF bytes, so
nothing is sealed: sealing takes a second or two).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select

from app.accounts.models import Role, Team, User
from app.agreements import service
from app.agreements.audit import now
from app.agreements.models import AgreementStatus
from app.agreements.service import signing
from app.extensions import db
from tests.agreements.conftest import EVIDENCE, VALUES, WINDOW, _fresh
from tests.conftest import PASSWORD, FreshRequestClient, create_rep, create_team, create_user
from tests.database import Commits, Snapshot, TestDatabase
from tests.querycount import counting_queries

SMALL, LARGE = 5, 50
LIMIT = 30
MAX_HTML = 200_000  # bytes: every page under 200 KB


@dataclass(frozen=True)
class People:
    hr: int
    coach: int
    rep: int  # the first rep: their own page is counted


def _agreements_for(hr: User, rep: User) -> None:
    """A draft, a sent agreement, one signed by the rep, and a completed one."""
    service.create_draft(
        hr, rep, "performance-improvement", VALUES["performance-improvement"], EVIDENCE
    )
    sent = service.create_draft(
        hr, rep, "performance-improvement", VALUES["performance-improvement"], EVIDENCE
    )
    service.send(hr, sent, EVIDENCE)
    waiting = service.create_draft(
        hr, rep, "onboarding-expectations", VALUES["onboarding-expectations"], EVIDENCE
    )
    service.send(hr, waiting, EVIDENCE)
    signing.sign(rep, waiting, _fresh(rep), EVIDENCE, WINDOW)
    done = service.create_draft(
        hr, rep, "performance-improvement", VALUES["performance-improvement"], EVIDENCE
    )
    service.send(hr, done, EVIDENCE)
    done.status, done.completed_at = AgreementStatus.COMPLETED, now()
    done.pdf, done.pdf_sha256 = b"%PDF-1.7 stand-in for a sealed agreement", "0" * 64


def _add_reps(hr: User, coach: User, first: int, count: int) -> None:
    for number in range(first, first + count):
        name = f"Team {number // 5:02d}"
        team = (
            create_team(name)
            if number % 5 == 0
            else db.session.scalar(select(Team).where(Team.name == name))
        )
        rep = create_rep(day_of_ramp=30, coach=coach, name=f"Rep {number:03d} Example")
        rep.team = team
        _agreements_for(hr, rep)
    db.session.commit()


def _small_world() -> People:
    hr = create_user(Role.HR, name="Priya Shah")
    coach = create_user(Role.COACH, name="Casey Coach")
    _add_reps(hr, coach, 0, SMALL)
    rep = db.session.scalar(select(User).where(User.full_name == "Rep 000 Example"))
    assert rep is not None
    return People(hr=hr.id, coach=coach.id, rep=rep.id)


@pytest.fixture(scope="module")
def small_snapshot(test_database: TestDatabase) -> Snapshot:
    return test_database.snapshot("agreements-5-reps", _small_world)


@pytest.fixture(scope="module")
def large_snapshot(test_database: TestDatabase, small_snapshot: Snapshot) -> Snapshot:
    def build() -> People:
        people: People = small_snapshot.value
        hr, coach = db.session.get(User, people.hr), db.session.get(User, people.coach)
        assert hr is not None and coach is not None
        _add_reps(hr, coach, SMALL, LARGE - SMALL)
        return people

    return test_database.snapshot("agreements-50-reps", build, parent=small_snapshot)


PAGES: dict[str, tuple[str, str]] = {
    "hr-list": ("hr", "/agreements"),
    "hr-list-sorted-filtered": ("hr", "/agreements?status=sent&sort=-rep&page=1"),
    "hr-list-search": ("hr", "/agreements?q=example&sort=team"),
    "hr-list-one-rep": ("hr", "/agreements?rep={rep}"),
    "coach-list": ("coach", "/agreements"),
    "new-agreement-chooser": ("hr", "/agreements/new"),
    "new-agreement-chooser-search": ("hr", "/agreements/new?rep_q=rep+0&template="),
    "bulk-choose": ("hr", "/agreements/bulk"),
    "bulk-form": ("hr", "/agreements/bulk?template=performance-improvement"),
    "rep-own": ("rep", "/agreements/mine"),
    "hr-to-sign": ("hr", "/agreements/mine"),
    "coach-to-sign": ("coach", "/agreements/mine"),
}


def _count_pages(database: TestDatabase, snapshot: Snapshot) -> dict[str, int]:
    """Each page's statement count in this world, for a second GET (as ``queries_of``)."""
    counts = {}
    with database.test(snapshot, Commits.ROLLED_BACK) as app:
        people: People = snapshot.value  # known once the snapshot is built
        ids = {"hr": people.hr, "coach": people.coach, "rep": people.rep}
        emails = {who: db.session.get(User, user_id).email for who, user_id in ids.items()}  # type: ignore[union-attr]
        for page, (who, url) in PAGES.items():
            counts[page] = _count(app, emails[who], url.format(rep=people.rep))
    return counts


def _count(app: Flask, email: str, url: str) -> int:
    app.test_client_class = FreshRequestClient
    client = app.test_client()
    signed_in = client.post("/login", data={"email": email, "password": PASSWORD})
    assert signed_in.status_code == 302
    client.get(url)
    db.session.remove()  # as in production: each request starts with an empty session
    with counting_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert len(response.data) < MAX_HTML, (url, len(response.data))
    return len(statements)


@pytest.fixture(scope="module")
def counts(
    test_database: TestDatabase, small_snapshot: Snapshot, large_snapshot: Snapshot
) -> Callable[[str], tuple[int, int]]:
    small = _count_pages(test_database, small_snapshot)
    large = _count_pages(test_database, large_snapshot)
    return lambda page: (small[page], large[page])


@pytest.mark.parametrize("page", PAGES)
def test_a_page_asks_as_many_queries_for_50_reps_as_for_5(
    counts: Callable[[str], tuple[int, int]], page: str
) -> None:
    with_5, with_50 = counts(page)
    assert with_5 == with_50, f"{page}: {with_5} queries with 5 reps, {with_50} with 50"
    assert with_50 <= LIMIT, f"{page}: {with_50} queries"
