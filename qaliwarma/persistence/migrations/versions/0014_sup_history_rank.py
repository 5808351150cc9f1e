"""supervisor: what each bundle's readers look for in its journal; the summary's order as an index

``sup_bundles.history``: JSON, where the lines of the bundle's journal that the month's readers look for
start (by what they look for: «comite.», «tesoreria.gasto», «reversal», «periodo.cierre», escapes) and its
latest entry date. The school's next bundle starts with these very bytes (``journal_sha``), so what it
holds of them is read from here instead of searched again: a December bundle carries the whole year's
journal. Bundles imported before have none: the next one of their school searches its history, as before,
and keeps it for the one after.

``ix_sup_school_months_rank`` (flag_count DESC, codigo_modular, month): the summary's order, so that a
year's rows are read in it instead of sorted (PostgreSQL sorted 10,000 rows with their flags on disk). It
replaces the index on flag_count alone, which it begins with.

Revision ID: 0014_sup_history_rank
Revises: 0013_sup_checkpoints
Create Date: 2026-12-06 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_sup_history_rank'
down_revision = '0013_sup_checkpoints'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sup_bundles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('history', sa.Text(), nullable=True))
    with op.batch_alter_table('sup_school_months', schema=None) as batch_op:
        batch_op.drop_index('ix_sup_school_months_flag_count')
        batch_op.create_index('ix_sup_school_months_rank', [sa.text('flag_count DESC'), 'codigo_modular', 'month'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sup_school_months', schema=None) as batch_op:
        batch_op.drop_index('ix_sup_school_months_rank')
        batch_op.create_index('ix_sup_school_months_flag_count', ['flag_count'], unique=False)
    with op.batch_alter_table('sup_bundles', schema=None) as batch_op:
        batch_op.drop_column('history')
