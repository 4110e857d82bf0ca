"""scheduled certification assessments

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 01:52:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scheduled_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=64), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('place', sa.String(length=500), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', 'held', name='schedulestatus', native_enum=False, length=16), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assessor_id'], ['users.id'], name=op.f('fk_scheduled_assessments_assessor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['attempt_id'], ['certification_attempts.id'], name=op.f('fk_scheduled_assessments_attempt_id_certification_attempts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_scheduled_assessments_rep_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduled_assessments'))
    )
    with op.batch_alter_table('scheduled_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheduled_assessments_assessor_id'), ['assessor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scheduled_assessments_rep_id'), ['rep_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scheduled_assessments_starts_at'), ['starts_at'], unique=False)


def downgrade():
    with op.batch_alter_table('scheduled_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheduled_assessments_starts_at'))
        batch_op.drop_index(batch_op.f('ix_scheduled_assessments_rep_id'))
        batch_op.drop_index(batch_op.f('ix_scheduled_assessments_assessor_id'))

    op.drop_table('scheduled_assessments')
