"""What the quests pages show: a rep's own quests and points, a team's quests, the leaderboard."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.accounts.models import Role, Team, User
from app.errors import NotAllowed
from app.extensions import db
from app.lookup import get_or_not_found
from app.pagination import Page, PageRequest, paginate_rows
from app.quests.leaderboard import Entry, Privacy, Row, visible_rows
from app.quests.points import Points, points_of
from app.quests.progress import Progress, TeamProgress
from app.quests.service.access import (
    can_change_leaderboard,
    require_see_leaderboard,
    require_see_team_quests,
)
from app.quests.service.definitions import QuestAt, points_rules, quests_on
from app.quests.service.settings import leaderboard_of
from app.quests.service.standing import RepStanding, members_of, standing_of


@dataclass(frozen=True)
class QuestLine:
    """A quest as one viewer sees it: their own progress and, for a team quest, the team's."""

    quest: QuestAt
    mine: Progress | None
    team: TeamProgress | None
    days_left: int


@dataclass(frozen=True)
class MyQuests:
    personal: list[QuestLine]
    team_quests: list[QuestLine]
    points: Points | None
    team: Team | None
    leaderboard_on: bool


def get_team(team_id: int) -> Team:
    return get_or_not_found(Team, team_id, "No such team.")


def my_quests(actor: User, today: date) -> MyQuests:
    """A rep's quests (theirs, and their team's without anyone's name) and their points."""
    if not actor.has_role(Role.REP):
        raise NotAllowed("Quests and points are a rep's own.")
    quests = quests_on(today)
    standing = standing_of(members_of(actor.team_id, actor), quests)
    me = next((rep for rep in standing.reps if rep.rep_id == actor.id), None)
    lines: dict[str, list[QuestLine]] = {"personal": [], "team": []}
    for quest in quests:
        is_team = quest.spec.scope == "team"
        mine = standing.progress(me, quest) if me else None
        if mine is None or (is_team and actor.team is None):
            continue  # a quest for another role, or a team quest without a team
        team = standing.team(quest) if is_team else None
        lines[quest.spec.scope].append(QuestLine(quest, mine, team, quest.window.days_left(today)))
    rules = points_rules()
    board = leaderboard_of(actor.team_id) if actor.team_id else None
    return MyQuests(
        personal=lines["personal"],
        team_quests=lines["team"],
        points=points_of(me.engagement, rules) if me and rules else None,
        team=actor.team,
        leaderboard_on=bool(board and board.enabled),
    )


@dataclass(frozen=True)
class RepQuests:
    """A rep on the team's quests page: their points and their progress in each quest."""

    rep: RepStanding
    points: int | None
    progress: list[Progress | None]  # in the page's quest order


@dataclass(frozen=True)
class TeamQuests:
    team: Team
    quests: list[QuestLine]  # ``team``: a team quest's progress, or how many reps reached it
    reps: Page[RepQuests]  # only the reps the viewer coaches (HR and admins: all)
    leaderboard_on: bool
    can_change: bool


# The rep-by-rep table's sortable columns.
TEAM_SORTS: dict[str, Callable[[RepQuests], Any]] = {
    "name": lambda row: row.rep.name.casefold(),
    "points": lambda row: row.points or 0,
}


def team_quests(actor: User, team: Team, today: date, request: PageRequest) -> TeamQuests:
    """The quests of a team for its coaches, HR and admins: the whole team's progress, and
    rep by rep for the reps the viewer may see (a coach their own)."""
    require_see_team_quests(actor, team)
    quests = quests_on(today)
    standing = standing_of(members_of(team.id), quests)
    lines = [
        QuestLine(quest, None, standing.team(quest), quest.window.days_left(today))
        for quest in quests
    ]
    known = _names_known(actor, team)
    rules = points_rules()
    reps = [
        RepQuests(
            rep,
            points_of(rep.engagement, rules).total if rules else None,
            [standing.progress(rep, quest) for quest in quests],
        )
        for rep in standing.reps
        if known is None or rep.rep_id in known
    ]
    board = leaderboard_of(team.id)
    return TeamQuests(
        team,
        lines,
        paginate_rows(reps, request, TEAM_SORTS),
        bool(board and board.enabled),
        can_change_leaderboard(actor, team),
    )


@dataclass(frozen=True)
class Board:
    team: Team
    enabled: bool
    privacy: Privacy
    rows: Page[Row]  # in the board's order
    can_change: bool
    has_points: bool


def leaderboard(actor: User, team: Team, request: PageRequest) -> Board:
    """The team's leaderboard as ``actor`` may see it; empty while it is off."""
    require_see_leaderboard(actor, team)
    setting = leaderboard_of(team.id)
    enabled = bool(setting and setting.enabled)
    privacy = setting.privacy if setting else Privacy.HIDDEN
    rules = points_rules()
    rows: list[Row] = []
    if enabled and rules is not None:
        standing = standing_of(members_of(team.id), ())
        entries = [
            Entry(rep.rep_id, rep.name, points_of(rep.engagement, rules).total)
            for rep in standing.reps
        ]
        rows = visible_rows(entries, actor.id, privacy, _names_known(actor, team))
    return Board(
        team,
        enabled,
        privacy,
        paginate_rows(rows, request, {}),
        can_change_leaderboard(actor, team),
        rules is not None,
    )


def _names_known(actor: User, team: Team) -> frozenset[int] | None:
    """Whose names ``actor`` sees anyway: everyone's for HR and admins (None), a coach's own
    reps, nobody else's for a rep."""
    if actor.sees_everyone:
        return None
    if not actor.has_role(Role.COACH):
        return frozenset()
    coached = select(User.id).where(User.team_id == team.id, User.coach_id == actor.id)
    return frozenset(db.session.scalars(coached))
