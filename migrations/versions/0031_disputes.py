"""disputes of certification results, debrief notes and score corrections; acknowledgements

Revision ID: 0031
Revises: 0030
Create Date: 2026-11-30 05:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('acknowledgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_kind', sa.Enum('certification', 'debrief', 'correction', name='itemkind', native_enum=False, length=24), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_acknowledgements_rep_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acknowledgements')),
    sa.UniqueConstraint('item_kind', 'item_id', name=op.f('uq_acknowledgements_item_kind'))
    )
    with op.batch_alter_table('acknowledgements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acknowledgements_rep_id'), ['rep_id'], unique=False)

    op.create_table('disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_kind', sa.Enum('certification', 'debrief', 'correction', name='itemkind', native_enum=False, length=24), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('item_label', sa.String(length=200), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.Enum('open', 'upheld', 'changed', 'rejected', name='disputestatus', native_enum=False, length=24), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('correction_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['correction_id'], ['score_corrections.id'], name=op.f('fk_disputes_correction_id_score_corrections'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_disputes_rep_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_disputes_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disputes_rep_id'), ['rep_id'], unique=False)
        batch_op.create_index('ix_disputes_status_opened', ['status', 'opened_at'], unique=False)
        batch_op.create_index('ux_disputes_one_open', ['item_kind', 'item_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))


def downgrade():
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index('ux_disputes_one_open', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index('ix_disputes_status_opened')
        batch_op.drop_index(batch_op.f('ix_disputes_rep_id'))

    op.drop_table('disputes')
    with op.batch_alter_table('acknowledgements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acknowledgements_rep_id'))

    op.drop_table('acknowledgements')
