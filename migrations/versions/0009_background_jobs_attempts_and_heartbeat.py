"""background jobs: export attempts and heartbeat, agreements' sealing attempts

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agreement_exports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seal_attempts', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_column('seal_attempts')
    with op.batch_alter_table('agreement_exports', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('attempts')
