"""The cohort import pages: upload, preview, import, and the template download."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.cohorts.csvformat import COLUMNS
from app.extensions import db
from tests.invitations.links import invitation_mails

HEADER = ",".join(COLUMNS)


def upload(client, text, name="cohort.csv"):
    data = {"file": (io.BytesIO(text.encode() if isinstance(text, str) else text), name)}
    return client.post("/admin/people/import", data=data, content_type="multipart/form-data")


def cohort(coach):
    return (
        f"{HEADER}\n"
        f"Nina Rossi,nina@example.com,rep,SDR,,{coach.email},2027-01-11,E1,sdr-ramp\n"
        f"Omar Haddad,omar@example.com,rep,AE,,{coach.email},2027-01-11,E2,ae-ramp\n"
    )


def test_upload_preview_and_import(client, login, make_user, curriculum):
    admin, coach = make_user(Role.ADMIN), make_user(Role.COACH)
    login(admin)
    assert client.get("/admin/people/import").status_code == 200
    response = upload(client, cohort(coach))
    assert response.status_code == 302
    preview = client.get(response.location)
    assert preview.status_code == 200
    assert "2 to create and invite, 0 to update, 0 unchanged" in preview.text
    assert "plan sdr-ramp" in preview.text
    key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', preview.text).group(1)
    fingerprint = re.search(r'name="fingerprint"[^>]*value="([^"]+)"', preview.text).group(1)
    form = {"submission_key": key, "fingerprint": fingerprint}
    done = client.post(response.location, data=form)
    assert done.status_code == 302
    assert "Imported: 2 created" in client.get(done.location).text
    assert client.post(response.location, data=form).status_code == 302  # sent twice: once
    assert len(invitation_mails("nina@example.com")) == 1
    people = db.session.scalar(select(func.count(User.id)))

    again = client.get(upload(client, cohort(coach)).location)
    assert "0 to create and invite, 0 to update, 2 unchanged" in again.text
    assert "there is nothing to import" in again.text
    assert db.session.scalar(select(func.count(User.id))) == people


def test_a_tampered_fingerprint_is_refused_and_the_preview_shown_again(
    client, login, make_user, curriculum
):
    admin, coach = make_user(Role.ADMIN), make_user(Role.COACH)
    login(admin)
    location = upload(client, cohort(coach)).location
    response = client.post(location, data={"submission_key": "k1", "fingerprint": "0" * 64})
    assert response.status_code == 409
    assert "changed since this preview" in response.text
    assert db.session.scalar(select(User).where(User.email == "nina@example.com")) is None


def test_bad_rows_are_listed_by_number_and_nothing_can_be_imported(
    client, login, make_user, curriculum
):
    admin, coach = make_user(Role.ADMIN), make_user(Role.COACH)
    login(admin)
    text = cohort(coach) + "Lost Soul,lost@example.com,rep,,Team Nowhere,,,,\n"
    page = client.get(upload(client, text).location)
    assert "Row 4: There is no team &#39;Team Nowhere&#39;" in page.text
    assert 'name="fingerprint"' not in page.text  # no import button


def test_a_bad_header_or_encoding_is_shown_next_to_the_file_field(client, login, make_user):
    login(make_user(Role.ADMIN))
    response = upload(client, "name,email,salary\n")
    assert response.status_code == 200
    assert 'id="file-error"' in response.text and "unknown column" in response.text
    response = upload(client, "name,email,role\nJosé,j@example.com,rep\n".encode("cp1252"))
    assert "CSV UTF-8" in response.text


def test_the_template_downloads_with_the_header(client, login, make_user):
    login(make_user(Role.ADMIN))
    response = client.get("/admin/people/import/template.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.text.lstrip("\ufeff").splitlines()[0] == HEADER


def test_another_admins_upload_is_not_found(client, login, make_user):
    admin, other = make_user(Role.ADMIN), make_user(Role.ADMIN)
    login(admin)
    location = upload(client, "name,email,role\nNina,nina@example.com,rep\n").location
    client.post("/logout")
    login(other)
    assert client.get(location).status_code == 404
