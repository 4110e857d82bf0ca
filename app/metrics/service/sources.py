"""CRM sources and their column mappings, remembered once per source."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from app.accounts.models import User
from app.errors import Invalid, NotFound
from app.extensions import db
from app.metrics.catalogue import BY_KEY, DATE_FORMATS, Period, RepMatch, preset_for
from app.metrics.models import ActivitySource
from app.metrics.parsing import ColumnMap
from app.metrics.service.access import require_import


@dataclass(frozen=True)
class MappingChoice:
    """A mapping as a form proposes or saves it."""

    rep_match: RepMatch
    rep_column: str
    date_column: str
    period: Period
    date_format: str
    columns: Mapping[str, str]  # metric key -> header; metrics the file lacks are left out


def list_sources(actor: User) -> list[ActivitySource]:
    require_import(actor)
    return list(db.session.scalars(select(ActivitySource).order_by(ActivitySource.name)))


def source_named(name: str) -> ActivitySource | None:
    """A source by name, whatever its case ("hubspot" finds "HubSpot")."""
    return db.session.scalar(
        select(ActivitySource).where(func.lower(ActivitySource.name) == name.strip().lower())
    )


def get_source(actor: User, source_id: int) -> ActivitySource:
    require_import(actor)
    source = db.session.get(ActivitySource, source_id)
    if source is None:
        raise NotFound("There is no such source.")
    return source


def ensure_source(actor: User | None, name: str) -> ActivitySource:
    """The source called ``name``, made (unmapped) if new. ``actor`` None: the command line."""
    if actor is not None:
        require_import(actor)
    clean = " ".join(name.split())
    if not clean or len(clean) > 60:
        raise Invalid("Name the source in 1 to 60 characters, e.g. HubSpot.", field="source")
    source = source_named(clean)
    if source is None:
        source = ActivitySource(
            name=clean,
            rep_match=RepMatch.EMAIL,
            rep_column="",
            date_column="",
            period=Period.DAY,
            date_format="%Y-%m-%d",
            columns={},
            updated_by_id=actor.id if actor else None,
            updated_at=_now(),
        )
        db.session.add(source)
        db.session.flush()
    return source


def proposed_mapping(source: ActivitySource, headers: list[str]) -> MappingChoice:
    """The saved mapping where the file still has its columns, else what the CRM's own column
    names suggest (HubSpot, Salesforce), else the headers that name a metric's label."""
    preset = preset_for(headers)
    if source.mapped:
        columns = {m: h for m, h in source.columns.items() if h in headers}
        return MappingChoice(
            source.rep_match,
            source.rep_column if source.rep_column in headers else "",
            source.date_column if source.date_column in headers else "",
            source.period,
            source.date_format,
            columns,
        )
    if preset is not None:
        columns = {m: h for m, h in preset.columns.items() if h in headers}
        return MappingChoice(
            preset.rep_match,
            preset.rep_column,
            preset.date_column,
            preset.period,
            preset.date_format,
            columns,
        )
    by_label = {h.strip().lower(): h for h in headers}
    columns = {
        key: by_label[name]
        for key, metric in BY_KEY.items()
        for name in (metric.label.lower(), key.replace("_", " "))
        if name in by_label
    }
    return MappingChoice(RepMatch.EMAIL, "", "", Period.DAY, "%Y-%m-%d", columns)


def save_mapping(actor: User | None, source: ActivitySource, choice: MappingChoice) -> None:
    """Remember how this source's files map to metrics, for every later import."""
    if actor is not None:
        require_import(actor)
    if not choice.rep_column:
        raise Invalid("Choose the column that names the rep.", field="rep_column")
    if not choice.date_column:
        raise Invalid("Choose the column with the date or week.", field="date_column")
    if choice.rep_column == choice.date_column:
        raise Invalid("The rep and the date cannot be the same column.", field="date_column")
    if not choice.columns:
        raise Invalid("Map at least one column to a metric.", field="columns")
    if choice.date_format not in DATE_FORMATS:
        raise Invalid("Choose one of the date formats offered.", field="date_format")
    unknown = set(choice.columns) - set(BY_KEY)
    if unknown:
        raise Invalid(f"Unknown metrics: {', '.join(sorted(unknown))}.", field="columns")
    source.rep_match = choice.rep_match
    source.rep_column = choice.rep_column
    source.date_column = choice.date_column
    source.period = choice.period
    source.date_format = choice.date_format
    source.columns = dict(choice.columns)
    source.updated_by_id = actor.id if actor else None
    source.updated_at = _now()
    db.session.flush()


def column_map(source: ActivitySource) -> ColumnMap:
    return ColumnMap(source.rep_column, source.date_column, dict(source.columns))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
