"""Announcing quests reached: each rep's personal quests and each team's, once per window.

Run by the worker every hour (``app/quests/jobs.py``) and by ``flask quests check``; a quest
reached is recorded with a unique key (quest, window, rep or team), so a second run, or two at
once, announces it only once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts.models import Role, User
from app.extensions import db
from app.notifications.service import notify
from app.quests.models import QuestCompletion
from app.quests.service.definitions import QuestAt, quests_on
from app.quests.service.standing import Standing, members_of, standing_of

MY_QUESTS = "/quests/mine"


def record_completions(today: date) -> int:
    """Record and announce every quest reached in its current window; how many were new."""
    quests = quests_on(today)
    if not quests:
        return 0
    everyone = members_of(None)
    standing = standing_of(everyone, quests)
    team_of = dict(db.session.execute(everyone.with_only_columns(User.id, User.team_id)).all())
    known = _recorded(quests)
    new = 0
    for quest in quests:
        if quest.spec.scope == "personal":
            new += _personal(quest, standing, known)
        else:
            new += _teams(quest, standing, team_of, known)
    db.session.flush()
    return new


def _recorded(quests: list[QuestAt]) -> set[tuple[str, date, str]]:
    rows = db.session.execute(
        select(
            QuestCompletion.quest_key, QuestCompletion.window_start, QuestCompletion.subject
        ).where(QuestCompletion.quest_key.in_([quest.key for quest in quests]))
    )
    return {(key, start, subject) for key, start, subject in rows}


def _personal(quest: QuestAt, standing: Standing, known: set[tuple[str, date, str]]) -> int:
    new = 0
    for rep in standing.reps:
        progress = standing.progress(rep, quest)
        if progress is None or not progress.done:
            continue
        if _record(quest, f"rep:{rep.rep_id}", known, rep_id=rep.rep_id):
            person = db.session.get(User, rep.rep_id)
            if person is not None:
                notify(person, "quest", f"Quest done: {quest.spec.title}. Well done!", MY_QUESTS)
            new += 1
    return new


def _teams(
    quest: QuestAt,
    standing: Standing,
    team_of: dict[int, int | None],
    known: set[tuple[str, date, str]],
) -> int:
    by_team: dict[int, list[int]] = defaultdict(list)
    for rep in standing.reps:
        team_id = team_of.get(rep.rep_id)
        if team_id is not None:
            by_team[team_id].append(rep.rep_id)
    new = 0
    for team_id, rep_ids in by_team.items():
        team = Standing([r for r in standing.reps if r.rep_id in rep_ids], standing.counts)
        if not team.team(quest).done:
            continue
        if _record(quest, f"team:{team_id}", known, team_id=team_id):
            message = f"Team quest done: {quest.spec.title}. Well done, everyone!"
            for person in _team_people(team_id):
                link = MY_QUESTS if person.has_role(Role.REP) else f"/quests/teams/{team_id}"
                notify(person, "quest", message, link)
            new += 1
    return new


def _team_people(team_id: int) -> list[User]:
    """The team's active reps and their coaches."""
    reps = list(
        db.session.scalars(select(User).where(User.team_id == team_id, User.active.is_(True)))
    )
    coach_ids = {rep.coach_id for rep in reps if rep.coach_id}
    coaches = db.session.scalars(select(User).where(User.id.in_(coach_ids), User.active.is_(True)))
    return [*reps, *(coach for coach in coaches if coach not in reps)]


def _record(
    quest: QuestAt,
    subject: str,
    known: set[tuple[str, date, str]],
    *,
    rep_id: int | None = None,
    team_id: int | None = None,
) -> bool:
    """Record the completion; False when it was recorded before (by this run or another)."""
    key = (quest.key, quest.window.start, subject)
    if key in known:
        return False
    known.add(key)
    values = {
        "quest_key": quest.key,
        "quest_version": quest.version,
        "window_start": quest.window.start,
        "subject": subject,
        "rep_id": rep_id,
        "team_id": team_id,
        "completed_at": datetime.now(UTC).replace(tzinfo=None),
    }
    # ON CONFLICT DO NOTHING rather than a savepoint: another run that recorded it meanwhile
    # makes this one a no-op, and the transaction (with its after-commit work) stays whole.
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = QuestCompletion.__table__
    claim = dialect.insert(table).values(values).on_conflict_do_nothing().returning(table.c.id)
    return db.session.execute(claim).first() is not None
