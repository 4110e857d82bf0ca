"""the data's generation per team: figures kept per team are worked out again only for the teams a transaction wrote to

Revision ID: 0047
Revises: 0046
Create Date: 2026-11-30 19:20:00.000000

"""
import secrets

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0047"
down_revision = "0046"
branch_labels = None
depends_on = None


def upgrade():
    # Team 0 stands for the reps with no team; a team without a row has token 0.
    op.create_table(
        'team_generations',
        sa.Column('team_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('token', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('team_id', name=op.f('pk_team_generations')),
    )
    with op.batch_alter_table('data_generation', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('broad_token', sa.BigInteger(), nullable=False, server_default='0')
        )
    # A token no figure was kept under: the data as it stands now.
    op.execute(
        sa.text("UPDATE data_generation SET broad_token = :token")
        .bindparams(token=secrets.randbits(63))
    )


def downgrade():
    with op.batch_alter_table('data_generation', schema=None) as batch_op:
        batch_op.drop_column('broad_token')
    op.drop_table('team_generations')
