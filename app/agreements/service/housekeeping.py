"""Forgetting finished background work: export and bulk-send rows once their pages are old news."""

from __future__ import annotations

from datetime import datetime

from app.agreements.models import AgreementExport, BulkSend, BulkSendStatus, ExportStatus
from app.jobs import prune_finished


def prune_finished_jobs(before: datetime) -> int:
    """Delete the exports and bulk sends that finished before ``before``; how many.

    Their agreements stay: a bulk send's link is cleared (ON DELETE SET NULL), and an export's
    ZIP is deleted a day after it was built anyway.
    """
    exports = prune_finished(AgreementExport, (ExportStatus.DONE, ExportStatus.FAILED), before)
    bulk_sends = prune_finished(BulkSend, (BulkSendStatus.DONE, BulkSendStatus.FAILED), before)
    return exports + bulk_sends
