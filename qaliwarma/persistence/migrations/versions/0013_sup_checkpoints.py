"""supervisor: the month closings each bundle's journal holds, to compare an older bundle imported later

``sup_bundles.checkpoints``: JSON ``{seq: hash}`` of the closing entries («periodo.cierre») in the bundle's
journal. A bundle of an earlier month imported after a later one must end with the hash the later one
holds at its closing entry; before, only bundles with fewer entries were compared, so a rewritten March
imported after the genuine December was taken. Bundles imported before have none (not compared so).

Revision ID: 0013_sup_checkpoints
Revises: 0012_sup_month_flags
Create Date: 2026-12-05 00:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_sup_checkpoints'
down_revision = '0012_sup_month_flags'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sup_bundles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkpoints', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sup_bundles', schema=None) as batch_op:
        batch_op.drop_column('checkpoints')
