"""Agreements services: drafting from the rep's record, sending, signing, sealing, exporting.

Who may do what (enforced here, whatever the pages show; the rules are in ``access``):

* HR and admins draft, edit (drafts only: once sent, the content is frozen), send, send to a
  team or cohort, void, list and export everyone's agreements, and verify an uploaded PDF;
* a rep sees and signs or declines their own agreements once sent, never a draft;
* a coach sees the agreements of the reps they coach, and countersigns those that ask for it;
  HR countersigns after the rep;
* an export belongs to whoever asked for it;
* anyone holding a verification code sees the agreement's status and hashes, not its content.

The package's modules: ``access`` (the rules above), ``finding`` (by id or code, lists, what
waits for whom), ``drafting`` (templates, drafts, sending, voiding), ``record`` (what a document
pulls from the rep's record), ``bulk`` (one template to many reps: preview, then queue exactly
what was previewed), ``bulk_job`` (the job that sends a queued batch, once per rep), ``signing``
(evidence, signatures, declining), ``sealing`` (the job that seals the completed PDF),
``export`` (ZIPs of the stored PDFs), ``export_build`` (inline, or by the job worker: retried,
swept) and ``verification`` (is this PDF intact, and which agreement is it). Every function
takes the acting user where one acts, raises domain errors and flushes; the caller commits (the
jobs commit their own work). Callers use the names re-exported here.
"""

from app.agreements.service.access import (
    can_edit,
    can_list,
    can_manage,
    can_sign,
    can_view,
    pending_role,
    require_edit,
    require_list,
    require_manage,
    require_sign,
    require_view,
)
from app.agreements.service.bulk import (
    BulkPreview,
    BulkRound,
    cohorts,
    find_reps,
    preview_many,
    preview_or_send,
    rep_choices,
    reps_in_group,
)
from app.agreements.service.bulk_job import (
    SEND_JOB,
    get_bulk_send,
    send_bulk,
    sent_by,
    start_bulk_send,
    sweep_interrupted_bulk_sends,
)
from app.agreements.service.drafting import (
    OVERRIDE_REASON,
    create_draft,
    current_template,
    current_templates,
    default_sign_by,
    document_of,
    draft_for_hr,
    draft_to_edit,
    initial_values,
    plan_differences,
    send,
    sign_link,
    spec_of,
    update_draft,
    void,
)
from app.agreements.service.export import (
    MANIFEST_NAME,
    completed_ids,
    export_path,
    file_name,
    finished_export,
    get_export,
    write_directory,
    write_zip,
)
from app.agreements.service.export_build import (
    BUILD_JOB,
    InlineExport,
    build_export,
    export_selection,
    start_export,
    sweep_interrupted_exports,
)
from app.agreements.service.finding import (
    DEFAULT_SORT,
    SORTS,
    AgreementFilters,
    agreements_of,
    find_by_code,
    get_agreement,
    list_agreements,
    waiting_count_statement,
    waiting_for,
    waiting_for_coaches,
    waiting_for_hr,
    waiting_page,
)
from app.agreements.service.housekeeping import prune_finished_jobs
from app.agreements.service.listing import (
    AgreementList,
    ListedAgreement,
    list_page,
    status_counts,
)
from app.agreements.service.sealing import SEAL_JOB, seal_completed, sweep_unsealed
from app.agreements.service.signing import (
    SignatureInput,
    decline,
    has_reached_end,
    needs_password,
    record_opened,
    record_reached_end,
    sealed_pdf_of,
    sign,
)
from app.agreements.service.verification import (
    MAX_UPLOAD_BYTES,
    StoreCheck,
    Verdict,
    published,
    seal_timestamp,
    verify_everything,
    verify_pdf,
    verify_upload,
)

__all__ = [
    "BUILD_JOB",
    "DEFAULT_SORT",
    "MANIFEST_NAME",
    "MAX_UPLOAD_BYTES",
    "OVERRIDE_REASON",
    "SEAL_JOB",
    "SEND_JOB",
    "SORTS",
    "AgreementFilters",
    "AgreementList",
    "BulkPreview",
    "BulkRound",
    "InlineExport",
    "ListedAgreement",
    "SignatureInput",
    "StoreCheck",
    "Verdict",
    "agreements_of",
    "build_export",
    "can_edit",
    "can_list",
    "can_manage",
    "can_sign",
    "can_view",
    "cohorts",
    "completed_ids",
    "create_draft",
    "current_template",
    "current_templates",
    "decline",
    "default_sign_by",
    "document_of",
    "draft_for_hr",
    "draft_to_edit",
    "export_path",
    "export_selection",
    "file_name",
    "find_by_code",
    "find_reps",
    "finished_export",
    "get_agreement",
    "get_bulk_send",
    "get_export",
    "has_reached_end",
    "initial_values",
    "list_agreements",
    "list_page",
    "needs_password",
    "pending_role",
    "plan_differences",
    "preview_many",
    "preview_or_send",
    "prune_finished_jobs",
    "published",
    "record_opened",
    "record_reached_end",
    "rep_choices",
    "reps_in_group",
    "require_edit",
    "require_list",
    "require_manage",
    "require_sign",
    "require_view",
    "seal_completed",
    "seal_timestamp",
    "sealed_pdf_of",
    "send",
    "send_bulk",
    "sent_by",
    "sign",
    "sign_link",
    "spec_of",
    "start_bulk_send",
    "start_export",
    "status_counts",
    "sweep_interrupted_bulk_sends",
    "sweep_interrupted_exports",
    "sweep_unsealed",
    "update_draft",
    "verify_everything",
    "verify_pdf",
    "verify_upload",
    "void",
    "waiting_count_statement",
    "waiting_for",
    "waiting_for_coaches",
    "waiting_for_hr",
    "waiting_page",
    "write_directory",
    "write_zip",
]
