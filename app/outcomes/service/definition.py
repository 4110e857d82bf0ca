"""The current ``outcomes.yaml`` as stored (with its version), and who may see outcomes."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Text, cast, select

from app.accounts.models import Role, User
from app.curriculum.models import OutcomesTemplate
from app.curriculum.schema_numbers import OutcomesDefinition
from app.errors import NotAllowed
from app.extensions import db
from app.outcomes.ramp import RampedRule
from app.transaction import remembered


@dataclass(frozen=True)
class Definition:
    """The validated content and the stored version a score names."""

    spec: OutcomesDefinition
    version: int

    @property
    def target_metrics(self) -> tuple[str, ...]:
        return tuple(targets.metric for targets in self.spec.targets)

    @property
    def rule(self) -> RampedRule:
        return RampedRule(self.spec.ramped.share, self.spec.ramped.months_running)


def current_definition() -> Definition | None:
    """The current version, read once per transaction; None before ``outcomes.yaml`` is loaded."""
    return remembered("outcomes.definition", _read_definition)


# Validated contents by their hash: validating the file on every page cost more than reading
# it. The specs are frozen, so one is shared by every request that reads the same content.
_VALIDATED: dict[str, OutcomesDefinition] = {}


def _read_definition() -> Definition | None:
    # The content as stored text (a real CAST: psycopg would otherwise decode the JSON on
    # every read, 1.4 ms at PostgreSQL), decoded and validated only the first time it is seen.
    content = cast(OutcomesTemplate.content, Text)
    row = db.session.execute(
        select(OutcomesTemplate.version, OutcomesTemplate.content_hash, content)
        .where(OutcomesTemplate.is_current.is_(True))
        .order_by(OutcomesTemplate.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    version, content_hash, stored = row
    spec = _VALIDATED.get(content_hash)
    if spec is None:
        spec = OutcomesDefinition.model_validate(json.loads(stored))
        if len(_VALIDATED) >= 16:
            _VALIDATED.clear()
        _VALIDATED[content_hash] = spec
    return Definition(spec, version)


def can_see_outcomes(actor: User) -> bool:
    """The outcomes page: coaches (their reps), HR and admins (everyone)."""
    return actor.is_active and (actor.sees_everyone or actor.has_role(Role.COACH))


def require_see_outcomes(actor: User) -> None:
    if not can_see_outcomes(actor):
        raise NotAllowed("Only coaches, HR and admins see ramp outcomes.")
