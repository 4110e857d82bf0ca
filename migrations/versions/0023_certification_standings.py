"""each rep's standing per certification stage, summarised for the lists of every rep

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30 02:10:00.000000

The matrix's due list and pass rates read every rep's certification milestones and attempts
on each view; this summary holds one row per (rep, stage), rewritten by the app whenever a
plan or attempt changes (app/certification/service/standings.py), and backfilled here from
the same rows by the same rule.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

# The first due date of the stage's milestones in the rep's active plan; the latest expiry of
# a passed attempt; how many attempts were decided and passed (see standings_query).
BACKFILL = """
INSERT INTO certification_standings (rep_id, stage, due_on, valid_until, decided, passed)
SELECT rep_id, stage, min(due_on), max(valid_until), sum(decided), sum(passed) FROM (
    SELECT plans.rep_id AS rep_id, milestones.certification_stage AS stage,
           milestones.due_date AS due_on, NULL AS valid_until, 0 AS decided, 0 AS passed
    FROM milestones JOIN plans ON plans.id = milestones.plan_id
    WHERE milestones.certification_stage IS NOT NULL AND plans.archived_at IS NULL
    UNION ALL
    SELECT rep_id, stage, NULL,
           CASE WHEN decided_at IS NOT NULL AND passed THEN expires_on END,
           CASE WHEN decided_at IS NOT NULL THEN 1 ELSE 0 END,
           CASE WHEN decided_at IS NOT NULL AND passed THEN 1 ELSE 0 END
    FROM certification_attempts
) AS facts
GROUP BY rep_id, stage
"""


def upgrade():
    op.create_table(
        'certification_standings',
        sa.Column('rep_id', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(length=64), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.Column('decided', sa.Integer(), nullable=False),
        sa.Column('passed', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['rep_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('rep_id', 'stage'),
    )
    op.create_index(
        'ix_certification_standings_stage_dates', 'certification_standings',
        ['stage', 'due_on', 'valid_until'], unique=False,
    )
    op.execute(BACKFILL)


def downgrade():
    op.drop_index('ix_certification_standings_stage_dates', table_name='certification_standings')
    op.drop_table('certification_standings')
