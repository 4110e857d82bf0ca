"""Giving a rep an onboarding plan: the current template's milestones, dated from the start."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Role, User
from app.accounts.service import organisation
from app.curriculum.models import PlanTemplate
from app.curriculum.service import current_plan_template, current_plan_templates
from app.errors import Invalid
from app.extensions import db
from app.once import lock, repeated
from app.plans.models import MeasureKind, Milestone, MilestoneStatus, Plan
from app.plans.schedule import due_date
from app.plans.service.access import require_manage_plans_of
from app.transaction import forget, remembered

RAMP_DAYS = 90


def now() -> datetime:
    """Naive UTC, as the plan's timestamps are stored."""
    return datetime.now(UTC).replace(tzinfo=None)


def assign_plan(
    actor: User, rep: User, template_key: str, start: date, key: str | None = None
) -> Plan:
    """Give ``rep`` the current version of a template; an earlier active plan is archived.

    The same form sent again (``key``) answers with the plan the first one assigned. Two
    different assignments at once for one rep take turns on the rep's row, so the second
    archives the first's plan: a rep has one active plan (``ux_plans_one_active``).
    """
    require_manage_plans_of(actor, rep)
    if not rep.has_role(Role.REP):
        raise Invalid("Plans are for people with the Rep role.")
    template = current_plan_template(template_key)
    business_days = organisation().business_days
    first = not repeated(key, rep, User.active)
    forget(_active_plan_name(rep.id))  # read again now that the rep's row is ours
    previous = active_plan(rep)
    if not first and previous is not None:
        return previous
    if not first:
        lock(rep, User.active)
    if previous is not None:
        previous.archived_at = now()
    plan = _new_plan(actor, rep, template, start, business_days)
    db.session.add(plan)
    db.session.flush()
    forget(_active_plan_name(rep.id))
    return plan


def _new_plan(
    actor: User, rep: User, template: PlanTemplate, start: date, business_days: bool
) -> Plan:
    """A plan of ``template``'s milestones for ``rep`` from ``start``, not yet added."""
    plan = Plan(
        rep=rep,
        template=template,
        start_date=start,
        business_days=business_days,
        assigned_by=actor,
        assigned_at=now(),
    )
    for position, (phase, spec) in enumerate(_template_milestones(template.content)):
        plan.milestones.append(_milestone_from_spec(spec, phase, position, start, business_days))
    return plan


def assign_first_plans(actor: User, assignments: Sequence[tuple[User, str, date]]) -> list[Plan]:
    """Plans for many reps who have none yet (a cohort import): ``(rep, template key, start)``.

    The templates and the organisation's calendar are read once and every plan is written in
    one flush, so a cohort of hundreds asks a fixed number of lookups.
    """
    templates = {template.template_key: template for template in current_plan_templates()}
    business_days = organisation().business_days
    plans = []
    for rep, template_key, start in assignments:
        require_manage_plans_of(actor, rep)
        if not rep.has_role(Role.REP):
            raise Invalid(f"Plans are for people with the Rep role, not {rep.full_name}.")
        template = templates.get(template_key)
        if template is None:
            raise Invalid(f"There is no plan template {template_key!r}.")
        plans.append(_new_plan(actor, rep, template, start, business_days))
    db.session.add_all(plans)
    db.session.flush()
    for rep, _key, _start in assignments:
        forget(_active_plan_name(rep.id))
    return plans


def _template_milestones(content: dict[str, Any]) -> Iterable[tuple[int, dict[str, Any]]]:
    for number, phase in enumerate(content["phases"], start=1):
        for spec in phase["milestones"]:
            yield number, spec


def _milestone_from_spec(
    spec: dict[str, Any], phase: int, position: int, start: date, business_days: bool
) -> Milestone:
    measure = spec["measure"]
    resource = spec.get("resource") or {}
    return Milestone(
        key=spec["key"],
        phase=phase,
        position=position,
        title=spec["title"],
        action=spec["action"],
        measure_kind=MeasureKind(measure["kind"]),
        measure_description=measure.get("description") or "",
        target=measure.get("target"),
        unit=measure.get("unit") or "",
        meeting_with=measure.get("with") or "",
        certification_stage=measure.get("stage"),
        stage=spec.get("stage"),
        due_day=spec["due_day"],
        due_date=due_date(start, spec["due_day"], business_days),
        requires_verification=bool(spec.get("verify")),
        resource_title=resource.get("title") or "",
        resource_url=resource.get("url") or "",
        status=MilestoneStatus.OPEN,
    )


def active_plan(rep: User) -> Plan | None:
    """The rep's plan (none archived it), with milestones and template; read once per
    transaction, as the parts of a page (ramp, certifications, one-on-one) each ask."""
    return remembered(
        _active_plan_name(rep.id),
        lambda: db.session.scalar(
            select(Plan)
            .where(Plan.rep_id == rep.id, Plan.archived_at.is_(None))
            .options(selectinload(Plan.milestones), joinedload(Plan.template))
        ),
    )


def _active_plan_name(rep_id: int) -> str:
    return f"plans.active_plan.{rep_id}"


def active_plan_role(rep: User) -> str:
    """The role (SDR, AE, ...) of the rep's active plan's template, or "" without a plan: one
    query, for the pages that need the role and not the plan."""
    role = db.session.scalar(
        select(PlanTemplate.role)
        .join(Plan, Plan.template_id == PlanTemplate.id)
        .where(Plan.rep_id == rep.id, Plan.archived_at.is_(None))
    )
    return role or ""


def active_plans_query() -> Select[Plan]:
    """Every rep's active plan, as :func:`active_plan` picks it, in one query that lists or
    pages can narrow and join: the plan not archived, of which a rep has at most one."""
    return select(Plan).where(Plan.archived_at.is_(None))


def active_plans_of(rep_ids: Collection[int]) -> dict[int, Plan]:
    """The active plan of each of many reps, with its template, in one query (by rep id)."""
    if not rep_ids:
        return {}
    query = active_plans_query().where(Plan.rep_id.in_(rep_ids)).options(joinedload(Plan.template))
    return {plan.rep_id: plan for plan in db.session.scalars(query)}


def active_plans_with_milestones_of(rep_ids: Collection[int]) -> dict[int, Plan]:
    """As :func:`active_plans_of`, with each plan's milestones too (one query more, not one
    a rep): for documents that list many reps' milestones."""
    if not rep_ids:
        return {}
    query = (
        active_plans_query()
        .where(Plan.rep_id.in_(rep_ids))
        .options(joinedload(Plan.template), selectinload(Plan.milestones))
    )
    return {plan.rep_id: plan for plan in db.session.scalars(query)}
