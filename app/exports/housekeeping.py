"""Forgetting finished table exports: the row and its file go once the download has expired.

A finished export (written or failed) can be downloaded for ``EXPORT_EXPIRY_DAYS`` after it
finished (``SALESRAMP_EXPORT_EXPIRY_DAYS``, 7 by default); ``app.prune`` then deletes its row
and, once that is committed, its file, so a rolled-back prune never leaves a row without one.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select

from app.exports.models import TableExport, TableExportStatus
from app.extensions import db
from app.transaction import after_commit

FINISHED = (TableExportStatus.DONE, TableExportStatus.FAILED)


def prune_expired_exports(before: datetime) -> int:
    """Delete the table exports that finished before ``before`` and their files; how many."""
    expired = TableExport.status.in_(FINISHED) & (TableExport.finished_at < before)
    files = [name for name in db.session.scalars(select(TableExport.file_name).where(expired))]
    deleted = db.session.execute(delete(TableExport).where(expired))
    directory = Path(current_app.config["EXPORT_DIR"])

    def remove_files() -> None:
        for name in files:
            if name:  # a failed export wrote none
                (directory / Path(name).name).unlink(missing_ok=True)

    after_commit(remove_files)
    return int(deleted.rowcount)  # type: ignore[attr-defined]
