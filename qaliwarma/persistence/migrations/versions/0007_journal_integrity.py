"""journal integrity: no overwrite or truncate of the journal; supervisor's bundle anchors

Revision ID: 0007_journal_integrity
Revises: 0006_flag_facts
Create Date: 2026-12-04 21:00:00

SQLite's ``INSERT OR REPLACE`` deletes the row it replaces without firing DELETE triggers, and
PostgreSQL's ``TRUNCATE`` fires no row trigger: both bypassed the append-only triggers of 0001. Now an
insert must continue its committee's chain (next number, previous hash), which refuses any overwrite,
and a TRUNCATE trigger refuses emptying the table.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_journal_integrity'
down_revision = '0006_flag_facts'
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    with op.batch_alter_table('sup_bundles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('head', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('closed', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('genesis', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_sup_bundles_genesis'), ['genesis'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION qw_journal_continues() RETURNS trigger AS $$ "
            "DECLARE last_seq integer; last_hash varchar; BEGIN "
            "SELECT seq, hash INTO last_seq, last_hash FROM journal_entries "
            "WHERE committee_id = NEW.committee_id ORDER BY seq DESC LIMIT 1; "
            f"IF NEW.seq <> COALESCE(last_seq, 0) + 1 OR NEW.prev_hash <> COALESCE(last_hash, '{GENESIS}') THEN "
            "RAISE EXCEPTION 'journal entries are append-only: an entry must continue its chain'; END IF; "
            "RETURN NEW; END; $$ LANGUAGE plpgsql"
        )
        op.execute("CREATE TRIGGER journal_continues BEFORE INSERT ON journal_entries "
                   "FOR EACH ROW EXECUTE FUNCTION qw_journal_continues()")
        op.execute("CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON journal_entries "
                   "FOR EACH STATEMENT EXECUTE FUNCTION qw_journal_append_only()")
    else:
        op.execute(
            "CREATE TRIGGER journal_continues BEFORE INSERT ON journal_entries "
            "WHEN EXISTS (SELECT 1 FROM journal_entries WHERE id = NEW.id "
            "OR (committee_id = NEW.committee_id AND seq = NEW.seq)) "
            "OR NEW.seq <> COALESCE((SELECT MAX(seq) FROM journal_entries WHERE committee_id = NEW.committee_id), 0) + 1 "
            f"OR NEW.prev_hash <> COALESCE((SELECT hash FROM journal_entries WHERE committee_id = NEW.committee_id "
            f"ORDER BY seq DESC LIMIT 1), '{GENESIS}') "
            "BEGIN SELECT RAISE(ABORT, 'journal entries are append-only: an entry must continue its chain'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS journal_no_truncate ON journal_entries")
        op.execute("DROP TRIGGER IF EXISTS journal_continues ON journal_entries")
        op.execute("DROP FUNCTION IF EXISTS qw_journal_continues()")
    else:
        op.execute("DROP TRIGGER IF EXISTS journal_continues")
    with op.batch_alter_table('sup_bundles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sup_bundles_genesis'))
        batch_op.drop_column('genesis')
        batch_op.drop_column('closed')
        batch_op.drop_column('head')
