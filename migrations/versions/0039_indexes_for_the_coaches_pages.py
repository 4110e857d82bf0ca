"""indexes for the coaches' pages (verifications, assessments, debriefs, commitments)

Revision ID: 0039
Revises: 0038
Create Date: 2026-11-30 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0039"
down_revision = "0038"
branch_labels = None
depends_on = None

SUBMITTED = "status = 'submitted'"


def upgrade():
    op.create_index(
        'ix_milestones_submitted', 'milestones', ['plan_id', 'submitted_at'], unique=False,
        sqlite_where=sa.text(SUBMITTED), postgresql_where=sa.text(SUBMITTED),
    )
    op.create_index(
        'ix_milestones_verified_by', 'milestones',
        ['verified_by_id', 'completed_at', 'status', 'submitted_at'], unique=False,
    )
    op.create_index(
        'ix_debriefs_coach_held_on', 'debriefs', ['coach_id', 'held_on'], unique=False
    )
    op.create_index(
        'ix_assessments_assessor_submitted', 'assessments', ['assessor_id', 'submitted_at'],
        unique=False,
    )
    # Replaces the index on debrief_id alone, which it serves as well.
    op.create_index(
        'ix_commitments_debrief_due', 'commitments', ['debrief_id', 'due_on', 'reviewed_at'],
        unique=False,
    )
    op.drop_index('ix_commitments_debrief_id', table_name='commitments')


def downgrade():
    op.create_index('ix_commitments_debrief_id', 'commitments', ['debrief_id'], unique=False)
    op.drop_index('ix_commitments_debrief_due', table_name='commitments')
    op.drop_index('ix_assessments_assessor_submitted', table_name='assessments')
    op.drop_index('ix_debriefs_coach_held_on', table_name='debriefs')
    op.drop_index('ix_milestones_verified_by', table_name='milestones')
    op.drop_index('ix_milestones_submitted', table_name='milestones')
