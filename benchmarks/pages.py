"""The page benchmark: each page of the large organisation timed against ``GET /login``.

The organisation (``flask demo --reps 1000``) is served by gunicorn exactly as ``make run`` does.
Each page is fetched by the person who uses it, alternating with an anonymous ``GET /login``
(login, page, login, page, ...) after a warm-up, so a busy moment weighs on both alike. Every
page reports its median and 95th-percentile time as a ratio to /login's median, its SQL
statement count (the app's ``X-Query-Count`` header) and its size.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from typing import cast

from sqlalchemy import create_engine, text

from benchmarks import exports
from benchmarks.measuring import Page, measure
from benchmarks.report import Figure, note
from benchmarks.server import Browser, gunicorn

PASSWORD = "demo"
DOMAIN = "large.salesramp"


def _ids(url: str) -> dict[str, object]:
    """Whom and what to ask for: coach1, a rep of theirs mid-ramp, a passed attempt of theirs."""
    engine = create_engine(url)
    with engine.connect() as db:
        coach = db.execute(
            text("SELECT id, team_id FROM users WHERE email = :e"), {"e": f"coach1@{DOMAIN}"}
        ).one()
        coach_id = coach.id
        reps = db.execute(
            text("SELECT id, email, start_date FROM users WHERE coach_id = :c ORDER BY id"),
            {"c": coach_id},
        ).all()
        middle = date.today() - timedelta(days=45)
        rep = min(reps, key=lambda r: abs((_as_date(r.start_date) - middle).days))
        attempt = db.execute(
            text(
                "SELECT a.id FROM certification_attempts a JOIN users u ON u.id = a.rep_id "
                "WHERE a.passed AND u.coach_id = :c ORDER BY a.id LIMIT 1"
            ),
            {"c": coach_id},
        ).scalar_one()
        stage = (
            db.execute(
                text(
                    "SELECT m.certification_stage FROM milestones m "
                    "JOIN plans p ON p.id = m.plan_id "
                    "WHERE p.rep_id = :r AND m.certification_stage IS NOT NULL ORDER BY m.due_date"
                ),
                {"r": rep.id},
            )
            .scalars()
            .first()
        )
        calibration = (
            db.execute(
                text(
                    "SELECT stage FROM certification_attempts GROUP BY stage ORDER BY count(*) DESC"
                )
            )
            .scalars()
            .first()
        )
    engine.dispose()
    return {
        "rep_id": rep.id, "rep_email": rep.email, "attempt_id": attempt, "coach_id": coach_id,
        "stage": stage or "discovery", "calibration": calibration or "discovery",
        "team_id": coach.team_id or 0,
    }  # fmt: skip


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def pages(ids: dict[str, object]) -> list[Page]:
    rep, attempt, stage = ids["rep_id"], ids["attempt_id"], ids["stage"]
    return [
        Page("hr_cert_matrix", "hr", "/certifications/team"),
        Page("hr_all_reps", "hr", "/team"),
        Page("calibration", "hr", f"/certifications/calibration/{ids['calibration']}"),
        Page("certificate", "hr", f"/certifications/attempts/{attempt}/certificate.pdf", pdf=True),
        Page("coach_cert_matrix", "coach", "/certifications/team"),
        Page("admin_people", "admin", "/admin/people"),
        Page("admin_teams", "admin", "/admin/teams"),
        Page("assess_form", "coach", f"/certifications/reps/{rep}/{stage}/assess"),
        Page("hr_agreements", "hr", "/agreements"),
        Page("new_agreement", "hr", "/agreements/new"),
        Page("bulk_agreements", "hr", "/agreements/bulk"),
        Page("rep_home", "rep", "/ramp"),
        Page("rep_notifications", "rep", "/coaching/notifications"),
        Page("coach_notifications", "coach", "/coaching/notifications"),
        Page("rep_coaching_mine", "rep", "/coaching/mine"),
        Page("rep_certifications", "rep", "/certifications/mine"),
        Page("rep_agreements", "rep", "/agreements/mine"),
        Page("coach_team", "coach", "/team"),
        Page("coach_rep_ramp", "coach", f"/reps/{rep}"),
        Page("coach_rep_certifications", "coach", f"/certifications/reps/{rep}"),
        Page("coach_rep_debriefs", "coach", f"/coaching/reps/{rep}"),
        Page("coach_one_on_one", "coach", f"/coaching/reps/{rep}/one-on-one"),
        Page("coach_new_debrief", "coach", f"/coaching/reps/{rep}/new"),
        Page("hr_escalations", "hr", "/escalations"),
        Page("coach_escalations", "coach", "/escalations"),
        Page("rep_calendar", "rep", "/calendar"),
        Page("coach_work_queue", "coach", "/work"),
        Page("admin_invitations", "admin", "/admin/invitations"),
        Page("admin_outbox", "admin", "/admin/outbox"),
        Page("admin_cohort_imports", "admin", "/admin/people/import"),
        Page("rep_activity", "rep", "/activity/"),
        Page("rep_log_day", "rep", "/activity/log"),
        Page("coach_rep_activity", "coach", f"/activity/reps/{rep}"),
        Page("hr_activity_imports", "hr", "/activity/imports"),
        Page("rep_notification_settings", "rep", "/account/notifications"),
        Page("rubrics", "hr", "/certifications/rubrics"),
        Page("curriculum", "hr", "/curriculum/"),
        Page("hr_outcomes", "hr", "/outcomes/"),
        Page("coach_outcomes", "coach", "/outcomes/"),
        Page("rep_numbers", "rep", "/outcomes/mine"),
        Page("coach_rep_numbers", "coach", f"/outcomes/reps/{rep}"),
        Page("hr_plan_drivers", "hr", "/outcomes/drivers"),
        Page("hr_outcomes_after_a_write", "hr", "/outcomes/", after_a_write=True),
        Page("hr_plan_drivers_after_a_write", "hr", "/outcomes/drivers", after_a_write=True),
        Page("coach_plan_drivers", "coach", "/outcomes/drivers"),
        Page("hr_dashboard", "hr", "/dashboard"),
        Page("hr_dashboard_cohort", "hr", f"/dashboard?cohort={_last_month():%Y-%m}"),
        Page("coach_dashboard", "coach", "/dashboard"),
        Page("hr_dashboard_after_a_write", "hr", "/dashboard", after_a_write=True),
        Page("coach_dashboard_after_a_write", "coach", "/dashboard", after_a_write=True),
        Page("hr_coaches", "hr", "/dashboard/coaches"),
        Page("coach_accountability", "coach", f"/dashboard/coaches/{ids['coach_id']}"),
        Page("admin_coaches", "admin", "/dashboard/coaches"),
        Page("hr_coach_accountability", "hr", f"/dashboard/coaches/{ids['coach_id']}"),
        Page("hr_rep_numbers", "hr", f"/outcomes/reps/{rep}"),
        Page("hr_rep_activity", "hr", f"/activity/reps/{rep}"),
        Page("export_progress_report", "hr", f"/exports/reps/{rep}/report.pdf", pdf=True),
    ]


def _a_rep_writes(url: str, team_id: int) -> Callable[[], None]:
    """What a transaction that wrote rows of a rep of coach1's team (a milestone ticked, a
    debrief recorded) does to the data's generation and that team's, and so to every figure
    kept under them: the statements of ``app.generation``'s commit hook, without changing a
    row a page shows, so every round reads the same. The figures kept per team then work
    out that team's share again (and all of the coach's own), those kept whole everything."""
    engine = create_engine(url)

    def write() -> None:
        token = {"token": secrets.randbits(63), "team": team_id}
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO team_generations (team_id, token) VALUES (:team, :token) "
                    "ON CONFLICT (team_id) DO UPDATE SET token = excluded.token"
                ),
                token,
            )
            connection.execute(
                text(
                    "INSERT INTO data_generation (id, writes, token) VALUES (1, 1, :token) "
                    "ON CONFLICT (id) DO UPDATE SET writes = data_generation.writes + 1, "
                    "token = excluded.token"
                ),
                token,
            )

    return write


def _last_month() -> date:
    """A start cohort every rep of which is mid-ramp: last month's."""
    return (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)


def run(database_url: str, prefix: str) -> list[Figure]:
    """Serve the organisation at ``database_url`` and measure every page and export; figures
    named ``<prefix>.<page>.<figure>``."""
    ids = _ids(database_url)
    figures: list[Figure] = []
    files = tempfile.TemporaryDirectory(prefix="salesramp-bench-exports-")
    settings = exports.settings(files.name)
    with files, gunicorn(database_url, settings=settings) as base:
        people = {
            "hr": Browser(base).sign_in(f"hr1@{DOMAIN}", PASSWORD),
            "coach": Browser(base).sign_in(f"coach1@{DOMAIN}", PASSWORD),
            "admin": Browser(base).sign_in(f"admin1@{DOMAIN}", PASSWORD),
            "rep": Browser(base).sign_in(str(ids["rep_email"]), PASSWORD),
        }
        login = Browser(base)
        login_answer = login.get("/login")
        note(f"{prefix}: GET /login runs {login_answer.queries} queries")
        write = _a_rep_writes(database_url, cast(int, ids["team_id"]))
        for page in pages(ids):
            figures += measure(prefix, login, people[page.who], page, write)
        figures += exports.run(prefix, database_url, settings, login, people["hr"])
    return figures
