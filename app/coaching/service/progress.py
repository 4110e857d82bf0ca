"""A rep's progress across debriefs and assessments: repeated gaps, kept rate, score trends,
and the coach's one-on-one preparation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup

from app.accounts.access import require_view_person
from app.accounts.models import User
from app.certification import service as certification
from app.coaching import charts
from app.coaching.followthrough import RatePoint, kept_rate, kept_rate_by_month
from app.coaching.gaps import (
    CommitmentNote,
    RepeatedGap,
    ScoredSession,
    proficient_level,
    repeated_gaps,
)
from app.coaching.models import Debrief
from app.coaching.service.access import require_coach
from app.coaching.service.commitments import OpenCommitment, commitments_of, open_commitments_of
from app.coaching.service.debriefs import debriefs_of
from app.curriculum.models import RubricTemplate
from app.curriculum.schema import Rubric
from app.curriculum.service import stage_names
from app.plans import service as plans
from app.plans.models import Milestone


def _session(
    row: RubricTemplate, on: date, source: str, levels: dict[str, float], order: int
) -> ScoredSession:
    rubric: Rubric = certification.rubric_spec(row)
    return ScoredSession(
        on=on,
        stage=row.stage,
        source=source,
        levels=levels,
        proficient=proficient_level(
            [(s.level, s.name) for s in rubric.scale],
            rubric.pass_rule.must_pass_level or rubric.pass_rule.min_level,
        ),
        top=max(rubric.levels),
        names={c.key: c.name for c in rubric.criteria},
        order=order,
    )


def scored_sessions(rep: User, debriefs: list[Debrief]) -> list[ScoredSession]:
    """Debriefs with scores and certification attempts with assessors' scores, mixed."""
    sessions = []
    for debrief in debriefs:
        if debrief.is_recorded and debrief.scores and debrief.rubric is not None:
            levels = {k: float(v) for k, v in debrief.levels().items()}
            sessions.append(_session(debrief.rubric, debrief.held_on, "debrief", levels, 0))
    for attempt in certification.attempts_of(rep):
        scores = certification.final_scores(attempt)
        submitted = attempt.submitted_assessor_assessments
        on = attempt.assessed_on or next((a.assessed_on for a in submitted if a.assessed_on), None)
        if scores and on is not None:
            sessions.append(_session(attempt.rubric, on, "assessment", scores, 0))
    return sessions


def _notes(debriefs: list[Debrief]) -> list[CommitmentNote]:
    return [
        CommitmentNote(
            made_on=d.held_on,
            stage=d.stage or "",
            criterion=c.criterion_key,
            action=c.action,
            outcome=c.outcome.value if c.outcome else None,
        )
        for d in debriefs
        for c in d.commitments
        if c.criterion_key
    ]


def repeated_gaps_of(actor: User, rep: User) -> list[RepeatedGap]:
    debriefs = debriefs_of(actor, rep)
    return repeated_gaps(scored_sessions(rep, debriefs), _notes(debriefs))


@dataclass
class CriterionTrend:
    stage: str
    stage_name: str
    chart: Markup
    legend: list[tuple[str, Markup]]
    series: list[charts.Series]
    dates: list[date]
    top: int


@dataclass
class RepProgress:
    rep: User
    debriefs: list[Debrief]
    kept_rate: float | None
    reviewed: int
    rate_points: list[RatePoint]
    rate_chart: Markup
    trends: list[CriterionTrend] = field(default_factory=list)
    gaps: list[RepeatedGap] = field(default_factory=list)

    def level_at(self, series: charts.Series, day: date) -> float | None:
        return next((v for d, v in series.points if d == day), None)


def progress_of(actor: User, rep: User) -> RepProgress:
    """The kept rate over time and each criterion's score trend, per stage."""
    debriefs = debriefs_of(actor, rep)
    reviewed = [(c.due_on, c.outcome) for c in commitments_of(actor, rep) if c.outcome]
    points = kept_rate_by_month(reviewed)
    rate_chart = charts.line_chart(
        [charts.Series("Kept rate", tuple((p.month, p.rate * 100) for p in points))],
        title=f"{rep.full_name}: commitments kept per month",
        description="Share of the commitments due each month that were kept "
        "(partly kept counts half). The table below has the same figures.",
        low=0,
        high=100,
        ticks=[(0, "0%"), (50, "50%"), (100, "100%")],
        chart_id="kept-rate",
    )
    sessions = scored_sessions(rep, debriefs)
    names = stage_names()
    trends = []
    for stage in [key for key in names if any(s.stage == key for s in sessions)]:
        of_stage = sorted((s for s in sessions if s.stage == stage), key=lambda s: s.on)
        criteria = list(of_stage[-1].names.items())
        series = [
            charts.Series(name, tuple((s.on, s.levels[key]) for s in of_stage if key in s.levels))
            for key, name in criteria
        ]
        top = of_stage[-1].top
        trends.append(
            CriterionTrend(
                stage=stage,
                stage_name=names[stage],
                chart=charts.line_chart(
                    series,
                    title=f"{names[stage]}: score per criterion over time",
                    description=f"Levels 1 to {top} from debriefs and certification assessments, "
                    "oldest on the left. The table below has the same scores.",
                    low=1,
                    high=top,
                    ticks=[(level, str(level)) for level in range(1, top + 1)],
                    chart_id=f"trend-{stage}",
                ),
                legend=charts.legend(series),
                series=series,
                dates=sorted({s.on for s in of_stage}),
                top=top,
            )
        )
    return RepProgress(
        rep=rep,
        debriefs=debriefs,
        kept_rate=kept_rate(outcome for _, outcome in reviewed),
        reviewed=len(reviewed),
        rate_points=points,
        rate_chart=rate_chart,
        trends=trends,
        gaps=repeated_gaps(sessions, _notes(debriefs)),
    )


@dataclass
class OneOnOnePrep:
    rep: User
    today: date
    open_commitments: list[OpenCommitment]
    gaps: list[RepeatedGap]
    overdue_milestones: list[Milestone]
    certifications_due: list[certification.Upcoming]
    last_debriefs: list[Debrief]


def one_on_one_prep(actor: User, rep: User, today: date) -> OneOnOnePrep:
    """Everything the coach needs on one page before a one-on-one."""
    require_coach(actor, rep)
    require_view_person(actor, rep)
    debriefs = debriefs_of(actor, rep)
    # Held while the certifications are read: they look the same plan up, and find it loaded.
    plan = plans.active_plan(rep)
    due = [
        upcoming
        for cert in certification.certifications_of(actor, rep, today)
        for upcoming in certification.upcoming_of(cert, today)
    ]
    return OneOnOnePrep(
        rep=rep,
        today=today,
        open_commitments=open_commitments_of(debriefs, today),
        gaps=repeated_gaps(scored_sessions(rep, debriefs), _notes(debriefs)),
        overdue_milestones=plans.summarise(rep, plan, today).overdue,
        certifications_due=due,
        last_debriefs=[d for d in debriefs if d.is_recorded][:3],
    )
