"""supervisor: each school-month's flags with their facts as one JSON document

``sup_school_months.flags``: ``[[code, facts], …]`` in the order measured. The summary reads a year of a
thousand schools (10,000 rows) with their flags from this one column instead of a second query of every
flag row (issue 17). ``sup_flags`` keeps one row per flag, as before. Filled here from ``sup_flags``.

Revision ID: 0012_sup_month_flags
Revises: 0011_sup_journal_digest
Create Date: 2026-12-05 00:40:00
"""
import json
from collections import defaultdict

from alembic import op
import sqlalchemy as sa


revision = '0012_sup_month_flags'
down_revision = '0011_sup_journal_digest'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sup_school_months', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flags', sa.Text(), nullable=True))
    conn = op.get_bind()
    found = defaultdict(list)
    for code, month, kind, facts in conn.execute(sa.text(
            "SELECT codigo_modular, month, kind, facts FROM sup_flags ORDER BY id")):
        found[(code, month)].append([kind, json.loads(facts) if facts else {}])
    for code, month in conn.execute(sa.text("SELECT codigo_modular, month FROM sup_school_months")).fetchall():
        conn.execute(sa.text("UPDATE sup_school_months SET flags = :flags WHERE codigo_modular = :c AND month = :m"),
                     {"flags": json.dumps(found.get((code, month), []), ensure_ascii=False, sort_keys=True),
                      "c": code, "m": month})


def downgrade() -> None:
    with op.batch_alter_table('sup_school_months', schema=None) as batch_op:
        batch_op.drop_column('flags')
