"""one active plan per rep: the database says so, and lists find it without a subquery

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 20:30:00.000000

Assigning a plan always archived the rep's previous one, but two assignments at once could
leave a rep with two active plans. Any such extra plans (all but the latest assigned) are
archived first, as the app already treated them, then a unique partial index holds the rule.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

ACTIVE = "archived_at IS NULL"


def upgrade():
    op.execute(
        """
        UPDATE plans SET archived_at = CURRENT_TIMESTAMP
        WHERE archived_at IS NULL AND EXISTS (
            SELECT 1 FROM plans AS later
            WHERE later.rep_id = plans.rep_id AND later.archived_at IS NULL
              AND (later.assigned_at > plans.assigned_at
                   OR (later.assigned_at = plans.assigned_at AND later.id > plans.id))
        )
        """
    )
    op.create_index(
        'ux_plans_one_active', 'plans', ['rep_id'], unique=True,
        sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE),
    )


def downgrade():
    op.drop_index('ux_plans_one_active', table_name='plans')
