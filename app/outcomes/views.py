"""Ramp outcomes: the outcomes page for coaches, HR and admins, and each rep's own numbers."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from app.accounts import service as accounts
from app.accounts.models import User
from app.generation import kept
from app.metrics.catalogue import METRICS
from app.metrics.service import require_log
from app.outcomes import (
    downloads,  # noqa: F401 (importing it registers the outcomes exports)
    service,
)
from app.outcomes.charts import curve_chart, curve_legend
from app.outcomes.cohorts import CURVE_DAYS
from app.outcomes.drivers_chart import drivers_chart, drivers_legend
from app.outcomes.forms import MetricForm, OutcomeFilterForm
from app.outcomes.service.arguments import filters_from_args, plan_roles
from app.outcomes.service.drivers import DRIVER_SORT_KEYS, DRIVER_SORTS, plan_drivers
from app.pagination import PageRequest, paginate_rows

bp = Blueprint("outcomes", __name__, url_prefix="/outcomes")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; services decide what they may see."""


def _today() -> date:
    return accounts.local_today(current_user)


@bp.get("/")
def index() -> str:
    service.require_see_outcomes(current_user)
    form, filters = _filter_form()
    by = "quarter" if form.by.data == "quarter" else "month"
    page_request = PageRequest.from_args(request.args, service.OUTCOME_SORTS, "name")
    today = _today()
    result = kept(
        "outcomes.index",
        (current_user.id, filters, page_request, today, by),
        lambda: service.outcomes_page(current_user, filters, page_request, today, by),
    )
    form.cohort.choices = [("", "All cohorts"), *((c, c) for c in result.cohorts)]
    return render_template(
        "outcomes/index.html",
        form=form,
        result=result,
        page=result.page,
        chart=curve_chart(result.curves),
        legend=curve_legend(result.curves),
        curve_days=CURVE_DAYS,
        by=by,
    )


def _filter_form() -> tuple[OutcomeFilterForm, service.RepFilters]:
    """The filters of the outcomes pages, offering the actor's teams and the plans' roles."""
    form = OutcomeFilterForm(request.args)
    form.team.choices = [
        ("", "All teams"),
        *((str(t.id), t.name) for t in accounts.teams_for(current_user)),
    ]
    form.role.choices = [("", "All roles"), *((role, role) for role in plan_roles())]
    return form, filters_from_args(request.args)


@bp.get("/drivers")
def drivers() -> str:
    service.require_see_outcomes(current_user)
    form, filters = _filter_form()
    today = _today()
    found = kept(
        "outcomes.drivers",
        (current_user.id, filters, today),
        lambda: plan_drivers(current_user, filters, today),
    )
    form.cohort.choices = [("", "All cohorts"), *((c, c) for c in found.cohorts)]
    page_request = PageRequest.from_args(request.args, DRIVER_SORTS, "part")
    return render_template(
        "outcomes/drivers.html",
        form=form,
        found=found,
        page=paginate_rows(found.comparisons, page_request, DRIVER_SORT_KEYS),
        chart=drivers_chart(found.comparisons),
        legend=drivers_legend(),
    )


@bp.get("/mine")
def mine() -> str:
    require_log(current_user)  # a rep's own numbers: reps only
    return _numbers_page(current_user)


@bp.get("/reps/<int:rep_id>")
def rep_numbers(rep_id: int) -> str:
    return _numbers_page(accounts.get_user(rep_id))


def _numbers_page(rep: User) -> str:
    form = MetricForm(request.args)
    form.metric.choices = [(metric.key, metric.label) for metric in METRICS]
    numbers = service.rep_numbers(current_user, rep, _today(), form.metric.data or "")
    form.metric.data = numbers.metric.key
    return render_template(
        "outcomes/rep.html",
        numbers=numbers,
        form=form,
        own=rep.id == current_user.id,
        min_peers=service.MIN_PEERS,
    )
