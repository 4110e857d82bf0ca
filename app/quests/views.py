"""Quests pages: a rep's quests and points, a team's quests, and the team's leaderboard."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.accounts.models import Team
from app.pagination import PageRequest
from app.quests import service
from app.quests.forms import LeaderboardForm
from app.quests.leaderboard import Privacy

bp = Blueprint("quests", __name__, url_prefix="/quests")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; services decide what they may see."""


def _today() -> date:
    return accounts.local_today(current_user)


@bp.get("/mine")
def mine() -> str:
    quests = service.my_quests(current_user, _today())
    return render_template("quests/mine.html", mine=quests)


@bp.get("/teams/<int:team_id>")
def team(team_id: int) -> str:
    page_request = PageRequest.from_args(request.args, tuple(service.TEAM_SORTS), "name")
    found = service.team_quests(current_user, service.get_team(team_id), _today(), page_request)
    return render_template("quests/team.html", result=found)


@bp.get("/teams/<int:team_id>/leaderboard")
def leaderboard(team_id: int) -> str:
    team = service.get_team(team_id)
    setting = service.leaderboard_of(team.id)
    form = LeaderboardForm(
        enabled=bool(setting and setting.enabled),
        privacy=(setting.privacy if setting else Privacy.HIDDEN).value,
    )
    return _leaderboard_page(team, form)


@bp.post("/teams/<int:team_id>/leaderboard/settings")
def change_leaderboard(team_id: int) -> Response | tuple[str, int]:
    team = service.get_team(team_id)
    service.require_change_leaderboard(current_user, team)
    form = LeaderboardForm()
    if form.validate_on_submit():
        changed = service.set_leaderboard(
            current_user, team, enabled=form.enabled.data, privacy=Privacy(form.privacy.data)
        )
        flash("Leaderboard saved." if changed else "Nothing changed.", "success")
        return redirect(url_for("quests.leaderboard", team_id=team.id))
    return _leaderboard_page(team, form), 400


def _leaderboard_page(team: Team, form: LeaderboardForm) -> str:
    board = service.leaderboard(current_user, team, PageRequest.from_args(request.args, ()))
    return render_template("quests/leaderboard.html", board=board, form=form)
