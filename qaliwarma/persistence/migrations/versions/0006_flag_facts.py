"""flags keep their facts as fields

Revision ID: 0006_flag_facts
Revises: 0005_supervision
Create Date: 2026-12-04 20:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_flag_facts'
down_revision = '0005_supervision'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sup_flags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('facts', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sup_flags', schema=None) as batch_op:
        batch_op.drop_column('facts')
