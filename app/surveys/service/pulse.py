"""Pulse surveys: asking new hires at day 30, 60 and 90, storing answers, showing results.

* A checkpoint opens on that day of the rep's plan (day 1 is the start date) and stays open
  for ``WINDOW_DAYS``; the rep is asked once (a notification, and an email if their settings
  say so) by :func:`ask_due_pulses`, which the daily job runs.
* Answers are stored without the rep (see ``app.surveys.models``).
* HR and admins see results only for groups of at least ``MIN_GROUP`` respondents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import Role, Team, User
from app.errors import Invalid, NotAllowed, NotFound
from app.extensions import db
from app.notifications.service import notify
from app.once import repeated
from app.plans.models import Plan
from app.plans.service import active_plan
from app.surveys.models import PulseAnswer, PulseRequest, PulseResponse
from app.surveys.questions import PulseSurvey, pulse_survey
from app.surveys.service.disclosure import Cell, Group, shown_groups
from app.surveys.service.groups import MIN_GROUP

WINDOW_DAYS = 30
NOTIFICATION_KIND = "pulse-survey"


def plan_day(plan: Plan, today: date) -> int:
    """The day of the plan ``today`` is: 1 on the start date."""
    return (today - plan.start_date).days + 1


def open_checkpoints(checkpoints: tuple[int, ...], day: int) -> list[int]:
    """The checkpoints open on ``day``: reached, and reached less than ``WINDOW_DAYS`` ago."""
    return [c for c in checkpoints if c <= day < c + WINDOW_DAYS]


def pulse_link(checkpoint: int) -> str:
    return f"/surveys/pulse/{checkpoint}"


def _answered(plan: Plan) -> set[int]:
    query = select(PulseRequest.checkpoint).where(
        PulseRequest.plan_id == plan.id, PulseRequest.answered_on.is_not(None)
    )
    return set(db.session.scalars(query))


def due_pulses(rep: User, today: date) -> list[int]:
    """The checkpoints ``rep`` may answer now: open on their active plan and not answered."""
    plan = active_plan(rep) if rep.has_role(Role.REP) else None
    if plan is None:
        return []
    done = _answered(plan)
    checkpoints = pulse_survey().checkpoints
    return [c for c in open_checkpoints(checkpoints, plan_day(plan, today)) if c not in done]


def answer_pulse(
    rep: User, checkpoint: int, ratings: Mapping[str, int], today: date, key: str | None = None
) -> None:
    """Store ``rep``'s answers at ``checkpoint``, once; the stored answers do not name them."""
    plan = active_plan(rep) if rep.has_role(Role.REP) else None
    if plan is None:
        raise NotFound("Only a new hire with a plan answers the pulse survey.")
    if repeated(key, plan, Plan.id):
        return
    if checkpoint not in due_pulses(rep, today):  # as for a page that is not there for them
        raise NotFound(f"No day-{checkpoint} survey is open for you (or you answered it).")
    survey = pulse_survey()
    _check_ratings(survey, ratings)
    request = db.session.scalar(
        select(PulseRequest).where(
            PulseRequest.plan_id == plan.id, PulseRequest.checkpoint == checkpoint
        )
    ) or PulseRequest(rep_id=rep.id, plan_id=plan.id, checkpoint=checkpoint)
    request.answered_on = today
    db.session.add(request)
    response = PulseResponse(
        survey_id=survey.id, survey_version=survey.version, checkpoint=checkpoint,
        team_id=rep.team_id, role=plan.template.role, cohort=f"{plan.start_date:%Y-%m}",
        answers=[PulseAnswer(question_key=q.key, rating=ratings[q.key]) for q in survey.questions],
    )  # fmt: skip
    db.session.add(response)
    db.session.flush()


def _check_ratings(survey: PulseSurvey, ratings: Mapping[str, int]) -> None:
    for question in survey.questions:
        if ratings.get(question.key) not in survey.values:
            raise Invalid("Choose one answer for each statement.", field=question.key)


def ask_due_pulses(today: date) -> int:
    """Ask every rep with a newly open checkpoint (once per checkpoint); how many were asked.

    A fixed number of queries whatever the number of reps, plus one insert per rep asked.
    """
    survey = pulse_survey()
    plans = db.session.scalars(
        select(Plan)
        .join(User, User.id == Plan.rep_id)
        .where(Plan.archived_at.is_(None), User.active.is_(True), Plan.start_date <= today)
        .options(joinedload(Plan.rep))
    ).all()
    asked = {
        (plan_id, checkpoint)
        for plan_id, checkpoint in db.session.execute(
            select(PulseRequest.plan_id, PulseRequest.checkpoint)
        )
    }
    count = 0
    now = datetime.now(UTC).replace(tzinfo=None)
    for plan in plans:
        for checkpoint in open_checkpoints(survey.checkpoints, plan_day(plan, today)):
            if (plan.id, checkpoint) in asked:
                continue
            db.session.add(
                PulseRequest(
                    rep_id=plan.rep_id, plan_id=plan.id, checkpoint=checkpoint, asked_at=now
                )
            )
            notify(
                plan.rep, NOTIFICATION_KIND,
                f"Day {checkpoint} of your plan: how is it going? Three minutes, anonymous.",
                pulse_link(checkpoint), waits_on_recipient=True,
            )  # fmt: skip
            count += 1
    db.session.flush()
    return count


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultFilter:
    """Which group of respondents: any combination of team, role, start cohort, checkpoint."""

    team_id: int | None = None
    role: str = ""
    cohort: str = ""
    checkpoint: int | None = None


@dataclass(frozen=True)
class QuestionResult:
    key: str
    text: str
    about: str
    average: float
    counts: tuple[int, ...]  # how many gave each value of the scale, in scale order


@dataclass(frozen=True)
class PulseResults:
    """Results for one group; ``questions`` is empty when the group is under the minimum."""

    respondents: int
    questions: tuple[QuestionResult, ...]
    # Enough answers, but withheld: another result HR can ask for differs from this one by
    # fewer than MIN_GROUP answers, which could then be worked out (``disclosure``).
    withheld: bool = False

    @property
    def shown(self) -> bool:
        return self.respondents >= MIN_GROUP and not self.withheld


def require_see_results(actor: User) -> None:
    if not actor.sees_everyone:
        raise NotAllowed("Pulse survey results are for HR and admins.")


def pulse_results(actor: User, group: ResultFilter) -> PulseResults:
    """The results of ``group``, per question, or only its size when under ``MIN_GROUP``."""
    require_see_results(actor)
    responses = select(PulseResponse.id)
    if group.team_id is not None:
        responses = responses.where(PulseResponse.team_id == group.team_id)
    if group.role:
        responses = responses.where(PulseResponse.role == group.role)
    if group.cohort:
        responses = responses.where(PulseResponse.cohort == group.cohort)
    if group.checkpoint is not None:
        responses = responses.where(PulseResponse.checkpoint == group.checkpoint)
    respondents = db.session.scalar(select(func.count()).select_from(responses.subquery())) or 0
    shown_now = _groups_shown()  # asked whatever the group's size: a fixed number of queries
    withheld = respondents >= MIN_GROUP and _as_group(group) not in shown_now
    # Tallied whatever the group's size (the page asks the same queries either way), and then
    # not shown when the group is too small.
    counted = db.session.execute(
        select(PulseAnswer.question_key, PulseAnswer.rating, func.count())
        .where(PulseAnswer.response_id.in_(responses))
        .group_by(PulseAnswer.question_key, PulseAnswer.rating)
    )
    tally: dict[str, dict[int, int]] = {}
    for question_key, rating, number in counted:
        tally.setdefault(question_key, {})[rating] = number
    if respondents < MIN_GROUP or withheld:
        return PulseResults(respondents, (), withheld)
    survey = pulse_survey()
    results = []
    for question in survey.questions:
        counts = tuple(tally.get(question.key, {}).get(v, 0) for v in survey.values)
        total = sum(counts)
        if total < MIN_GROUP:  # a question added since: too few answered it yet
            continue
        average = sum(v * n for v, n in zip(survey.values, counts, strict=True)) / total
        results.append(
            QuestionResult(question.key, question.text, question.about, round(average, 2), counts)
        )
    return PulseResults(respondents, tuple(results))


NO_VALUE = "-"  # a response without a team, role or cohort: a value of its own, never "any"


def _as_group(group: ResultFilter) -> Group:
    return (group.team_id, group.role or None, group.cohort or None, group.checkpoint)


def _groups_shown() -> frozenset[Group]:
    """Every group of respondents that may be shown now, whichever HR asks for (one query)."""
    counted = db.session.execute(
        select(
            PulseResponse.team_id, PulseResponse.role, PulseResponse.cohort,
            PulseResponse.checkpoint, func.count(),
        ).group_by(
            PulseResponse.team_id, PulseResponse.role, PulseResponse.cohort,
            PulseResponse.checkpoint,
        )
    )  # fmt: skip
    cells: dict[Cell, int] = {}
    for team_id, role, cohort, checkpoint, number in counted:
        cell = (team_id or NO_VALUE, role or NO_VALUE, cohort or NO_VALUE, checkpoint)
        cells[cell] = cells.get(cell, 0) + number
    return shown_groups(cells, MIN_GROUP)


def result_filters() -> tuple[list[Team], list[str], list[str]]:
    """The teams, roles and cohorts respondents can be grouped by (three queries)."""
    teams = list(db.session.scalars(select(Team).order_by(Team.name)))
    roles = [r for r in db.session.scalars(select(PulseResponse.role).distinct()) if r]
    cohorts = [c for c in db.session.scalars(select(PulseResponse.cohort).distinct()) if c]
    return teams, sorted(roles), sorted(cohorts, reverse=True)
