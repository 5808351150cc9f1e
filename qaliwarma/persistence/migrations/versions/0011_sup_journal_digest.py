"""supervisor: the journal bytes each bundle was verified with; a bundle set aside as refused

``journal_sha``/``journal_size``: SHA-256 and size of the bundle's journal.jsonl. A later bundle of the
school whose journal starts with exactly these bytes holds exactly the entries verified then, so only its
new entries are hashed and linked (issue 17). Bundles imported before have none: the next bundle of
their school is verified whole, as before.

``chain_id``: the chain's identity the bundle's journal is hashed with (the code the school registered
with, issue 14): a school whose código modular was corrected is still one chain here. Bundles imported
before carry their código modular, which was their chain's identity.

``refused_reason``: a bundle imported once and later refused by the supervisor, who went back to the
genuine bundle of the month (issue 10); it stays on record with the reason, and is refused if imported
again.

Revision ID: 0011_sup_journal_digest
Revises: 0010_chain_identity
Create Date: 2026-12-04 23:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_sup_journal_digest'
down_revision = '0010_chain_identity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sup_bundles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('journal_sha', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('journal_size', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('refused_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('chain_id', sa.String(length=40), nullable=True))
        batch_op.create_index('ix_sup_bundles_chain_id', ['chain_id'], unique=False)
    op.execute("UPDATE sup_bundles SET chain_id = codigo_modular")


def downgrade() -> None:
    with op.batch_alter_table('sup_bundles', schema=None) as batch_op:
        batch_op.drop_index('ix_sup_bundles_chain_id')
        batch_op.drop_column('chain_id')
        batch_op.drop_column('refused_reason')
        batch_op.drop_column('journal_size')
        batch_op.drop_column('journal_sha')
