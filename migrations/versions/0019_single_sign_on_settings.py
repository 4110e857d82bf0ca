"""single sign-on settings of the organisation: required, the break-glass admin, new accounts

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sso_required', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('sso_break_glass_admin_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sso_creates_accounts', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('sso_new_account_role', sa.Enum('rep', 'coach', 'hr', 'admin', name='role', native_enum=False, length=16), server_default='rep', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_organisation_sso_break_glass_admin_id_users'), 'users', ['sso_break_glass_admin_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organisation_sso_break_glass_admin_id_users'), type_='foreignkey')
        batch_op.drop_column('sso_new_account_role')
        batch_op.drop_column('sso_creates_accounts')
        batch_op.drop_column('sso_break_glass_admin_id')
        batch_op.drop_column('sso_required')
