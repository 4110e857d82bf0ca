"""exactly once: submission keys, and row versions for optimistic locking of debriefs and people

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 17:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'submissions',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('result_id', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_submissions')),
    )
    with op.batch_alter_table('debriefs', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('row_version', sa.Integer(), nullable=False, server_default='1')
        )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('row_version', sa.Integer(), nullable=False, server_default='1')
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('row_version')
    with op.batch_alter_table('debriefs', schema=None) as batch_op:
        batch_op.drop_column('row_version')
    op.drop_table('submissions')
