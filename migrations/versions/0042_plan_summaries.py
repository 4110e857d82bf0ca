"""each plan's milestones counted for All reps; people indexed by coach and by team

Revision ID: 0042
Revises: 0041
Create Date: 2026-11-30 09:20:00.000000

All reps counts every active plan's open milestones against today on each view; this summary
holds one row per plan (how many milestones, not done, waiting; each phase's done and total;
the three earliest open due dates), rewritten by the app whenever a plan's milestones change
(app/plans/service/summaries.py), and backfilled here from the same rows by the same rule.
The indexes serve every coach's lists (their reps by coach, their teams).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0042"
down_revision = "0041"
branch_labels = None
depends_on = None

# The same rule as summaries_query: every plan has a row; the open milestones' three
# earliest due dates (ties broken by id) come from a window over each plan's open ones.
BACKFILL = """
INSERT INTO plan_summaries (plan_id, milestones, unfinished, submitted, first_open_due,
    second_open_due, third_open_due, phase1_done, phase1_total, phase2_done, phase2_total,
    phase3_done, phase3_total)
SELECT plans.id,
       coalesce(counts.milestones, 0), coalesce(counts.unfinished, 0),
       coalesce(counts.submitted, 0), firsts.first, firsts.second, firsts.third,
       coalesce(counts.phase1_done, 0), coalesce(counts.phase1_total, 0),
       coalesce(counts.phase2_done, 0), coalesce(counts.phase2_total, 0),
       coalesce(counts.phase3_done, 0), coalesce(counts.phase3_total, 0)
FROM plans
LEFT OUTER JOIN (
    SELECT plan_id, count(*) AS milestones,
           count(CASE WHEN status != 'done' THEN 1 END) AS unfinished,
           count(CASE WHEN status = 'submitted' THEN 1 END) AS submitted,
           count(CASE WHEN phase = 1 AND status = 'done' THEN 1 END) AS phase1_done,
           count(CASE WHEN phase = 1 THEN 1 END) AS phase1_total,
           count(CASE WHEN phase = 2 AND status = 'done' THEN 1 END) AS phase2_done,
           count(CASE WHEN phase = 2 THEN 1 END) AS phase2_total,
           count(CASE WHEN phase = 3 AND status = 'done' THEN 1 END) AS phase3_done,
           count(CASE WHEN phase = 3 THEN 1 END) AS phase3_total
    FROM milestones GROUP BY plan_id
) AS counts ON counts.plan_id = plans.id
LEFT OUTER JOIN (
    SELECT plan_id, min(CASE WHEN n = 1 THEN due_date END) AS first,
           min(CASE WHEN n = 2 THEN due_date END) AS second,
           min(CASE WHEN n = 3 THEN due_date END) AS third
    FROM (
        SELECT plan_id, due_date,
               row_number() OVER (PARTITION BY plan_id ORDER BY due_date, id) AS n
        FROM milestones WHERE status = 'open'
    ) AS ranked
    WHERE n <= 3 GROUP BY plan_id
) AS firsts ON firsts.plan_id = plans.id
"""


def upgrade():
    op.create_table('plan_summaries',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('milestones', sa.Integer(), nullable=False),
    sa.Column('unfinished', sa.Integer(), nullable=False),
    sa.Column('submitted', sa.Integer(), nullable=False),
    sa.Column('first_open_due', sa.Date(), nullable=True),
    sa.Column('second_open_due', sa.Date(), nullable=True),
    sa.Column('third_open_due', sa.Date(), nullable=True),
    sa.Column('phase1_done', sa.Integer(), nullable=False),
    sa.Column('phase1_total', sa.Integer(), nullable=False),
    sa.Column('phase2_done', sa.Integer(), nullable=False),
    sa.Column('phase2_total', sa.Integer(), nullable=False),
    sa.Column('phase3_done', sa.Integer(), nullable=False),
    sa.Column('phase3_total', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_summaries_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', name=op.f('pk_plan_summaries'))
    )
    op.execute(BACKFILL)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_coach_id'), ['coach_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_team_id'), ['team_id'], unique=False)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_team_id'))
        batch_op.drop_index(batch_op.f('ix_users_coach_id'))
    op.drop_table('plan_summaries')
