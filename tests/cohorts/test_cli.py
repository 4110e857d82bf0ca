"""``flask people import``: the same service and messages, a dry run, exit 1 on problems."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.cohorts.csvformat import COLUMNS
from app.extensions import db

HEADER = ",".join(COLUMNS)


def write(tmp_path, text):
    path = tmp_path / "cohort.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def count():
    return db.session.scalar(select(func.count(User.id)))


def test_dry_run_then_import_then_nothing_to_do(runner, make_user, curriculum, tmp_path):
    admin, coach = make_user(Role.ADMIN), make_user(Role.COACH)
    text = f"{HEADER}\nNina Rossi,nina@example.com,rep,SDR,,{coach.email},2027-01-11,E1,sdr-ramp\n"
    path = write(tmp_path, text)
    before = count()
    dry = runner.invoke(args=["people", "import", path, "--by", admin.email, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Row 2: create Nina Rossi <nina@example.com>, plan sdr-ramp" in dry.output
    assert "Dry run: nothing was changed." in dry.output
    assert count() == before

    done = runner.invoke(args=["people", "import", path, "--by", admin.email])
    assert done.exit_code == 0, done.output
    assert (
        "Imported: 1 created, 0 updated, 0 unchanged; 1 invitation(s) sent, 1 plan(s) assigned."
        in done.output
    )
    db.session.expire_all()
    assert count() == before + 1

    again = runner.invoke(args=["people", "import", path, "--by", admin.email])
    assert "Row 2: unchanged Nina Rossi" in again.output
    assert "Imported: 0 created" in again.output


def test_problems_are_named_by_row_and_exit_non_zero(runner, make_user, curriculum, tmp_path):
    admin = make_user(Role.ADMIN)
    path = write(
        tmp_path, f"{HEADER}\nNina,not-an-email,rep,,,,,,\nOmar,omar@example.com,rep,,,,,,\n"
    )
    result = runner.invoke(args=["people", "import", path, "--by", admin.email])
    assert result.exit_code == 1
    assert "Row 2: Email 'not-an-email' is not an email address." in result.output
    assert "1 row(s) have problems; nothing was imported." in result.output
    assert db.session.scalar(select(User).where(User.email == "omar@example.com")) is None


def test_a_bad_header_is_one_clear_message(runner, make_user, tmp_path):
    admin = make_user(Role.ADMIN)
    result = runner.invoke(
        args=["people", "import", write(tmp_path, "who,what\n"), "--by", admin.email]
    )
    assert result.exit_code == 1
    assert "unknown columns 'who', 'what'" in result.output
