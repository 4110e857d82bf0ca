"""stored progress reports: the day and the count of writes a stored copy was confirmed for

Revision ID: 0043
Revises: 0042
Create Date: 2026-11-30 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0043"
down_revision = "0042"
branch_labels = None
depends_on = None


def upgrade():
    # A stored copy from before is confirmed again on its next download (checked < changes).
    with op.batch_alter_table('stored_progress_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('as_of', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('changes', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('checked', sa.Integer(), server_default='-1', nullable=False))


def downgrade():
    with op.batch_alter_table('stored_progress_reports', schema=None) as batch_op:
        batch_op.drop_column('checked')
        batch_op.drop_column('changes')
        batch_op.drop_column('as_of')
