"""escalations of overdue milestones and commitments (once per item and level), and private calendar feeds

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 22:34:45.508564

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token', name=op.f('uq_calendar_feeds_token')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feeds_user_id'))
    )
    op.create_table('escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=True),
    sa.Column('commitment_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('days_late', sa.Integer(), nullable=False),
    sa.Column('raised_to', sa.String(length=300), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(milestone_id IS NULL) <> (commitment_id IS NULL)', name=op.f('ck_escalations_one_item')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_escalations_commitment_id_commitments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestones.id'], name=op.f('fk_escalations_milestone_id_milestones'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_escalations_rep_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalations')),
    sa.UniqueConstraint('commitment_id', 'level', name=op.f('uq_escalations_commitment_id')),
    sa.UniqueConstraint('milestone_id', 'level', name=op.f('uq_escalations_milestone_id'))
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalations_raised_at'), ['raised_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_rep_id'), ['rep_id'], unique=False)



def downgrade():
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalations_rep_id'))
        batch_op.drop_index(batch_op.f('ix_escalations_raised_at'))

    op.drop_table('escalations')
    op.drop_table('calendar_feeds')
