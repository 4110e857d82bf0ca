"""certificates rendered once and stored on the attempt

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 15:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certification_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificate_pdf', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('certificate_sha256', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('certification_attempts', schema=None) as batch_op:
        batch_op.drop_column('certificate_sha256')
        batch_op.drop_column('certificate_pdf')
