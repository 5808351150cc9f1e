"""people: members' PINs and roles' permissions

Revision ID: 0008_people
Revises: 0007_journal_integrity
Create Date: 2026-12-04 20:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_people'
down_revision = '0007_journal_integrity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('member_credentials',
    sa.Column('committee_id', sa.Integer(), nullable=False),
    sa.Column('dni', sa.String(length=8), nullable=False),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('failed_tries', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.Column('set_by', sa.String(length=160), nullable=False),
    sa.ForeignKeyConstraint(['committee_id'], ['committees.id'], name=op.f('fk_member_credentials_committee_id_committees')),
    sa.PrimaryKeyConstraint('committee_id', 'dni', name=op.f('pk_member_credentials'))
    )
    op.create_table('role_permissions',
    sa.Column('committee_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['committee_id'], ['committees.id'], name=op.f('fk_role_permissions_committee_id_committees')),
    sa.PrimaryKeyConstraint('committee_id', 'action', 'role', name=op.f('pk_role_permissions'))
    )


def downgrade() -> None:
    op.drop_table('role_permissions')
    op.drop_table('member_credentials')
