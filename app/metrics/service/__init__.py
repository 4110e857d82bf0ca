"""Activity figures: importing CRM exports, the rep's own log, and reading them back.

Modules: ``access`` (HR and admins import; a rep logs and sees their own figures; their
coach, HR and admins see them), ``sources`` (CRM sources and their remembered column
mappings), ``checking`` (every row checked, each bad one named), ``importing`` (all or nothing,
a file's periods replacing what its source said), ``uploads`` (preview, the import job, the
command line's import), ``selflog`` (the rep's day), ``reading`` (a rep's weeks) and
``targets`` (number milestones judged from the figures).
"""

from app.metrics.service.access import (
    can_import,
    can_log,
    can_view_figures,
    require_import,
    require_log,
    require_view_figures,
)
from app.metrics.service.checking import Checked, CheckedRow, check_rows
from app.metrics.service.importing import Changes, RowsRefused, import_rows
from app.metrics.service.reading import (
    Week,
    metrics_reported,
    monday_of,
    weekly_totals,
    weeks_of,
)
from app.metrics.service.selflog import LOG_DAYS_BACK, LOGGED, log_day, loggable_days, logged_day
from app.metrics.service.sources import (
    MappingChoice,
    ensure_source,
    get_source,
    list_sources,
    proposed_mapping,
    save_mapping,
    source_named,
)
from app.metrics.service.targets import MilestoneActuals, measured_milestones
from app.metrics.service.uploads import (
    IMPORT_JOB,
    Preview,
    get_import,
    headers_of,
    import_file,
    preview,
    recent_imports,
    run_import,
    start_import,
    sweep_interrupted_imports,
    upload,
)

__all__ = [
    "IMPORT_JOB",
    "LOGGED",
    "LOG_DAYS_BACK",
    "Changes",
    "Checked",
    "CheckedRow",
    "MappingChoice",
    "MilestoneActuals",
    "Preview",
    "RowsRefused",
    "Week",
    "can_import",
    "can_log",
    "can_view_figures",
    "check_rows",
    "ensure_source",
    "get_import",
    "get_source",
    "headers_of",
    "import_file",
    "import_rows",
    "list_sources",
    "log_day",
    "loggable_days",
    "logged_day",
    "measured_milestones",
    "metrics_reported",
    "monday_of",
    "preview",
    "proposed_mapping",
    "recent_imports",
    "require_import",
    "require_log",
    "require_view_figures",
    "run_import",
    "save_mapping",
    "source_named",
    "start_import",
    "sweep_interrupted_imports",
    "upload",
    "weekly_totals",
    "weeks_of",
]
