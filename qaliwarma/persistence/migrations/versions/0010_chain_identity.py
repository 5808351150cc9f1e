"""committees.chain_id: the chain's identity, apart from the (correctable) código modular

Every journal entry's hash covers the committee's chain identity. Until now that was the código
modular itself, so the code could never be corrected without breaking ``verify`` at entry 1. The
identity is now its own column, fixed at registration: the code the committee registered with,
which is the code every existing chain was hashed with. An existing database's chains therefore
verify unchanged after this upgrade, and the código modular becomes data that a journaled
correction (kind «comite.codigo») may change.

The value is taken from the registration entry (asiento n.º 1), which states the code the chain
started with; the committees row only when that entry cannot be read.

Revision ID: 0010_chain_identity
Revises: 0009_amazonian_schools
Create Date: 2026-12-04 23:40:00
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0010_chain_identity'
down_revision = '0009_amazonian_schools'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('committees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain_id', sa.String(length=40), nullable=True))
    conn = op.get_bind()
    committees = conn.execute(sa.text("SELECT id, codigo_modular FROM committees")).fetchall()
    for committee_id, code in committees:
        first = conn.execute(sa.text("SELECT kind, payload FROM journal_entries WHERE committee_id = :c AND seq = 1"),
                             {"c": committee_id}).first()
        chain = code
        if first is not None and first[0] == "comite.registro":
            try:
                stated = json.loads(first[1]).get("codigo_modular")
            except (ValueError, AttributeError, TypeError):
                stated = None
            if isinstance(stated, str) and stated.strip():
                chain = stated.strip()
        conn.execute(sa.text("UPDATE committees SET chain_id = :chain WHERE id = :c"),
                     {"chain": chain, "c": committee_id})
    with op.batch_alter_table('committees', schema=None) as batch_op:
        batch_op.alter_column('chain_id', existing_type=sa.String(length=40), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('committees', schema=None) as batch_op:
        batch_op.drop_column('chain_id')
