"""agreement signing deadlines ("sign by"), for single and bulk sends

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 01:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sign_by', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_agreements_sign_by'), ['sign_by'], unique=False)

    with op.batch_alter_table('bulk_sends', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sign_by', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('bulk_sends', schema=None) as batch_op:
        batch_op.drop_column('sign_by')

    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreements_sign_by'))
        batch_op.drop_column('sign_by')
