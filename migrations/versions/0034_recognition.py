"""recognition: thanks given to a rep for a milestone, certification or kept commitment

Revision ID: 0034
Revises: 0033
Create Date: 2026-11-30 05:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('recognitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('given_by_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('milestone', 'certification', 'commitment', name='achievementkind', native_enum=False, length=16), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('what', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=280), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['given_by_id'], ['users.id'], name=op.f('fk_recognitions_given_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_recognitions_rep_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_recognitions_team_id_teams'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognitions'))
    )
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recognitions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_recognitions_rep_id'), ['rep_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recognitions_team_id'), ['team_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recognitions_team_id'))
        batch_op.drop_index(batch_op.f('ix_recognitions_rep_id'))
        batch_op.drop_index(batch_op.f('ix_recognitions_created_at'))

    op.drop_table('recognitions')
