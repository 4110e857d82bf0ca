"""indexes for the dashboard's attention list: each rep's attempts, debriefs, commitments

Revision ID: 0045
Revises: 0044
Create Date: 2026-11-30 14:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0045"
down_revision = "0044"
branch_labels = None
depends_on = None


def upgrade():
    # Each replaces the index on rep_id alone, which it serves as well.
    op.create_index(
        'ix_certification_attempts_rep_stage', 'certification_attempts',
        ['rep_id', 'stage', 'passed', 'decided_at'], unique=False,
    )
    op.drop_index('ix_certification_attempts_rep_id', table_name='certification_attempts')
    op.create_index('ix_debriefs_rep_held_on', 'debriefs', ['rep_id', 'held_on'], unique=False)
    op.drop_index('ix_debriefs_rep_id', table_name='debriefs')
    op.create_index(
        'ix_commitments_rep_outcome_due', 'commitments', ['rep_id', 'outcome', 'due_on'],
        unique=False,
    )
    op.drop_index('ix_commitments_rep_id', table_name='commitments')


def downgrade():
    op.create_index('ix_commitments_rep_id', 'commitments', ['rep_id'], unique=False)
    op.drop_index('ix_commitments_rep_outcome_due', table_name='commitments')
    op.create_index('ix_debriefs_rep_id', 'debriefs', ['rep_id'], unique=False)
    op.drop_index('ix_debriefs_rep_held_on', table_name='debriefs')
    op.create_index(
        'ix_certification_attempts_rep_id', 'certification_attempts', ['rep_id'], unique=False
    )
    op.drop_index('ix_certification_attempts_rep_stage', table_name='certification_attempts')
