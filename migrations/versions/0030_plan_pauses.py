"""plan pauses for leave: a pause row per leave, the current one mirrored on the plan

Revision ID: 0030
Revises: 0029
Create Date: 2026-11-30 05:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paused_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('paused_until', sa.Date(), nullable=True))


    op.create_table('plan_pauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('back_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('shifted_days', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resumed_on', sa.Date(), nullable=True),
    sa.Column('resumed_by_id', sa.Integer(), nullable=True),
    sa.Column('resumed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plan_pauses_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_pauses_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resumed_by_id'], ['users.id'], name=op.f('fk_plan_pauses_resumed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_pauses'))
    )
    with op.batch_alter_table('plan_pauses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_pauses_plan_id'), ['plan_id'], unique=False)


def downgrade():
    with op.batch_alter_table('plan_pauses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_pauses_plan_id'))

    op.drop_table('plan_pauses')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_column('paused_until')
        batch_op.drop_column('paused_from')
