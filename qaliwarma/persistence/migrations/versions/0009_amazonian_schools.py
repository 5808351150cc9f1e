"""committees: school of an Amazonian indigenous community (lunch whatever the quintile)

Revision ID: 0009_amazonian_schools
Revises: 0008_people
Create Date: 2026-12-04 21:35:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_amazonian_schools'
down_revision = '0008_people'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('committees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amazonian_indigenous', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('committees', schema=None) as batch_op:
        batch_op.drop_column('amazonian_indigenous')
