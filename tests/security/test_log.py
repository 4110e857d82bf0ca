"""The security event log: what is recorded, that it is newline-safe and free of secrets, and
the admin's page and CSV of it."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts import service as accounts
from app.accounts.models import Role
from app.accounts.service import PersonDetails
from app.errors import Invalid
from app.extensions import db
from app.pagination import PageRequest
from app.security import service as security
from app.security.models import EventKind, SecurityEvent
from tests.accounts.test_views import sign_in
from tests.conftest import PASSWORD


def events(kind: EventKind | None = None) -> list[SecurityEvent]:
    query = select(SecurityEvent).order_by(SecurityEvent.id)
    if kind is not None:
        query = query.where(SecurityEvent.kind == kind)
    return list(db.session.scalars(query))


def every_value(event: SecurityEvent) -> str:
    return " ".join(str(getattr(event, column.key)) for column in SecurityEvent.__table__.columns)


# --- what is recorded -------------------------------------------------------------------------


def test_sign_ins_and_failures_are_logged_with_the_address_and_no_password(client, make_user):
    user = make_user(Role.REP)
    assert sign_in(client, user.email, "my secret guess").status_code == 200
    assert sign_in(client, user.email).status_code == 302
    failed, signed_in = events(EventKind.SIGN_IN_FAILED), events(EventKind.SIGN_IN)
    assert [(e.subject_id, e.address, e.actor_id) for e in failed] == [(user.id, "127.0.0.1", None)]
    assert [(e.actor_id, e.subject_id, e.address) for e in signed_in] == [
        (user.id, user.id, "127.0.0.1")
    ]
    assert signed_in[0].actor_label == f"{user.full_name} <{user.email}>"
    assert signed_in[0].at <= datetime.now() + timedelta(hours=14)  # naive UTC, not local
    for event in events():
        assert "my secret guess" not in every_value(event)
        assert PASSWORD not in every_value(event)


def test_an_unknown_email_is_logged_but_a_password_typed_as_email_is_not(client):
    sign_in(client, "nobody@example.com", "guess one")
    sign_in(client, "hunter2 my password", "guess two")
    labels = [e.subject_label for e in events(EventKind.SIGN_IN_FAILED)]
    assert labels == ["nobody@example.com", "(not an email address)"]


def test_a_refused_page_is_logged_although_the_request_rolls_back(client, login, make_user):
    rep = make_user(Role.REP)
    login(rep)
    assert client.get("/admin/teams").status_code == 403
    [denied] = events(EventKind.PERMISSION_DENIED)
    assert (denied.actor_id, denied.address) == (rep.id, "127.0.0.1")
    assert denied.detail == "GET /admin/teams: This needs the Admin role."


def test_role_changes_deactivation_and_passwords_are_logged(make_user):
    admin, person = make_user(Role.ADMIN), make_user(Role.REP)
    details = PersonDetails(person.email, person.full_name, roles=[Role.REP])
    accounts.update_user(admin, person, details)  # no change of roles: nothing to log
    accounts.update_user(admin, person, PersonDetails(person.email, "Renamed", roles=[Role.COACH]))
    accounts.set_active(admin, person, active=False)
    accounts.reset_password(admin, person, "a fresh reset password")
    db.session.commit()
    logged = [(e.kind, e.actor_id, e.subject_id, e.detail) for e in events()]
    assert logged == [
        (EventKind.ROLES_CHANGED, admin.id, person.id, "roles: rep -> coach"),
        (EventKind.DEACTIVATED, admin.id, person.id, ""),
        (EventKind.PASSWORD_RESET, admin.id, person.id, "set by an admin"),
    ]
    assert "a fresh reset password" not in " ".join(every_value(e) for e in events())


def test_a_refused_change_leaves_no_event(make_user):
    admin, person = make_user(Role.ADMIN), make_user(Role.REP)
    with pytest.raises(Invalid):
        accounts.update_user(admin, person, PersonDetails("bad", person.full_name, roles=[]))
    db.session.rollback()
    assert events() == []


def test_an_agreements_export_is_logged(client, login, make_user):
    hr = make_user(Role.HR)
    login(hr)
    response = client.post("/agreements/export", data={})
    assert response.status_code == 200
    [export] = events(EventKind.EXPORT)
    assert (export.actor_id, export.detail) == (hr.id, "agreements: 0 in a ZIP")


def test_control_characters_are_escaped_so_one_event_stays_one_line(app):
    forged = "ok\n2026-01-01 sign_in admin\r\x1b[31mred\u2028\u202e"
    event = security.record(EventKind.EXPORT, subject_label=forged, detail=forged)
    db.session.commit()
    for value in (event.detail, event.subject_label):
        assert value.isprintable()
        assert value.startswith("ok\\x0a2026-01-01 sign_in admin\\x0d\\x1b[31mred\\u2028")
    assert len(security.clean("x" * 1000, 300)) == 300


# --- the admin's page and CSV -----------------------------------------------------------------


def showing(first: int, last: int, total: int) -> str:
    return f"Showing {first}\N{EN DASH}{last} of {total} events"


def _many_events(count: int, person_id: int | None = None) -> None:
    start = datetime(2026, 1, 1, 9, 0, 0)
    for number in range(count):
        kind = EventKind.SIGN_IN if number % 2 else EventKind.SIGN_IN_FAILED
        db.session.add(
            SecurityEvent(
                at=start + timedelta(minutes=number),
                kind=kind,
                subject_id=person_id if number % 3 == 0 else None,
                subject_label=f"person{number}@example.com",
                detail=f"event {number}",
            )
        )
    db.session.commit()


def test_the_log_pages_50_rows_newest_first_and_filters(client, login, make_user):
    person = make_user(Role.REP)
    _many_events(60, person.id)
    login(make_user(Role.ADMIN))
    first = client.get("/admin/security-log/")
    assert first.status_code == 200
    assert first.text.count("<tr>") - 1 == 50  # header row
    assert first.text.index("event 59") < first.text.index("event 58")
    assert showing(1, 50, 61) in first.text  # and the admin's own sign-in
    second = client.get("/admin/security-log/?page=2")
    assert "event 0<" in second.text and "event 11<" not in second.text  # 10 to 0
    failed = client.get("/admin/security-log/?kind=sign_in_failed")
    assert showing(1, 30, 30) in failed.text
    theirs = client.get(f"/admin/security-log/?person={person.id}")
    assert showing(1, 20, 20) in theirs.text
    searched = client.get("/admin/security-log/?q=person7%40")
    assert showing(1, 1, 1) in searched.text
    assert client.get("/admin/security-log/?kind=nonsense&person=9" + "9" * 30).status_code == 200


def test_the_log_page_asks_as_many_queries_for_60_events_as_for_5(
    client, login, make_user, queries_of
):
    login(make_user(Role.ADMIN))
    _many_events(5)
    few = queries_of("/admin/security-log/")
    _many_events(55)
    assert queries_of("/admin/security-log/") == few <= 10


def test_the_csv_has_a_bom_and_neutralises_formulas(client, login, make_user):
    admin = make_user(Role.ADMIN)
    for detail in ("=HYPERLINK(1)", "+1", "-1", "@SUM(A1)", "\tx", "plain"):
        security.record(EventKind.EXPORT, actor=admin, detail=detail)
    db.session.commit()
    login(admin)
    response = client.get("/admin/security-log/events.csv?kind=export")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["time_utc", "kind", "actor", "subject", "address", "detail"]
    details = [row[5] for row in rows[1:]]
    # A tab is already escaped when recorded, so it no longer starts the cell. The download
    # is committed to the log before the rows are streamed, so it is the newest of them.
    assert details == [
        "security log as CSV",
        "plain",
        "\\x09x",
        "'@SUM(A1)",
        "'-1",
        "'+1",
        "'=HYPERLINK(1)",
    ]
    assert rows[2][1:3] == ["export", f"{admin.full_name} <{admin.email}>"]
    # Downloading the log is itself an export on the log.
    assert events(EventKind.EXPORT)[-1].detail == "security log as CSV"


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("", {}),
        ("kind=sign_in_failed", {"kind": EventKind.SIGN_IN_FAILED}),
        ("person={person}", {"person": True}),
        ("q=person2%40", {"search": "person2@"}),
        ("kind=sign_in&person={person}", {"kind": EventKind.SIGN_IN, "person": True}),
    ],
)
def test_the_streamed_csv_has_every_event_the_page_filters_to(
    client, login, make_user, query, wanted
):
    """Newest first, across several chunks of the stream and of the database cursor."""
    admin, person = make_user(Role.ADMIN), make_user(Role.REP)
    _many_events(1200, person.id)
    login(admin)
    response = client.get(f"/admin/security-log/events.csv?{query.format(person=person.id)}")
    assert response.status_code == 200 and response.is_streamed
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    person_id = person.id if wanted.get("person") else None
    matching = security.EventFilter(wanted.get("kind"), person_id, wanted.get("search", ""))
    page = security.events_page(PageRequest(per_page=10_000, descending=True), matching)
    assert [row[5] for row in rows[1:]] == [event.detail for event in page.items]
    assert 0 < page.total == len(rows) - 1
