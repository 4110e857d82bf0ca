"""quests, points and team leaderboards: quest_templates, points_rules, team_leaderboards,
quest_completions

Revision ID: 0033
Revises: 0032
Create Date: 2026-11-30 05:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def _versioned(table, key):
    op.create_table(table,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column(key, sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    *_own_columns(table),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    sa.UniqueConstraint(key, 'version', name=op.f(f'uq_{table}_{key}'))
    )
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_{key}'), [key], unique=False)


def _own_columns(table):
    columns = [sa.Column('title', sa.String(length=200), nullable=False)]
    if table == 'quest_templates':
        columns.append(sa.Column('scope', sa.String(length=16), nullable=False))
    return columns


def upgrade():
    _versioned('quest_templates', 'quest_key')
    _versioned('points_rules', 'rules_key')
    op.create_table('team_leaderboards',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('privacy', sa.Enum('names', 'hidden', 'neighbours', name='privacy', native_enum=False, length=16), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_team_leaderboards_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_leaderboards_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', name=op.f('pk_team_leaderboards'))
    )
    op.create_table('quest_completions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quest_key', sa.String(length=64), nullable=False),
    sa.Column('quest_version', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.Date(), nullable=False),
    sa.Column('subject', sa.String(length=32), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_quest_completions_rep_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_quest_completions_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quest_completions')),
    sa.UniqueConstraint('quest_key', 'window_start', 'subject', name=op.f('uq_quest_completions_quest_key'))
    )
    with op.batch_alter_table('quest_completions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quest_completions_rep_id'), ['rep_id'], unique=False)


def downgrade():
    with op.batch_alter_table('quest_completions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quest_completions_rep_id'))
    op.drop_table('quest_completions')
    op.drop_table('team_leaderboards')
    for table, key in (('points_rules', 'rules_key'), ('quest_templates', 'quest_key')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_{key}'))
        op.drop_table(table)
