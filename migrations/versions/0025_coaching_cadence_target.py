"""the coaching cadence target: debriefs per rep per month, for the dashboards

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30 01:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('debriefs_per_rep_month', sa.Integer(), server_default='2', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('debriefs_per_rep_month')
