"""The agreements list as it grows (pages, sorting, search, counts, export of the whole
selection), the rep picker that works without JavaScript, and what waits to be signed."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable

from flask.testing import FlaskClient

from app.accounts.models import Role, User
from app.agreements import service
from app.agreements.models import Agreement
from app.extensions import db
from tests.agreements.conftest import EVIDENCE
from tests.querycount import kept_view

Login = Callable[[User], FlaskClient]


def test_the_list_pages_sorts_searches_and_counts(
    client: FlaskClient,
    login: Login,
    hr: User,
    make_rep: Callable[..., User],
    make_agreement: Callable[..., Agreement],
) -> None:
    ava, ben, cleo = (make_rep(name=name) for name in ("Ava Chen", "Ben Okafor", "Cleo Diaz"))
    sent = [make_agreement(rep=rep) for rep in (ben, cleo, ava)]
    draft = make_agreement("onboarding-expectations", send=False, rep=ava)
    login(hr)

    first = client.get("/agreements?per_page=2&sort=rep")
    assert "Showing 1\N{EN DASH}2 of 4 agreements" in first.text
    rows = first.text.split("<tbody>")[1]
    assert rows.count("<td>Ava Chen</td>") == 2 and "Ben Okafor" not in rows
    assert 'aria-sort="ascending"' in first.text and 'rel="next"' in first.text
    second = client.get("/agreements?per_page=2&sort=rep&page=2")
    assert "Showing 3\N{EN DASH}4 of 4 agreements" in second.text
    rows = second.text.split("<tbody>")[1]
    assert rows.index("Ben Okafor") < rows.index("Cleo Diaz") and "Ava Chen" not in rows
    backwards = client.get("/agreements?sort=-rep")
    assert backwards.text.index("Cleo Diaz") < backwards.text.index("Ben Okafor")

    # Counts by status cover the whole filtered list, whichever status is chosen.
    assert "Sent (3)" in first.text and "Draft (1)" in first.text
    only_sent = client.get("/agreements?status=sent&q=ava")
    assert "Showing 1\N{EN DASH}1 of 1 agreement" in only_sent.text
    assert "Draft (1)" in only_sent.text and "Sent (1)" in only_sent.text
    assert sent[2].verification_code in only_sent.text
    assert draft.verification_code not in only_sent.text
    assert sent[0].verification_code not in only_sent.text
    # The filters stay in the URL of every sort and page link.
    assert "q=ava" in only_sent.text.split('class="sort-link"')[1].split(">")[0]

    nobody = client.get("/agreements?q=zzz")
    assert "No agreements match these filters." in nobody.text


def test_the_export_covers_every_page_of_the_filtered_list(
    client: FlaskClient,
    login: Login,
    hr: User,
    make_rep: Callable[..., User],
    make_agreement: Callable[..., Agreement],
) -> None:
    reps = [make_rep(name=f"Dana Number{n}") for n in range(3)]
    for rep in reps:
        make_agreement(rep=rep)
    make_agreement(rep=make_rep(name="Eli Other"))
    login(hr)
    page = client.get("/agreements?q=dana&per_page=1")
    assert (
        "Showing 1\N{EN DASH}1 of 3 agreements" in page.text and "Export all 3 as ZIP" in page.text
    )
    assert 'name="q" type="hidden" value="dana"' in page.text
    response = client.post("/agreements/export", data={"q": "dana"})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert sorted(row["rep"] for row in manifest) == [rep.full_name for rep in reps]


def test_a_coach_sees_only_their_reps_agreements_once_sent(
    client: FlaskClient,
    login: Login,
    make_user: Callable[..., User],
    make_rep: Callable[..., User],
    make_agreement: Callable[..., Agreement],
) -> None:
    coach = make_user(Role.COACH, name="Casey Coach")
    mine = make_agreement(rep=make_rep(name="Ava Chen", coach=coach))
    draft = make_agreement(send=False, rep=mine.rep)
    other = make_agreement(rep=make_rep(name="Ben Okafor"))
    login(coach)
    page = client.get("/agreements")
    assert mine.verification_code in page.text
    assert draft.verification_code not in page.text and other.verification_code not in page.text
    assert "Showing 1\N{EN DASH}1 of 1 agreement" in page.text and "Draft (" not in page.text


def test_the_rep_picker_finds_reps_by_name_without_javascript(
    client: FlaskClient, login: Login, hr: User, make_user: Callable[..., User]
) -> None:
    for n in range(52):
        make_user(Role.REP, name=f"Sam Many{n:02d}")
    ava = make_user(Role.REP, name="Ava Chen")
    make_user(Role.COACH, name="Ava Coach")  # not a rep: never offered
    login(hr)

    everyone = client.get("/agreements/new")
    assert "Showing the first 50 of 53 reps in all" in everyone.text
    assert everyone.text.count("<option") <= 50 + 1 + 3

    narrowed = client.get("/agreements/new?rep_q=ava&action=Find&template=")
    assert "1 rep matching “ava”." in narrowed.text
    assert f'<option selected value="{ava.id}">' in narrowed.text
    assert "Ava Coach" not in narrowed.text and "Sam Many" not in narrowed.text

    several = client.get(
        "/agreements/new?rep_q=sam&action=continue&template=performance-improvement"
    )
    assert "Showing the first 50 of 52 reps matching “sam”" in several.text
    assert "Choose the rep from the list" in several.text and 'aria-invalid="true"' in several.text

    none = client.get("/agreements/new?rep_q=zoe&action=Find")
    assert "No active rep&#39;s name or email contains “zoe”" in none.text

    straight_on = client.get(
        "/agreements/new?rep_q=ava+chen&action=continue&template=performance-improvement"
    )
    assert straight_on.status_code == 302
    assert f"rep_id={ava.id}" in straight_on.headers["Location"]
    # A new search typed after choosing from the old list shows the new matches, not step two.
    stale = client.get(
        f"/agreements/new?rep_q=sam&shown_q=&rep_id={ava.id}"
        "&template=performance-improvement&action=continue"
    )
    assert stale.status_code == 200 and "Choose the rep from the list" in stale.text
    assert f'<option selected value="{ava.id}">' not in stale.text

    missing_template = client.get(f"/agreements/new?rep_id={ava.id}&action=continue&template=")
    assert "Choose an agreement." in missing_template.text


def test_to_sign_lists_what_waits_and_the_menu_counts_it(
    client: FlaskClient,
    login: Login,
    make_rep: Callable[..., User],
    make_agreement: Callable[..., Agreement],
) -> None:
    rep = make_rep(name="Ava Chen")
    waiting = make_agreement(rep=rep)
    make_agreement(send=False, rep=rep)
    db.session.commit()
    login(rep)
    page = client.get("/agreements/mine")
    assert page.text.count(f"/agreements/{waiting.id}/sign") == 2


def test_the_list_is_kept_while_the_agreements_hold_and_shows_a_change_at_once(
    client: FlaskClient,
    login: Login,
    hr: User,
    make_agreement: Callable[..., Agreement],
) -> None:
    agreement = make_agreement()
    other = make_agreement()
    login(hr)
    view = kept_view(client, "/agreements")
    assert "Sent (2)" in view.response.text and len(view.kept) < len(view.afresh)

    service.void(hr, agreement, "Sent to the wrong rep by mistake.", EVIDENCE)
    db.session.commit()

    after = client.get("/agreements")
    assert "Sent (1)" in after.text and "Voided (1)" in after.text
    assert other.verification_code in after.text
