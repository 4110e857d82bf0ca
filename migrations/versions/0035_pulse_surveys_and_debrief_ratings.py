"""pulse surveys (requests naming the rep; responses and answers naming nobody) and debrief ratings

Revision ID: 0035
Revises: 0034
Create Date: 2026-11-30 05:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pulse_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.String(length=48), nullable=False),
    sa.Column('survey_version', sa.String(length=16), nullable=False),
    sa.Column('checkpoint', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('cohort', sa.String(length=7), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_pulse_responses_team_id_teams'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_responses'))
    )
    with op.batch_alter_table('pulse_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_responses_checkpoint'), ['checkpoint'], unique=False)

    op.create_table('pulse_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_key', sa.String(length=48), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['pulse_responses.id'], name=op.f('fk_pulse_answers_response_id_pulse_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_answers'))
    )
    with op.batch_alter_table('pulse_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_answers_response_id'), ['response_id'], unique=False)

    op.create_table('debrief_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('debrief_id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('rated_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_debrief_ratings_coach_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['debrief_id'], ['debriefs.id'], name=op.f('fk_debrief_ratings_debrief_id_debriefs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_debrief_ratings')),
    sa.UniqueConstraint('debrief_id', name=op.f('uq_debrief_ratings_debrief_id'))
    )
    with op.batch_alter_table('debrief_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_debrief_ratings_coach_id'), ['coach_id'], unique=False)

    op.create_table('pulse_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('checkpoint', sa.Integer(), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_pulse_requests_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_pulse_requests_rep_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_requests')),
    sa.UniqueConstraint('plan_id', 'checkpoint', name=op.f('uq_pulse_requests_plan_id'))
    )
    with op.batch_alter_table('pulse_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_requests_rep_id'), ['rep_id'], unique=False)


def downgrade():
    with op.batch_alter_table('pulse_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_requests_rep_id'))

    op.drop_table('pulse_requests')
    with op.batch_alter_table('debrief_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_debrief_ratings_coach_id'))

    op.drop_table('debrief_ratings')
    with op.batch_alter_table('pulse_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_answers_response_id'))

    op.drop_table('pulse_answers')
    with op.batch_alter_table('pulse_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_responses_checkpoint'))

    op.drop_table('pulse_responses')
