"""The outcomes pages' filters read from their query arguments: the pages and their exports
read them here, so a download holds the rows the page shows."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from app.curriculum.models import PlanTemplate
from app.extensions import db
from app.lookup import parse_id
from app.outcomes.service.gathering import RepFilters
from app.transaction import remembered

SEARCH_LENGTH = 120


def plan_roles() -> list[str]:
    """The roles the current plan templates are for, in order ("AE", "SDR"): read once per
    transaction (the filters and the form both ask)."""
    return remembered("outcomes.plan_roles", _read_plan_roles)


def _read_plan_roles() -> list[str]:
    # The roles alone: the templates' content (every phase and milestone) is not needed.
    current = select(PlanTemplate.role).where(PlanTemplate.is_current.is_(True)).distinct()
    return sorted(db.session.scalars(current))


def filters_from_args(args: Mapping[str, str]) -> RepFilters:
    """Team, role (one the plans have), start cohort and name search, as the page reads them."""
    role = args.get("role") or ""
    return RepFilters(
        team_id=parse_id(args.get("team")),
        role=role if role in plan_roles() else "",
        cohort=(args.get("cohort") or "").strip()[:10],
        search=(args.get("q") or "").strip()[:SEARCH_LENGTH],
    )
