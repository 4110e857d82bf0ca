"""What the dashboards keep beside the raw rows: each plan's milestones tallied by plan week."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, Table

from app.extensions import db

PLAN_WEEKS = 13  # a 90-day plan: days 85 to 90 (and any later day) fall in week 13

# One row per plan with milestones: per plan week, how many milestones fall in it and how many
# of those the rep did (or submitted) by the due date. Facts about the rows only, never about
# today: the heatmap takes away the milestones not yet due, read from the raw rows
# (app/dashboards/service/tallies.py keeps this in step with every write).
plan_week_tallies = Table(
    "plan_week_tallies",
    db.metadata,
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
    *(Column(f"due_{week}", Integer, nullable=False) for week in range(1, PLAN_WEEKS + 1)),
    *(Column(f"on_time_{week}", Integer, nullable=False) for week in range(1, PLAN_WEEKS + 1)),
)
