"""each plan's milestones tallied by plan week, for the ramp dashboard's heatmap

Revision ID: 0040
Revises: 0039
Create Date: 2026-11-30 09:30:00.000000

The heatmap read every active plan's milestones with day arithmetic on each; this summary
holds one row per plan with milestones: per plan week (days 1-7 are week 1, any day after 91
counts in week 13), how many milestones fall in it and how many the rep did or submitted by
the due date. The app rewrites a plan's row whenever its milestones change
(app/dashboards/service/tallies.py); here it is backfilled by the same rule. The heatmap
takes away the milestones not yet due, read per plan from a new index that covers them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0040"
down_revision = "0039"
branch_labels = None
depends_on = None

WEEKS = range(1, 14)
WEEK = (
    "CASE WHEN due_day < 1 THEN 0 WHEN due_day > 91 THEN 13 "
    "ELSE (due_day - 1) / 7 + 1 END"
)
# Done or submitted no later than the due date (the day of the timestamp, as stored).
ON_TIME = {
    "sqlite": "status != 'open' AND CAST(julianday(date(coalesce(submitted_at, completed_at)))"
    " - julianday(date(due_date)) AS INTEGER) <= 0",
    "postgresql": "status != 'open' AND (CAST(coalesce(submitted_at, completed_at) AS DATE)"
    " - CAST(due_date AS DATE)) <= 0",
}


def _backfill(dialect: str) -> str:
    due = ", ".join(f"count(CASE WHEN {WEEK} = {n} THEN 1 END)" for n in WEEKS)
    on_time = ", ".join(
        f"count(CASE WHEN {WEEK} = {n} AND {ON_TIME[dialect]} THEN 1 END)" for n in WEEKS
    )
    columns = ", ".join([f"due_{n}" for n in WEEKS] + [f"on_time_{n}" for n in WEEKS])
    return (
        f"INSERT INTO plan_week_tallies (plan_id, {columns}) "
        f"SELECT plan_id, {due}, {on_time} FROM milestones GROUP BY plan_id"
    )


def upgrade():
    op.create_table(
        'plan_week_tallies',
        sa.Column('plan_id', sa.Integer(), nullable=False),
        *(sa.Column(f'due_{n}', sa.Integer(), nullable=False) for n in WEEKS),
        *(sa.Column(f'on_time_{n}', sa.Integer(), nullable=False) for n in WEEKS),
        sa.ForeignKeyConstraint(
            ['plan_id'], ['plans.id'], name=op.f('fk_plan_week_tallies_plan_id_plans'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('plan_id', name=op.f('pk_plan_week_tallies')),
    )
    op.execute(_backfill(op.get_bind().dialect.name))
    # The milestones not yet due, read per plan from the index alone.
    op.create_index(
        'ix_milestones_plan_dues', 'milestones',
        ['plan_id', 'due_date', 'due_day', 'status', 'submitted_at', 'completed_at'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_milestones_plan_dues', table_name='milestones')
    op.drop_table('plan_week_tallies')
