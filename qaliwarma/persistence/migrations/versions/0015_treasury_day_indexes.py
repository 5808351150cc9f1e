"""treasury: the month's rows by committee and day, the journal's by committee, kind and day

A month's treasury figures are carried forward from the last closed month (issue 17): only the rows dated
since are summed. Without an index that starts with the committee and goes on with the day, SQLite read
every row of the committee (its index on committee_id alone) and kept those of the month, so the work still
grew with the history.

- ``ix_treasury_expenses_committee_day``, ``ix_treasury_transfers_committee_day`` (committee_id, day);
- ``ix_journal_entries_committee_kind_date`` (committee_id, kind, entry_date): a month's withdrawals and
  reversals of treasury entries, and the closings.

Revision ID: 0015_treasury_day_indexes
Revises: 0014_sup_history_rank
Create Date: 2026-12-08 10:00:00
"""
from alembic import op


revision = '0015_treasury_day_indexes'
down_revision = '0014_sup_history_rank'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('treasury_expenses', schema=None) as batch_op:
        batch_op.create_index('ix_treasury_expenses_committee_day', ['committee_id', 'day'], unique=False)
    with op.batch_alter_table('treasury_transfers', schema=None) as batch_op:
        batch_op.create_index('ix_treasury_transfers_committee_day', ['committee_id', 'day'], unique=False)
    with op.batch_alter_table('journal_entries', schema=None) as batch_op:
        batch_op.create_index('ix_journal_entries_committee_kind_date', ['committee_id', 'kind', 'entry_date'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('journal_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_journal_entries_committee_kind_date')
    with op.batch_alter_table('treasury_transfers', schema=None) as batch_op:
        batch_op.drop_index('ix_treasury_transfers_committee_day')
    with op.batch_alter_table('treasury_expenses', schema=None) as batch_op:
        batch_op.drop_index('ix_treasury_expenses_committee_day')
