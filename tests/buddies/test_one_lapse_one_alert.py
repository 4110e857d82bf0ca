"""One lapse, one alert: whatever check-ins are recorded, back-dated ones included, no missed
check-in is ever part of two alerts (a property test of the lapse rules, day by day)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.buddies.cadence import (
    DEFAULT_CADENCE,
    due_dates,
    lapse_start,
    missed,
    parse_cadence,
    told_through,
    window_of,
)

CADENCE = parse_cadence(DEFAULT_CADENCE)
START = date(2026, 1, 5)
DAYS = 100


@dataclass
class Lapse:
    first: date
    run: list[date]  # the misses the alert named: from its first to the latest closed window
    resolved_on: date | None = None


@dataclass
class Pairing:
    """What the service keeps: check-ins (as ``record_check_in`` accepts them) and lapses."""

    grace: int
    due: list[date] = field(default_factory=lambda: due_dates(CADENCE, START))
    held: list[date] = field(default_factory=list)
    lapses: list[Lapse] = field(default_factory=list)

    def record(self, held_on: date, today: date) -> None:
        """A check-in held on ``held_on`` recorded ``today``: refused like the service does
        when its window is over or already kept; a recorded one resolves open lapses."""
        window = window_of(self.due, held_on, self.grace)
        kept = {window_of(self.due, day, self.grace) for day in self.held}
        if held_on > today or window is None or window in kept:
            return
        self.held.append(held_on)
        for lapse in self.lapses:
            lapse.resolved_on = lapse.resolved_on or today

    def run_alerts(self, today: date) -> None:
        """The daily run: the lapse to raise, and ON CONFLICT DO NOTHING on its first date."""
        earlier = [(lapse.first, lapse.resolved_on) for lapse in self.lapses]
        told = told_through(self.due, self.grace, earlier, today)
        first = lapse_start(self.due, self.held, today, self.grace, told)
        if first is None or first in {lapse.first for lapse in self.lapses}:
            return
        closed = [d for d in self.due if d >= first and today > d + timedelta(days=self.grace)]
        self.lapses.append(Lapse(first, closed))


# Each day, maybe a check-in, held that day or back-dated up to 40 days.
days_of_check_ins = st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=DAYS, max_size=DAYS)


def simulate(grace: int, back_dates: list[int | None]) -> Pairing:
    pairing = Pairing(grace)
    for offset, back in enumerate(back_dates):
        today = START + timedelta(days=offset)
        if back is not None:
            pairing.record(max(START, today - timedelta(days=back)), today)
        pairing.run_alerts(today)
    return pairing


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 6), days_of_check_ins)
def test_no_missed_check_in_is_part_of_two_alerts(grace, back_dates):
    pairing = simulate(grace, back_dates)
    named = [d for lapse in pairing.lapses for d in lapse.run]
    assert len(named) == len(set(named))
    for lapse in pairing.lapses:
        assert len(lapse.run) >= 2  # an alert names two misses in a row or more
    firsts = [lapse.first for lapse in pairing.lapses]
    assert firsts == sorted(firsts)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 6))
def test_no_check_ins_at_all_raise_one_alert_from_the_first_due_date(grace):
    pairing = simulate(grace, [None] * DAYS)
    assert [lapse.first for lapse in pairing.lapses] == [pairing.due[0]]


def test_a_check_in_back_dated_into_a_missed_window_raises_no_second_alert():
    """Days 7 and 14 missed (alert from day 7); on day 24 a check-in held on day 7 is
    recorded, and day 21 is missed too: 14 and 21 are now two misses in a row, but 14 was
    in the first alert, so no second one (until 28 is missed as well: two fresh misses)."""
    pairing = Pairing(grace=3)
    due = pairing.due
    for offset in range(31):
        today = START + timedelta(days=offset)
        if offset == 24:
            pairing.record(START + timedelta(days=7), today)
        pairing.run_alerts(today)
    assert [lapse.first for lapse in pairing.lapses] == [due[0]]
    today = START + timedelta(days=30)
    assert missed(due, pairing.held, today, 3) == [due[1], due[2]]
    # Without what the coach was told, the run would be a second alert from day 14.
    assert lapse_start(due, pairing.held, today, 3) == due[1]


def test_misses_after_a_kept_check_in_are_a_new_lapse():
    pairing = Pairing(grace=3)
    due = pairing.due
    for offset in range(60):
        today = START + timedelta(days=offset)
        if offset == 21:
            pairing.record(today, today)  # day 21 kept on time: the first lapse is over
        pairing.run_alerts(today)
    assert [lapse.first for lapse in pairing.lapses] == [due[0], due[3]]
