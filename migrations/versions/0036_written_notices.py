"""written notices: each covered rep's daily status, and notice episodes with their drafts

Revision ID: 0036
Revises: 0035
Create Date: 2026-11-30 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rep_status_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_rep_status_days_rep_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rep_status_days')),
    sa.UniqueConstraint('rep_id', 'day', name=op.f('uq_rep_status_days_rep_id'))
    )
    with op.batch_alter_table('rep_status_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rep_status_days_rep_id'), ['rep_id'], unique=False)

    op.create_table('notice_episodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('condition_key', sa.String(length=64), nullable=False),
    sa.Column('condition_label', sa.String(length=200), nullable=False),
    sa.Column('clause', sa.String(length=200), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_notice_episodes_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['notice_id'], ['agreements.id'], name=op.f('fk_notice_episodes_notice_id_agreements'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_notice_episodes_rep_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_episodes')),
    sa.UniqueConstraint('agreement_id', 'condition_key', 'started_on', name=op.f('uq_notice_episodes_agreement_id'))
    )
    with op.batch_alter_table('notice_episodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_episodes_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_episodes_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_episodes_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_episodes_rep_id'), ['rep_id'], unique=False)


def downgrade():
    with op.batch_alter_table('notice_episodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_episodes_rep_id'))
        batch_op.drop_index(batch_op.f('ix_notice_episodes_notice_id'))
        batch_op.drop_index(batch_op.f('ix_notice_episodes_created_at'))
        batch_op.drop_index(batch_op.f('ix_notice_episodes_agreement_id'))

    op.drop_table('notice_episodes')
    with op.batch_alter_table('rep_status_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rep_status_days_rep_id'))

    op.drop_table('rep_status_days')
