"""peer buddies: pairings (one active per new hire), check-ins, their commitments, lapses

Revision ID: 0032
Revises: 0031
Create Date: 2026-11-30 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('buddy_pairings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('buddy_id', sa.Integer(), nullable=False),
    sa.Column('paired_by_id', sa.Integer(), nullable=True),
    sa.Column('paired_on', sa.Date(), nullable=False),
    sa.Column('paired_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.Column('end_reason', sa.String(length=300), nullable=False),
    sa.CheckConstraint('rep_id <> buddy_id', name=op.f('ck_buddy_pairings_not_self')),
    sa.ForeignKeyConstraint(['buddy_id'], ['users.id'], name=op.f('fk_buddy_pairings_buddy_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_buddy_pairings_ended_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['paired_by_id'], ['users.id'], name=op.f('fk_buddy_pairings_paired_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_buddy_pairings_rep_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_pairings'))
    )
    with op.batch_alter_table('buddy_pairings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_pairings_buddy_id'), ['buddy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_buddy_pairings_rep_id'), ['rep_id'], unique=False)
    op.create_index(
        'ux_buddy_pairings_one_active', 'buddy_pairings', ['rep_id'], unique=True,
        sqlite_where=sa.text('ended_at IS NULL'),
        postgresql_where=sa.text('ended_at IS NULL'),
    )

    op.create_table('buddy_check_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('worked_on', sa.Text(), nullable=False),
    sa.Column('blockers', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['pairing_id'], ['buddy_pairings.id'], name=op.f('fk_buddy_check_ins_pairing_id_buddy_pairings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_buddy_check_ins_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_check_ins')),
    sa.UniqueConstraint('pairing_id', 'due_on', name=op.f('uq_buddy_check_ins_pairing_id'))
    )
    with op.batch_alter_table('buddy_check_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_check_ins_pairing_id'), ['pairing_id'], unique=False)

    op.create_table('buddy_commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_in_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=300), nullable=False),
    sa.Column('kept', sa.Boolean(), nullable=True),
    sa.Column('reviewed_in_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['check_in_id'], ['buddy_check_ins.id'], name=op.f('fk_buddy_commitments_check_in_id_buddy_check_ins'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_in_id'], ['buddy_check_ins.id'], name=op.f('fk_buddy_commitments_reviewed_in_id_buddy_check_ins'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_commitments'))
    )
    with op.batch_alter_table('buddy_commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_commitments_check_in_id'), ['check_in_id'], unique=False)

    op.create_table('buddy_lapses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('first_missed_on', sa.Date(), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['pairing_id'], ['buddy_pairings.id'], name=op.f('fk_buddy_lapses_pairing_id_buddy_pairings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_lapses')),
    sa.UniqueConstraint('pairing_id', 'first_missed_on', name=op.f('uq_buddy_lapses_pairing_id'))
    )
    with op.batch_alter_table('buddy_lapses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_lapses_pairing_id'), ['pairing_id'], unique=False)


def downgrade():
    op.drop_table('buddy_lapses')
    op.drop_table('buddy_commitments')
    op.drop_table('buddy_check_ins')
    op.drop_index('ux_buddy_pairings_one_active', table_name='buddy_pairings')
    op.drop_table('buddy_pairings')
