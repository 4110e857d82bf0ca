"""The demo makes the dashboards worth a look: every status, weeks done late, coaches who
differ in how long their reps wait."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.dashboards import service
from app.extensions import db


def _person(email: str) -> User:
    found = db.session.scalar(select(User).where(User.email == email))
    assert found is not None
    return found


def test_the_demo_dashboard_shows_every_status_and_late_weeks(demo_snapshot, app):
    hr = _person("hr@demo.salesramp")

    dashboard = service.ramp_dashboard(hr, service.Filters())

    assert all(dashboard.funnel[status] for status in service.FUNNEL)
    percents = [c.percent for row in dashboard.heatmap.rows for c in row.cells if c.due]
    assert 100 in percents and any(p < 100 for p in percents)
    assert any(stage.passed for stage in dashboard.certifications)
    assert dashboard.commitments.total and dashboard.attention


def test_the_demo_coaches_differ_in_how_long_verifications_wait(demo_snapshot, app):
    hr = _person("hr@demo.salesramp")
    quick = service.coach_page(hr, _person("coach1@demo.salesramp").id).row
    slow = service.coach_page(hr, _person("coach2@demo.salesramp").id).row
    assert quick.verify_median is not None and slow.verify_median is not None
    assert quick.verify_median < slow.verify_median
