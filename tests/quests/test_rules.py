"""The pure rules: quest windows, progress, points, and the leaderboard's privacy."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.curriculum.schema_numbers import PointsRules, QuestWindow
from app.quests.leaderboard import Entry, Privacy, ranked, visible_rows
from app.quests.points import Engagement, points_of
from app.quests.progress import personal_progress, team_progress
from app.quests.windows import window_on

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@given(days)
def test_a_weekly_quest_runs_monday_to_sunday_around_today(today):
    window = window_on(QuestWindow(every="week"), today)
    assert window.start.weekday() == 0 and window.end - window.start == timedelta(days=6)
    assert window.holds(today)
    assert window.days_left(today) == (window.end - today).days + 1


@given(days)
def test_a_monthly_quest_runs_the_calendar_month(today):
    window = window_on(QuestWindow(every="month"), today)
    assert window.start == today.replace(day=1)
    assert (window.end + timedelta(days=1)).day == 1
    assert window.holds(today) and window.start.month == window.end.month == today.month


def test_a_fixed_quest_keeps_its_dates_and_has_no_days_left_once_ended():
    window = window_on(
        QuestWindow(start=date(2026, 11, 23), end=date(2026, 11, 27)), date(2026, 12, 1)
    )
    assert (window.start, window.end) == (date(2026, 11, 23), date(2026, 11, 27))
    assert not window.holds(date(2026, 12, 1))
    assert window.days_left(date(2026, 12, 1)) == 0
    assert window.days_left(date(2026, 11, 27)) == 1


counts = st.one_of(st.none(), st.floats(min_value=-5, max_value=500, allow_nan=False))
targets = st.integers(min_value=1, max_value=200)


@given(counts, targets)
def test_progress_is_done_exactly_at_the_target_and_its_percent_stays_in_bounds(count, target):
    progress = personal_progress(count, target)
    assert progress.count >= 0
    assert progress.done == ((count or 0) >= target)
    assert 0 <= progress.percent <= 100
    assert (progress.percent == 100) == progress.done


@given(st.floats(min_value=0, max_value=300, allow_nan=False), st.floats(0, 300), targets)
def test_more_counted_is_never_less_progress(a, b, target):
    low, high = sorted((a, b))
    assert personal_progress(low, target).percent <= personal_progress(high, target).percent


@given(st.lists(st.tuples(st.integers(0, 20), targets), max_size=30))
def test_a_team_quest_is_done_when_every_rep_it_is_for_is_there_and_never_when_empty(reps):
    progresses = [personal_progress(count, target) for count, target in reps]
    team = team_progress(progresses)
    assert team.members == len(reps)
    assert team.reached == sum(1 for p in progresses if p.done)
    assert team.done == (bool(reps) and all(p.done for p in progresses))
    assert 0 <= team.percent <= 100


RULES = PointsRules(
    id="points",
    title="Points",
    milestone_on_time=10,
    certification_passed=30,
    commitment_kept=5,
)


@given(st.integers(0, 90), st.integers(0, 10), st.integers(0, 50))
def test_points_are_the_sum_of_each_kind_times_its_value(on_time, passed, kept):
    points = points_of(Engagement(on_time, passed, kept), RULES)
    assert points.total == 10 * on_time + 30 * passed + 5 * kept
    assert [line.count for line in points.lines] == [on_time, passed, kept]


NAMES = [f"Person {chr(65 + n)}{chr(97 + n)}xq" for n in range(26)]
boards = st.lists(st.integers(0, 200), min_size=1, max_size=15).map(
    lambda points: [Entry(n + 1, NAMES[n], p) for n, p in enumerate(points)]
)


@given(boards, st.data())
def test_ranks_follow_points_and_ties_share_a_rank(entries, data):
    board = ranked(entries)
    assert [e.points for _, e in board] == sorted((e.points for e in entries), reverse=True)
    for (rank_a, a), (rank_b, b) in itertools.pairwise(board):
        assert (rank_a == rank_b) == (a.points == b.points)
    assert board[0][0] == 1


@given(boards, st.sampled_from([Privacy.HIDDEN, Privacy.NEIGHBOURS]), st.data())
def test_a_peer_never_sees_another_reps_name_unless_names_are_shown(entries, privacy, data):
    viewer = data.draw(st.sampled_from(entries))
    rows = visible_rows(entries, viewer.rep_id, privacy, frozenset())
    shown = " ".join(row.label for row in rows)
    for entry in entries:
        if entry.rep_id != viewer.rep_id:
            assert entry.name not in shown
    mine = [row for row in rows if row.is_viewer]
    assert len(mine) == 1 and mine[0].label == viewer.name and mine[0].named
    if privacy is Privacy.NEIGHBOURS:
        assert len(rows) <= 3
        places = [row.place for row in rows]
        assert places == list(range(places[0], places[0] + len(rows)))
    else:
        assert len(rows) == len(entries)


@given(boards, st.data())
def test_names_shown_means_every_name_and_managers_see_the_names_they_know(entries, data):
    viewer = data.draw(st.sampled_from(entries))
    everyone = visible_rows(entries, viewer.rep_id, Privacy.NAMES, frozenset())
    assert sorted(row.label for row in everyone) == sorted(e.name for e in entries)
    known = frozenset(data.draw(st.sets(st.sampled_from([e.rep_id for e in entries]))))
    coach_view = visible_rows(entries, -1, Privacy.NEIGHBOURS, known)
    if known:
        assert len(coach_view) == len(entries)
        named = {row.label for row in coach_view if row.named}
        assert named == {e.name for e in entries if e.rep_id in known}
    hr_view = visible_rows(entries, -1, Privacy.HIDDEN, None)
    assert all(row.named for row in hr_view)


def test_hidden_rows_are_called_by_their_place():
    entries = [Entry(1, "Ann", 50), Entry(2, "Bob", 70), Entry(3, "Cy", 50)]
    rows = visible_rows(entries, 3, Privacy.HIDDEN, frozenset())
    assert [(row.rank, row.label, row.points) for row in rows] == [
        (1, "Rep 1", 70),
        (2, "Rep 2", 50),
        (2, "Cy", 50),
    ]
