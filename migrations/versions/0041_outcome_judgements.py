"""outcome judgements: each rep's judged outcomes of a day, valid while their stamp holds

Revision ID: 0041
Revises: 0040
Create Date: 2026-11-30 09:40:00.000000

Nothing to backfill: a missing judgement is judged from the raw rows when first read.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0041"
down_revision = "0040"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outcome_stamps',
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('stamp', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_outcome_stamps_rep_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rep_id', name=op.f('pk_outcome_stamps'))
    )
    op.create_table('outcome_judgements',
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('stamp', sa.Integer(), nullable=False),
    sa.Column('start', sa.Date(), nullable=True),
    sa.Column('role', sa.String(length=64), nullable=True),
    sa.Column('first_meeting', sa.Integer(), nullable=True),
    sa.Column('first_opportunity', sa.Integer(), nullable=True),
    sa.Column('first_deal', sa.Integer(), nullable=True),
    sa.Column('ramped_month', sa.Integer(), nullable=True),
    sa.Column('attainments', sa.JSON(), nullable=True),
    sa.Column('score_tenths', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_outcome_judgements_rep_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rep_id', 'day', 'version', name=op.f('pk_outcome_judgements'))
    )
    op.create_table('outcome_milestone_facts',
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=64), nullable=True),
    sa.Column('role', sa.String(length=64), nullable=True),
    sa.Column('key', sa.String(length=64), nullable=True),
    sa.Column('on_time', sa.Boolean(), nullable=False),
    sa.Column('measured', sa.Boolean(), nullable=False),
    sa.Column('start', sa.Date(), nullable=True),
    sa.Column('ramped_month', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_outcome_milestone_facts_rep_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rep_id', 'day', 'version', 'milestone_id', name=op.f('pk_outcome_milestone_facts'))
    )
    op.create_index('ix_outcome_milestone_facts_parts', 'outcome_milestone_facts', ['day', 'version', 'stage', 'role', 'key', 'on_time', 'ramped_month', 'measured', 'start', 'rep_id', 'milestone_id'], unique=False)


def downgrade():
    op.drop_index('ix_outcome_milestone_facts_parts', table_name='outcome_milestone_facts')
    op.drop_table('outcome_milestone_facts')
    op.drop_table('outcome_judgements')
    op.drop_table('outcome_stamps')
