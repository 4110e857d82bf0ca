"""bulk sends recorded by the request and sent by the job worker, once per (bulk send, rep)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bulk_sends',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('rep_ids', sa.JSON(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('ip_address', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='bulksendstatus', native_enum=False, length=24), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('sent', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_bulk_sends_requested_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_id'], ['agreement_templates.id'], name=op.f('fk_bulk_sends_template_id_agreement_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulk_sends'))
    )
    with op.batch_alter_table('bulk_sends', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulk_sends_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bulk_send_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_agreements_bulk_send_id'), ['bulk_send_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_agreements_bulk_send_id'), ['bulk_send_id', 'rep_id'])
        batch_op.create_foreign_key(batch_op.f('fk_agreements_bulk_send_id_bulk_sends'), 'bulk_sends', ['bulk_send_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_agreements_bulk_send_id_bulk_sends'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_agreements_bulk_send_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_agreements_bulk_send_id'))
        batch_op.drop_column('bulk_send_id')

    with op.batch_alter_table('bulk_sends', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulk_sends_created_at'))

    op.drop_table('bulk_sends')
