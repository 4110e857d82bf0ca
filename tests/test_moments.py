"""Times on pages read in each person's own zone; documents that leave the app say UTC."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import render_template_string
from flask_login import current_user, login_user

import app.pdf as pdf
from app.extensions import db
from app.plans import service
from app.web import format_moment
from tests.querycount import counting_queries

WINTER = datetime(2026, 1, 15, 13, 5)  # stored as the database keeps it: naive UTC
SUMMER = datetime(2026, 7, 15, 13, 5)


@pytest.mark.parametrize(
    ("moment", "zone", "shown"),
    [
        (WINTER, "UTC", "15 Jan 2026, 13:05 UTC"),
        (WINTER, "Europe/Berlin", "15 Jan 2026, 14:05 CET"),
        (SUMMER, "Europe/Berlin", "15 Jul 2026, 15:05 CEST"),
        (SUMMER, "America/New_York", "15 Jul 2026, 09:05 EDT"),
        (WINTER, "Asia/Tokyo", "15 Jan 2026, 22:05 JST"),
        (datetime(2026, 1, 15, 22, 30), "Asia/Tokyo", "16 Jan 2026, 07:30 JST"),  # the next day
        (WINTER, "Asia/Dubai", "15 Jan 2026, 17:05 UTC+04"),  # a zone with no abbreviation
        (WINTER, "Not/A_Zone", "15 Jan 2026, 13:05 UTC"),  # an unknown zone counts as UTC
        (None, "Europe/Berlin", "—"),
    ],
)
def test_a_moment_reads_in_the_zone_with_its_name(moment, zone, shown):
    assert format_moment(moment, zone) == shown


def test_the_milestone_page_shows_times_in_the_readers_zone(make_rep, login):
    rep = make_rep(day_of_ramp=8)
    rep.timezone = "Europe/Berlin"
    milestone = next(m for m in service.active_plan(rep).milestones if not m.target)
    service.record_progress(rep, milestone, note="Set up.")
    for event in milestone.events:
        event.at = WINTER
    db.session.commit()

    page = login(rep).get(f"/milestones/{milestone.id}").text
    assert "15 Jan 2026, 14:05 CET" in page
    assert "13:05 UTC" not in page


def test_a_page_nobody_is_signed_in_to_says_utc(app):
    with app.test_request_context("/"):
        assert render_template_string("{{ at|moment }}", at=WINTER) == "15 Jan 2026, 13:05 UTC"


def test_a_pdf_says_utc_whoever_renders_it(app, make_user, monkeypatch):
    """The audit trail in a sealed agreement must read the same for everyone who opens it."""
    berlin = make_user(timezone="Europe/Berlin")
    rendered: list[str] = []
    monkeypatch.setattr(pdf, "render_html_to_pdf", lambda html: rendered.append(html) or b"")
    event = {"seq": 1, "at": WINTER, "actor": "HR", "action": "sent", "content_hash": "ab"}
    view = {"content_hash": "ab", "events": [event]}
    with app.test_request_context("/"):
        login_user(berlin)
        assert "CET" in render_template_string("{{ at|moment }}", at=WINTER)  # the page would
        pdf.render_pdf("agreements/_audit_trail.html", {"view": view})
    assert "When (UTC)" in rendered[0]
    assert "15 Jan 2026, 13:05 UTC" in rendered[0]
    assert "CET" not in rendered[0]


def test_a_hundred_moments_ask_the_database_nothing(app, make_user):
    """A long audit trail formats each time in the reader's zone without a query per time."""
    reader = make_user(timezone="America/New_York")
    moments = [WINTER.replace(minute=minute % 60) for minute in range(100)]
    with app.test_request_context("/"):
        login_user(reader)
        assert current_user.full_name  # as the layout's menu loads the signed-in person
        with counting_queries() as statements:
            shown = render_template_string(
                "{% for m in ms %}{{ m|moment }};{% endfor %}", ms=moments
            )
    assert statements == []
    assert shown.count(" EST;") == 100
