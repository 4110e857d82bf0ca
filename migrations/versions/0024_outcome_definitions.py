"""outcome definitions: versions of outcomes.yaml (ramped rule, targets, readiness weights)

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30 01:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outcome_definitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('definition_key', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_definitions')),
    sa.UniqueConstraint('definition_key', 'version', name=op.f('uq_outcome_definitions_definition_key'))
    )
    with op.batch_alter_table('outcome_definitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_definitions_definition_key'), ['definition_key'], unique=False)


def downgrade():
    with op.batch_alter_table('outcome_definitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_definitions_definition_key'))

    op.drop_table('outcome_definitions')
