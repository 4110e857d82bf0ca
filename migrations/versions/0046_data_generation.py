"""the data's generation: every writing transaction counts itself and draws a new token, for kept figures

Revision ID: 0046
Revises: 0045
Create Date: 2026-11-30 17:00:00.000000

"""
import secrets

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0046"
down_revision = "0045"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'data_generation',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('writes', sa.BigInteger(), nullable=False),
        sa.Column('token', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_generation')),
    )
    # A token no figure was kept under: the data as it stands now.
    op.execute(
        sa.text("INSERT INTO data_generation (id, writes, token) VALUES (1, 0, :token)")
        .bindparams(token=secrets.randbits(63))
    )


def downgrade():
    op.drop_table('data_generation')
