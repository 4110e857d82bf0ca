"""indexes for the lists of a thousand reps

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

UNFINISHED = "status <> 'done'"
CERTIFICATION = "certification_stage IS NOT NULL"


def upgrade():
    op.create_index(
        'ix_milestones_unfinished', 'milestones', ['plan_id', 'status', 'due_date'],
        unique=False, sqlite_where=sa.text(UNFINISHED), postgresql_where=sa.text(UNFINISHED),
    )
    op.create_index(
        'ix_milestones_certification', 'milestones', ['plan_id', 'certification_stage', 'due_date'],
        unique=False, sqlite_where=sa.text(CERTIFICATION),
        postgresql_where=sa.text(CERTIFICATION),
    )


def downgrade():
    op.drop_index('ix_milestones_certification', table_name='milestones')
    op.drop_index('ix_milestones_unfinished', table_name='milestones')
