"""recognition of a metric: which activity figure (metric and week) a recognition was for

Revision ID: 0037
Revises: 0036
Create Date: 2026-11-30 06:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('metric', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('week_start', sa.Date(), nullable=True))
        # ``kind`` gains 'metric': a plain VARCHAR(16) (no native enum, no CHECK), unchanged.


def downgrade():
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.drop_column('week_start')
        batch_op.drop_column('metric')
