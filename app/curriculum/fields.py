"""The building blocks of every curriculum file's model: strict field types and the base classes.

Strict types refuse to coerce (YAML gives native types, so a "5" where a day belongs is a
mistake in the file); ``Frozen`` models refuse unknown keys; ``Versioned`` ones are stored by
the hash of their content, so a changed file becomes a new version.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z][a-z0-9-]*$"

# YAML gives us native types, so anything that is not already the right type is a mistake in
# the file ("5" for a day, "yes" typed as text): strict types refuse to coerce it.
Slug = Annotated[str, StringConstraints(strict=True, pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]
Day = Annotated[int, Field(strict=True, ge=1)]


def whole_number_as_int(value: float) -> float:
    """Keep ``50`` an int so targets read "50 dials per week", not "50.0"."""
    return int(value) if value.is_integer() else value


def check_link(url: str) -> str:
    if not url.startswith(("https://", "http://", "/")) or url.startswith("//"):
        raise ValueError("must be an http(s) URL or a path starting with /")
    return url


class Frozen(BaseModel):
    # serialize_by_alias: dumps use the file's own keys (a meeting's "with", not "with_"),
    # so stored content reads like the YAML it came from.
    model_config = ConfigDict(frozen=True, extra="forbid", serialize_by_alias=True)


# The activity a CRM export or a rep's own log records (``app/metrics`` keeps one row per rep
# per period per origin with a column for each).
ActivityMetric = Literal[
    "dials",
    "conversations",
    "meetings_booked",
    "meetings_held",
    "opportunities",
    "deals_won",
    "revenue",
    "call_minutes",
    "meeting_minutes",
    "selling_minutes",
]
ACTIVITY_METRICS: tuple[str, ...] = ActivityMetric.__args__  # type: ignore[attr-defined]


class Versioned(Frozen):
    """A file stored by content: a changed file becomes a new version in the database."""

    @property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of the content: the template's version in the DB."""
        canonical = json.dumps(
            self.model_dump(mode="json"),
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
