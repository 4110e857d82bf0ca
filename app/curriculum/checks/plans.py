"""Checks of a plan template (``plans/*.yaml``) beyond its schema."""

from __future__ import annotations

from app.curriculum.checks.documents import Finding, Loc, format_path
from app.curriculum.checks.stages import Context, unknown_stage
from app.curriculum.schema import Actuals, CertificationMeasure, NumberMeasure, PlanTemplate

PHASE_DAYS: tuple[tuple[int, int], ...] = ((1, 30), (31, 60), (61, 90))
_THREE_PHASES = "a plan has exactly three phases (days 1-30, 31-60, 61-90)"


def check_plan(plan: PlanTemplate, context: Context) -> list[Finding]:
    """Rules the schema cannot express: the 30/60/90 phases, due days, stages, unique keys."""
    found: list[Finding] = []
    if len(plan.phases) != len(PHASE_DAYS):
        found.append((("phases",), f"{_THREE_PHASES}, not {len(plan.phases)}"))
    first_loc: dict[str, Loc] = {}
    for p, phase in enumerate(plan.phases):
        number, days = p + 1, f"days {phase.start_day}-{phase.end_day}"
        if p < len(PHASE_DAYS) and (phase.start_day, phase.end_day) != PHASE_DAYS[p]:
            must = "days {}-{}".format(*PHASE_DAYS[p])
            found.append((("phases", p), f"phase {number} covers {days}; it must cover {must}"))
        if not phase.milestones:
            found.append((("phases", p, "milestones"), f"phase {number} has no milestones"))
        for m, milestone in enumerate(phase.milestones):
            loc: Loc = ("phases", p, "milestones", m)
            key, due = milestone.key, milestone.due_day
            if key in first_loc:
                also = format_path(first_loc[key])
                found.append(((*loc, "key"), f"duplicate milestone key '{key}' (also {also})"))
            first_loc.setdefault(key, loc)
            if not phase.start_day <= due <= phase.end_day:
                reason = f"due day {due} is outside phase {number} ({days})"
                found.append(((*loc, "due_day"), reason))
            stage_refs: list[tuple[Loc, str | None]] = [((*loc, "stage"), milestone.stage)]
            if isinstance(milestone.measure, CertificationMeasure):
                stage_refs.append(((*loc, "measure", "stage"), milestone.measure.stage))
            for ref_loc, stage in stage_refs:
                unknown = stage and unknown_stage(stage, context)
                if unknown:
                    found.append((ref_loc, unknown))
            if isinstance(milestone.measure, NumberMeasure) and milestone.measure.actuals:
                found += _actuals_problems(milestone.measure.actuals, (*loc, "measure"))
            if isinstance(milestone.measure, CertificationMeasure):
                found += _rubric_missing(
                    milestone.measure.stage, (*loc, "measure", "stage"), context
                )
    return found


def _rubric_missing(stage: str, loc: Loc, context: Context) -> list[Finding]:
    """A certification milestone is passed on its stage's rubric, so one must exist."""
    if context.rubric_stages is None or stage in context.rubric_stages:
        return []
    if unknown_stage(stage, context):
        return []  # reported as an unknown stage already
    return [(loc, f"no rubric certifies the '{stage}' stage: add one to rubrics/")]


# Ramp weeks run Monday to Sunday, the first being the week of the start date, so day 90 falls
# in week 13 or 14; ramp months are days 1-30, 31-60 and 61-90.
_LAST_PERIOD = {"week": 14, "month": 3}


def _actuals_problems(actuals: Actuals, loc: Loc) -> list[Finding]:
    """Weeks or months to measure, each inside the 90 days; none for a whole-ramp total."""
    where = (*loc, "actuals", "periods")
    if actuals.per == "ramp":
        if actuals.periods:
            return [(where, "a whole-ramp total (per: ramp) takes no periods")]
        return []
    if not actuals.periods:
        return [(where, f"name the {actuals.per}s of the ramp to measure, e.g. [6, 7]")]
    last = _LAST_PERIOD[actuals.per]
    return [
        ((*where, i), f"{actuals.per} {number} is past the ramp's last {actuals.per} ({last})")
        for i, number in enumerate(actuals.periods)
        if number > last
    ]
