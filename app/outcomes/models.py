"""Each rep's judged outcomes for one day, so that a page of a thousand reps reads narrow rows
instead of judging a year of figures per request.

A judgement is what :func:`app.outcomes.service.judging.outcome_of` finds for a rep on a day
under one version of ``outcomes.yaml``: the days to the firsts, the ramp month they ramped in,
their attainment by ended month and their readiness score. It depends on the rep's figures,
plan, milestones and commitments; every write of those bumps the rep's ``OutcomeStamp`` in the
same transaction (``app.outcomes.service.stamps``), and a judgement only counts while its stamp
is the rep's stamp now. A stale or missing judgement is recomputed from the raw rows when read,
so what a page shows always equals a recomputation.

The stamp, not a delete, is what makes it safe with several web processes: a reader notes the
stamp before it reads the figures, so a judgement computed from figures a concurrent write has
since changed carries the older stamp and is never used.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class OutcomeStamp(db.Model):  # type: ignore[name-defined]
    """How many times what a rep's outcomes depend on has been written (no row: never)."""

    __tablename__ = "outcome_stamps"

    rep_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    stamp: Mapped[int] = mapped_column(Integer, default=0)


class OutcomeJudgement(db.Model):  # type: ignore[name-defined]
    """One rep's outcomes as judged on ``day`` under definition ``version``. Derived data:
    valid while ``stamp`` equals the rep's stamp and ``start`` and ``role`` their current ones."""

    __tablename__ = "outcome_judgements"

    rep_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    stamp: Mapped[int] = mapped_column(Integer)
    start: Mapped[date | None] = mapped_column(Date)
    role: Mapped[str | None] = mapped_column(String(64))
    first_meeting: Mapped[int | None] = mapped_column(Integer)
    first_opportunity: Mapped[int | None] = mapped_column(Integer)
    first_deal: Mapped[int | None] = mapped_column(Integer)
    ramped_month: Mapped[int | None] = mapped_column(Integer)
    # Share of target in each ended ramp month, month 1 first (NULL: no targets for the role).
    attainments: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    score_tenths: Mapped[int | None] = mapped_column(Integer)


class OutcomeMilestoneFact(db.Model):  # type: ignore[name-defined]
    """One milestone of a judged rep that counts for the drivers page on ``day``: due by then
    or done (or submitted), and whether the rep did it by its due date. Written and dropped
    with the rep's :class:`OutcomeJudgement` of the same day and version, so it is as valid;
    the judgement's start, ramp month and whether it was measured are copied in, so the page
    counts the facts without joining the judgements."""

    __tablename__ = "outcome_milestone_facts"
    __table_args__ = (
        # The page's count: one day's facts in the order they are grouped, with every column
        # it reads (a thousand reps' twenty thousand facts counted from the index alone).
        Index(
            "ix_outcome_milestone_facts_parts",
            "day",
            "version",
            "stage",
            "role",
            "key",
            "on_time",
            "ramped_month",
            "measured",
            "start",
            "rep_id",
            "milestone_id",
        ),
    )

    rep_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    milestone_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stage: Mapped[str | None] = mapped_column(String(64))  # a certification's stage
    role: Mapped[str | None] = mapped_column(String(64))  # the plan's role (other milestones)
    key: Mapped[str | None] = mapped_column(String(64))  # the milestone's key (other milestones)
    on_time: Mapped[bool] = mapped_column(Boolean)
    measured: Mapped[bool] = mapped_column(Boolean)  # the rep has targets (and a start)
    start: Mapped[date | None] = mapped_column(Date)
    ramped_month: Mapped[int | None] = mapped_column(Integer)


class OutcomeDriverCount(db.Model):  # type: ignore[name-defined]
    """The drivers page's count of one set of reps' milestone facts on ``day``, kept so that a
    thousand reps' twenty thousand facts are not counted again on every view. Derived data:
    valid only for the reps whose ``fingerprint`` it carries (each rep's id, stamp, start and
    role, as the page reads them): the facts are written with the judgements, so the same
    reps with the same stamps have the same facts, and any write to one of them, or a rep
    joining or leaving the set, changes the fingerprint."""

    __tablename__ = "outcome_driver_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Whose reps and which filters ("everyone", "coach 7", a team, a role, a cohort).
    scope: Mapped[str] = mapped_column(String(160), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The counted rows, as JSON text: [stage, role, key, on time, ramp month, reps, latest id].
    counts: Mapped[str] = mapped_column(Text)
