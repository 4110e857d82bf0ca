"""the drivers page's counts of milestone facts, kept per set of reps with their fingerprint

Revision ID: 0044
Revises: 0043
Create Date: 2026-11-30 13:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0044"
down_revision = "0043"
branch_labels = None
depends_on = None


def upgrade():
    # Derived data: empty at first, filled by the first view of each set of reps.
    op.create_table(
        'outcome_driver_counts',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=160), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('counts', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'version', 'scope', name=op.f('pk_outcome_driver_counts')),
    )


def downgrade():
    op.drop_table('outcome_driver_counts')
