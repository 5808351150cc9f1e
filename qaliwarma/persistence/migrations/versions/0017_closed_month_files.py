"""closed_month_files: a closed month's bundle files as its closing made them

A closed month's bundle was rebuilt from the database every time: a later update of the shipped standards,
preparations or holidays, or a new edition of the food table, changed its files and so the verification code
printed on its signed report. The closing now keeps the month's files (their SHA-256 in the closing entry,
«archivos»), and the month's bundle is made from them.

Revision ID: 0017_closed_month_files
Revises: 0016_headings_in_journal
Create Date: 2026-12-06 17:00:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0017_closed_month_files'
down_revision = '0016_headings_in_journal'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'closed_month_files',
        sa.Column('committee_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['committee_id'], ['committees.id'],
                                name=op.f('fk_closed_month_files_committee_id_committees')),
        sa.PrimaryKeyConstraint('committee_id', 'month', 'name', name=op.f('pk_closed_month_files')),
    )


def downgrade() -> None:
    op.drop_table('closed_month_files')
