"""stored progress reports: each rep's rendered report PDF, kept while its fingerprint holds

Revision ID: 0038
Revises: 0037
Create Date: 2026-11-30 06:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_progress_reports',
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('rendered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_stored_progress_reports_rep_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rep_id', name=op.f('pk_stored_progress_reports'))
    )


def downgrade():
    op.drop_table('stored_progress_reports')
