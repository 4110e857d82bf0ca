"""activity figures imported from CRMs and logged by reps

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-29 22:49:00.654441

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('rep_match', sa.Enum('email', 'name', name='repmatch', native_enum=False, length=24), nullable=False),
    sa.Column('rep_column', sa.String(length=200), nullable=False),
    sa.Column('date_column', sa.String(length=200), nullable=False),
    sa.Column('period', sa.Enum('day', 'week', name='period', native_enum=False, length=24), nullable=False),
    sa.Column('date_format', sa.String(length=20), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_activity_sources_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_activity_sources_name'))
    )
    op.create_table('activity_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('preview', 'queued', 'running', 'done', 'failed', name='importstatus', native_enum=False, length=24), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('checked_rows', sa.Integer(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('replaced', sa.Integer(), nullable=False),
    sa.Column('removed', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_activity_imports_requested_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['activity_sources.id'], name=op.f('fk_activity_imports_source_id_activity_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_imports'))
    )
    with op.batch_alter_table('activity_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_imports_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_imports_source_id'), ['source_id'], unique=False)

    op.create_table('activity_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.Enum('crm', 'self', name='origin', native_enum=False, length=8), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.Enum('day', 'week', name='period', native_enum=False, length=8), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('dials', sa.Integer(), nullable=True),
    sa.Column('conversations', sa.Integer(), nullable=True),
    sa.Column('meetings_booked', sa.Integer(), nullable=True),
    sa.Column('meetings_held', sa.Integer(), nullable=True),
    sa.Column('opportunities', sa.Integer(), nullable=True),
    sa.Column('deals_won', sa.Integer(), nullable=True),
    sa.Column('revenue_cents', sa.BigInteger(), nullable=True),
    sa.Column('call_minutes', sa.Integer(), nullable=True),
    sa.Column('meeting_minutes', sa.Integer(), nullable=True),
    sa.Column('selling_minutes', sa.Integer(), nullable=True),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['activity_imports.id'], name=op.f('fk_activity_figures_import_id_activity_imports'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_activity_figures_rep_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['activity_sources.id'], name=op.f('fk_activity_figures_source_id_activity_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_figures')),
    sa.UniqueConstraint('source_id', 'rep_id', 'period_start', 'period', name=op.f('uq_activity_figures_source_id'))
    )
    with op.batch_alter_table('activity_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_figures_import_id'), ['import_id'], unique=False)
        batch_op.create_index('ix_activity_figures_rep_week', ['rep_id', 'week_start'], unique=False)
        batch_op.create_index('ix_activity_figures_week', ['week_start', 'origin'], unique=False)
        batch_op.create_index('ux_activity_figures_one_log_a_day', ['rep_id', 'period_start'], unique=True, sqlite_where=sa.text('source_id IS NULL'), postgresql_where=sa.text('source_id IS NULL'))



def downgrade():
    with op.batch_alter_table('activity_figures', schema=None) as batch_op:
        batch_op.drop_index('ux_activity_figures_one_log_a_day', sqlite_where=sa.text('source_id IS NULL'), postgresql_where=sa.text('source_id IS NULL'))
        batch_op.drop_index('ix_activity_figures_week')
        batch_op.drop_index('ix_activity_figures_rep_week')
        batch_op.drop_index(batch_op.f('ix_activity_figures_import_id'))

    op.drop_table('activity_figures')
    with op.batch_alter_table('activity_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_imports_source_id'))
        batch_op.drop_index(batch_op.f('ix_activity_imports_created_at'))

    op.drop_table('activity_imports')
    op.drop_table('activity_sources')
