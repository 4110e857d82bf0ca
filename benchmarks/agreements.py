"""The agreements benchmarks: the cost of sealing an agreement, and of exporting 500 of them.

Both are measured in one run against a scratch SQLite database and a scratch seal key, so the
numbers compare like with like on the machine at hand (the two renderings alternate and their
medians are compared):

* sealing: rendering the final agreement PDF and sealing it, as a ratio to rendering the same
  HTML with WeasyPrint alone (target: under 1.5x);
* export: a ZIP of 500 completed agreements' stored PDFs plus the manifest (target: under 5 s).
"""

from __future__ import annotations

import io
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import render_template
from sqlalchemy import insert

from benchmarks.report import Figure, alternating_medians, emit, note, timed

SEAL_RATIO_TARGET = 1.5
EXPORT_SECONDS_TARGET = 5.0
EXPORT_COUNT = 500
ROUNDS = 7


def run() -> list[Figure]:
    """Measure sealing and the export; print and return their figures."""
    from app import create_app
    from app.accounts.models import Role, User, UserRole
    from app.accounts.passwords import hash_password
    from app.agreements import rendering, service
    from app.agreements.audit import Evidence
    from app.agreements.models import Agreement
    from app.agreements.seal import seal_pdf
    from app.config import PROJECT_ROOT
    from app.curriculum.loader import load_curriculum
    from app.curriculum.service import store_curriculum
    from app.extensions import db
    from app.pdf import render_html_to_pdf
    from app.plans.service import assign_plan

    scratch = Path(tempfile.mkdtemp(prefix="salesramp-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{scratch / 'bench.sqlite3'}",
            "SEAL_KEY_DIR": scratch / "seal",
            "JOBS_IMMEDIATE": True,  # no worker here: the seal job runs at the commit
            "EXPORT_DIR": scratch / "exports",
            "SERVER_NAME": "localhost",
        }
    )
    evidence = Evidence.system("benchmark")
    window = timedelta(minutes=5)
    with app.app_context(), app.test_request_context():
        db.create_all()
        store_curriculum(load_curriculum(PROJECT_ROOT / "curriculum"))
        password = hash_password("benchmark")

        def person(name: str, role: Role, coach: User | None = None) -> User:
            email = name.lower().replace(" ", ".") + "@bench.example"
            user = User(email=email, full_name=name, password_hash=password, coach=coach)
            user.role_rows = [UserRole(role=role)]
            db.session.add(user)
            db.session.flush()
            return user

        hr = person("Priya Shah", Role.HR)
        coach = person("Maya Patel", Role.COACH)
        rep = person("Ava Chen", Role.REP, coach)
        assign_plan(coach, rep, "ae-ramp", datetime.now(UTC).date() - timedelta(days=40))
        values = service.initial_values("onboarding-expectations") | {"territory": "DACH"}
        agreement = service.create_draft(hr, rep, "onboarding-expectations", values, evidence)
        service.send(hr, agreement, evidence)
        for signer in (rep, hr, coach):
            just_now = datetime.now(UTC).replace(tzinfo=None)
            given = service.SignatureInput(signer.full_name, True, signed_in_at=just_now)
            service.sign(signer, agreement, given, evidence, window)
        db.session.commit()

        # --- sealing ---------------------------------------------------------------------------
        html = render_template("pdf/agreement.html", **rendering.final_html_context(agreement))
        key = rendering.seal_key()
        # Warm up fonts, caches and pyHanko's first-use work, so both measurements are alike.
        seal_pdf(render_html_to_pdf(html), key, agreement.verification_code, "Bench")
        render_only, render_and_seal = alternating_medians(
            ROUNDS,
            lambda: render_html_to_pdf(html),
            lambda: seal_pdf(render_html_to_pdf(html), key, agreement.verification_code, "Bench"),
        )
        ratio = render_and_seal / render_only

        # --- export ----------------------------------------------------------------------------
        template = {
            column.key: getattr(agreement, column.key)
            for column in Agreement.__table__.columns
            if column.key not in ("id", "verification_code")
        }
        template["pdf"] = agreement.pdf
        rows = [
            template | {"verification_code": f"BNCH-{number:04d}-{number % 97:04d}"}
            for number in range(EXPORT_COUNT - 1)
        ]
        db.session.execute(insert(Agreement), rows)
        db.session.commit()
        db.session.expunge_all()
        ids = service.completed_ids()
        assert len(ids) == EXPORT_COUNT, len(ids)
        size = 0

        def export_all() -> None:
            nonlocal size
            buffer = io.BytesIO()
            service.write_zip(service.completed_ids(), buffer)
            size = buffer.tell()

        export_seconds = timed(export_all)

    note(f"render the final agreement PDF (WeasyPrint): {render_only * 1000:.0f} ms")
    note(f"render and seal it (WeasyPrint + pyHanko): {render_and_seal * 1000:.0f} ms")
    note(f"export of {EXPORT_COUNT} completed agreements: {size / 1e6:.1f} MB ZIP")
    return [
        emit(Figure("agreements.seal.ratio", ratio, "x", "<", SEAL_RATIO_TARGET)),
        emit(Figure("agreements.export.seconds", export_seconds, "s", "<", EXPORT_SECONDS_TARGET)),
    ]
