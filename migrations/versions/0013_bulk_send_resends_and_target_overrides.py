"""bulk sends keep the reps HR chose to send again, and the reason for overriding plan targets

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bulk_sends', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resend_rep_ids', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('override_reason', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('bulk_sends', schema=None) as batch_op:
        batch_op.drop_column('override_reason')
        batch_op.drop_column('resend_rep_ids')
