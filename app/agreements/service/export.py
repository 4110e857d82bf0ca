"""Exporting agreements: the stored sealed PDFs plus a CSV manifest, as a ZIP or a directory.

Exports copy the stored bytes (never a re-render), so every exported PDF's SHA-256 is the one
in the manifest and in the audit trail. A large selection is built by the job worker
(``export_build``), which records its progress on an ``AgreementExport`` row that the progress
page polls. This module writes the ZIPs and finds an export for its owner.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from app.accounts.models import User
from app.agreements.models import Agreement, AgreementExport, AgreementStatus, ExportStatus
from app.agreements.service.access import require_manage
from app.agreements.service.finding import AgreementFilters, agreements_query
from app.csvfile import SpreadsheetWriter
from app.errors import Conflict, NotAllowed, NotFound
from app.extensions import db

MANIFEST_NAME = "manifest.csv"
MANIFEST_FIELDS = (
    "file",
    "agreement_id",
    "verification_code",
    "rep",
    "rep_email",
    "kind",
    "title",
    "status",
    "sent_at",
    "rep_signed_at",
    "completed_at",
    "closed_at",
    "pdf_sha256",
    "content_sha256",
)
CHUNK = 50
Progress = Callable[[int], None]


def selection(actor: User, filters: AgreementFilters) -> list[int]:
    """The ids of the agreements the actor may export that match the filters."""
    require_manage(actor)
    query = agreements_query(actor, filters).with_only_columns(Agreement.id)
    return list(db.session.scalars(query))


def completed_ids() -> list[int]:
    return list(
        db.session.scalars(
            select(Agreement.id)
            .where(Agreement.status == AgreementStatus.COMPLETED)
            .order_by(Agreement.id)
        )
    )


def file_name(agreement: Agreement) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", agreement.rep.full_name.lower()).strip("-") or "rep"
    return f"{agreement.id:05d}-{slug}-{agreement.kind.value}.pdf"


def _stamp(moment: datetime | None) -> str:
    return moment.isoformat(sep=" ") + "Z" if moment else ""


def manifest_row(agreement: Agreement, stored_file: str) -> dict[str, Any]:
    return {
        "file": stored_file,
        "agreement_id": agreement.id,
        "verification_code": agreement.verification_code,
        "rep": agreement.rep.full_name,
        "rep_email": agreement.rep.email,
        "kind": agreement.kind.value,
        "title": agreement.title,
        "status": agreement.status.value,
        "sent_at": _stamp(agreement.sent_at),
        "rep_signed_at": _stamp(agreement.rep_signed_at),
        "completed_at": _stamp(agreement.completed_at),
        "closed_at": _stamp(agreement.closed_at),
        "pdf_sha256": agreement.pdf_sha256 or "",
        "content_sha256": agreement.content_hash or "",
    }


def _in_chunks(ids: Sequence[int]) -> Iterator[Agreement]:
    """Agreements with their PDFs, a chunk at a time, so memory stays flat for big exports."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = db.session.scalars(
            select(Agreement)
            .where(Agreement.id.in_(chunk))
            .options(undefer(Agreement.pdf), selectinload(Agreement.rep))
        )
        by_id = {row.id: row for row in rows}
        for agreement_id in chunk:
            if agreement_id in by_id:
                yield by_id[agreement_id]
        for row in by_id.values():  # let the PDFs of this chunk go
            db.session.expunge(row)


def _write(
    ids: Sequence[int],
    put_file: Callable[[str, bytes], None],
    on_progress: Progress | None = None,
) -> bytes:
    """Hand each stored PDF to ``put_file``; returns the manifest's CSV bytes."""
    manifest = io.StringIO()
    writer = SpreadsheetWriter(manifest, MANIFEST_FIELDS)
    writer.writeheader()
    for count, agreement in enumerate(_in_chunks(ids), start=1):
        stored = ""
        if agreement.pdf is not None:
            stored = file_name(agreement)
            put_file(stored, agreement.pdf)
        writer.writerow(manifest_row(agreement, stored))
        if on_progress and (count % 10 == 0 or count == len(ids)):
            on_progress(count)
    return manifest.getvalue().encode("utf-8")


def write_zip(ids: Sequence[int], target: IO[bytes], on_progress: Progress | None = None) -> None:
    """A ZIP of the stored PDFs (stored as they are: PDFs are compressed already) + manifest."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:

        def put(name: str, data: bytes) -> None:
            archive.writestr(name, data)

        manifest = _write(ids, put, on_progress)
        archive.writestr(MANIFEST_NAME, manifest, compress_type=zipfile.ZIP_DEFLATED)


def write_directory(ids: Sequence[int], directory: Path) -> int:
    """Each stored PDF as a file in ``directory`` plus the manifest; returns the PDFs written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = 0

    def put(name: str, data: bytes) -> None:
        nonlocal written
        (directory / name).write_bytes(data)
        written += 1

    (directory / MANIFEST_NAME).write_bytes(_write(ids, put))
    return written


def get_export(actor: User, token: str) -> AgreementExport:
    job = db.session.scalar(
        select(AgreementExport)
        .where(AgreementExport.token == token)
        .execution_options(populate_existing=True)  # progress is written by another thread
    )
    if job is None:
        raise NotFound("There is no such export.")
    if job.requested_by_id != actor.id:
        raise NotAllowed("This export was requested by someone else.")
    return job


def export_path(directory: Path, job: AgreementExport) -> Path:
    return directory / f"agreements-{job.token}.zip"


def finished_export(actor: User, token: str, directory: Path) -> Path:
    """The ZIP of the actor's finished export; a conflict while it is still being built."""
    job = get_export(actor, token)
    if job.status != ExportStatus.DONE:
        raise Conflict("This export is not ready yet.")
    return export_path(directory, job)
