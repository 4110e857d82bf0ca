"""My ramp's layout over HTTP: this week first, finished phases folded, everything printable."""

from __future__ import annotations

import re

from app.plans import service
from app.plans.models import Milestone
from tests.plans.caught_up import rep_caught_up


def milestone_due_on_day(rep, day: int) -> Milestone:
    plan = service.active_plan(rep)
    return next(m for m in plan.milestones if m.due_day == day)


def phase_folds(html: str) -> dict[int, bool]:
    """Each phase of the plan: True when its milestones are folded away (closed details)."""
    found = re.findall(
        r'<section class="plan-phase"[^>]*data-phase="(\d)">\s*<h3[^>]*>[^<]*</h3>\s*'
        r'<details class="phase-milestones"( open)?>',
        html,
    )
    return {int(number): not is_open for number, is_open in found}


def this_week_section(html: str) -> str:
    match = re.search(r'<section id="this-week".*?</section>', html, re.S)
    assert match, "no This week section"
    return match.group(0)


def test_finished_phases_fold_away_and_the_current_one_stays_open(make_rep, login):
    rep = rep_caught_up(make_rep, day_of_ramp=72, done_before_day=61)
    page = login(rep).get("/ramp").text

    assert phase_folds(page) == {1: True, 2: True, 3: False}
    assert '<summary class="small text-body-secondary">All 7 milestones done</summary>' in page
    # Folded, not gone: the finished milestones are still on the page (and on paper).
    assert f'id="milestone-{milestone_due_on_day(rep, 3).id}"' in page


def test_a_past_phase_with_anything_left_to_do_stays_open(make_rep, login):
    rep = rep_caught_up(make_rep, day_of_ramp=72, done_before_day=50)  # 50 to 60 not done
    page = login(rep).get("/ramp").text
    assert phase_folds(page) == {1: True, 2: False, 3: False}


def test_this_week_comes_first_with_the_overdue_then_what_is_due(make_rep, login):
    rep = rep_caught_up(make_rep, day_of_ramp=72, done_before_day=61)
    overdue = milestone_due_on_day(rep, 70)
    due_soon = milestone_due_on_day(rep, 75)
    later = milestone_due_on_day(rep, 80)
    page = login(rep).get("/ramp").text

    week = this_week_section(page)
    assert '<h2 id="this-week-heading"' in week and "This week" in week
    links = re.findall(r'<a href="#milestone-(\d+)">', week)
    assert links == [str(overdue.id), str(due_soon.id)]
    assert "Overdue" in week and "Due this week" in week
    assert str(later.id) not in links
    # First on the page: before the progress figures and the whole plan.
    assert page.index('id="this-week"') < page.index('id="progress-heading"')
    assert page.index('id="this-week"') < page.index('id="timeline-heading"')


def test_a_rep_with_nothing_due_is_told_so(make_rep, login):
    rep = rep_caught_up(make_rep, day_of_ramp=20, done_before_day=28)
    week = this_week_section(login(rep).get("/ramp").text)
    assert "Nothing overdue and nothing due in the next 7 days." in week


def test_the_ramp_page_has_landmarks_and_a_heading_per_phase(make_rep, login):
    rep = rep_caught_up(make_rep, day_of_ramp=72, done_before_day=61)
    page = login(rep).get("/ramp").text
    assert page.count("<main") == 1
    for number in (1, 2, 3):
        assert f'aria-labelledby="phase-{number}-heading"' in page
        assert f'<h3 id="phase-{number}-heading"' in page
    assert "js/print-details.js" in page  # folded phases open for printing
