"""The agreements services the pages call: editing drafts, bulk preview-then-send, exports,
verification and the list rules, without a request."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.accounts.models import Role, Team, User
from app.agreements import service
from app.agreements.audit import Evidence
from app.agreements.models import Agreement, AgreementExport, AgreementStatus, ExportStatus
from app.errors import Conflict, Invalid, NotAllowed, NotFound
from app.extensions import db
from tests.querycount import counting_queries

PIP = "performance-improvement"


def test_only_hr_edits_and_only_a_draft(make_agreement: Callable[..., Agreement], hr: User) -> None:
    draft = make_agreement(send=False)
    sent = make_agreement()
    assert service.can_edit(hr, draft) and not service.can_edit(hr, sent)
    assert service.draft_to_edit(hr, draft.id) is draft
    with pytest.raises(Conflict, match="content is frozen"):
        service.draft_to_edit(hr, sent.id)
    assert not service.can_edit(sent.rep, sent)
    with pytest.raises(NotAllowed):
        service.draft_to_edit(sent.rep, sent.id)
    with pytest.raises(NotAllowed):  # a rep never sees a draft, even their own
        service.draft_to_edit(draft.rep, draft.id)


def test_lists_are_for_hr_and_coaches(make_user: Callable[..., User], hr: User) -> None:
    rep, coach = make_user(Role.REP), make_user(Role.COACH)
    assert service.can_list(hr) and service.can_list(coach) and not service.can_list(rep)
    with pytest.raises(NotAllowed):
        service.list_agreements(rep)
    assert service.rep_choices(coach) == [] and rep in service.rep_choices(hr)


@pytest.fixture
def north(make_rep: Callable[..., User], make_team: Callable[..., Team]) -> int:
    """The id of Team North, with two reps."""
    team = make_team("Team North")
    for name in ("Ava Chen", "Ben Okafor"):
        make_rep(name=name).team = team
    db.session.commit()
    return team.id


def test_bulk_sends_only_what_was_previewed(
    north: int, hr: User, values: dict, evidence: Evidence
) -> None:
    team_id = north
    raw = values[PIP]
    first = service.preview_or_send(hr, PIP, team_id, None, raw, evidence)
    assert first.queued is None and first.previews is not None and len(first.previews) == 2
    changed = {**raw, "review_dates": "daily"}
    again = service.preview_or_send(hr, PIP, team_id, None, changed, evidence, first.fingerprint)
    assert again.queued is None and again.fingerprint != first.fingerprint
    assert db.session.query(Agreement).count() == 0
    done = service.preview_or_send(hr, PIP, team_id, None, raw, evidence, first.fingerprint)
    assert done.queued is not None and done.queued.total == 2
    assert db.session.query(Agreement).count() == 0  # sent by the job, once committed
    db.session.commit()
    assert len(service.sent_by(hr, done.queued)) == 2
    with pytest.raises(Invalid, match="Nobody is in this group"):
        service.preview_or_send(hr, PIP, None, "1999-01", raw, evidence)


def test_a_bulk_preview_asks_as_many_queries_for_a_big_team_as_for_a_small_one(
    make_rep: Callable[..., User], make_team: Callable[..., Team], hr: User, values: dict
) -> None:
    teams = {"small": make_team("Team Small"), "big": make_team("Team Big")}
    for key, size in (("small", 2), ("big", 6)):
        for number in range(size):
            make_rep(name=f"{key} rep {number}").team = teams[key]
    db.session.commit()

    def queries(key: str) -> int:
        reps = service.reps_in_group(hr, teams[key].id)
        with counting_queries() as statements:
            previews = service.preview_many(hr, PIP, reps, values[PIP])
        # Every rep's own plan is in their document.
        assert all("Phase 1" in preview.document["body_html"] for preview in previews)
        return len(statements)

    assert queries("small") == queries("big")


def test_a_small_export_is_built_at_once(completed: Agreement, hr: User) -> None:
    export = service.export_selection(hr, service.AgreementFilters(), inline_limit=5)
    assert isinstance(export, service.InlineExport) and export.name.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(export.data))
    assert completed.pdf in {archive.read(name) for name in archive.namelist()}


def test_a_large_export_becomes_a_job_for_the_worker(completed: Agreement, hr: User) -> None:
    job = service.export_selection(hr, service.AgreementFilters(), inline_limit=0)
    assert isinstance(job, AgreementExport) and job.status == ExportStatus.RUNNING
    db.session.rollback()  # the request failed after all: no job (see test_export_jobs.py)
    assert db.session.query(AgreementExport).count() == 0
    with pytest.raises(NotAllowed):
        service.export_selection(completed.rep, service.AgreementFilters(), inline_limit=0)


def test_an_export_is_downloaded_only_when_done(
    completed: Agreement, hr: User, tmp_path: Path
) -> None:
    job = service.start_export(hr, [completed.id])
    with pytest.raises(Conflict, match="not ready"):
        service.finished_export(hr, job.token, tmp_path)
    with pytest.raises(NotAllowed):
        service.finished_export(completed.rep, job.token, tmp_path)


def test_the_public_record_never_shows_a_draft(
    make_agreement: Callable[..., Agreement],
) -> None:
    draft, sent = make_agreement(send=False), make_agreement()
    assert service.published(f" {sent.verification_code.lower()} ") is sent
    assert sent.status == AgreementStatus.SENT
    with pytest.raises(NotFound):
        service.published(draft.verification_code)
    with pytest.raises(NotFound):
        service.published("NOPE-NOPE-NOPE")


def test_an_upload_too_large_to_be_ours_is_refused_unread(completed: Agreement, hr: User) -> None:
    assert completed.pdf is not None
    assert service.verify_upload(hr, io.BytesIO(completed.pdf)).intact
    too_large = io.BytesIO(b"%PDF" + b"0" * service.MAX_UPLOAD_BYTES)
    with pytest.raises(Invalid, match="too large") as refused:
        service.verify_upload(hr, too_large)
    assert refused.value.field == "pdf"
    with pytest.raises(NotAllowed):
        service.verify_upload(completed.rep, io.BytesIO(completed.pdf))
