"""security event log: sign-ins, failures, throttling, refusals, role changes, exports

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 17:13:45.853313

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('security_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.Enum('sign_in', 'sign_in_failed', 'sign_in_throttled', 'permission_denied', 'person_created', 'roles_changed', 'deactivated', 'reactivated', 'password_changed', 'password_reset', 'export', name='eventkind', native_enum=False, length=32), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=400), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('subject_label', sa.String(length=400), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_security_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['subject_id'], ['users.id'], name=op.f('fk_security_events_subject_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_events'))
    )
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_security_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_events_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_events_subject_id'), ['subject_id'], unique=False)



def downgrade():
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_security_events_subject_id'))
        batch_op.drop_index(batch_op.f('ix_security_events_kind'))
        batch_op.drop_index(batch_op.f('ix_security_events_at'))
        batch_op.drop_index(batch_op.f('ix_security_events_actor_id'))

    op.drop_table('security_events')
