"""Reading the curriculum: the plan templates a coach can assign."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from app.curriculum import service

bp = Blueprint("curriculum", __name__, url_prefix="/curriculum")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Everyone signed in may read the curriculum: expectations are transparent."""


@bp.get("/")
def index() -> str:
    return render_template(
        "curriculum/index.html", templates=service.current_plan_templates(), stages=service.stages()
    )


@bp.get("/plans/<key>")
def plan_template(key: str) -> str:
    template = service.current_plan_template(key)
    return render_template(
        "curriculum/plan_template.html", template=template, stage_names=service.stage_names()
    )
