"""treasury: the budget headings and their shares enter the journal (``tesoreria.rubros``)

The headings decide what each month is allotted, printed on the balance; the table behind them was the
committee's settings, outside the journal, so a change made to it with another program was seen by nobody.
From this version each change is a ``tesoreria.rubros`` entry and ``verify`` compares the table with the last
one. Committees that already have headings get one entry now, with the headings as they are found, so that a
later change is seen: it is dated the day of the upgrade and signed by the set-up («configuracion»). A
committee without rows uses the defaults, which need no entry. A committee that already has such an entry is
left alone: run again (its alembic_version set back with sqlite3), this script must not bless rows changed by
hand. No table changes.

The entry is written here with the journal's own hashing (``hashed_fields``/``entry_hash``, which every entry
ever written must keep verifying with), in plain SQL: this script must keep working against this revision's
tables whatever the models become later.

Revision ID: 0016_headings_in_journal
Revises: 0015_treasury_day_indexes
Create Date: 2026-12-06 05:00:00
"""
from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = '0016_headings_in_journal'
down_revision = '0015_treasury_day_indexes'
branch_labels = None
depends_on = None

KIND = "tesoreria.rubros"
USER = "configuracion"


def _cents(value) -> str | None:
    """A Numeric(…, 2) as the models read it («70.00»), whatever the driver returns (SQLite: 70, 55.5)."""
    return None if value is None else str(Decimal(str(value)).quantize(Decimal("0.01")))


def upgrade() -> None:
    from qaliwarma import clock
    from qaliwarma.persistence.journal import GENESIS, canonical_json, entry_hash, hashed_fields

    bind = op.get_bind()
    journal = sa.table("journal_entries", *(sa.column(c) for c in (
        "committee_id", "seq", "kind", "entry_date", "payload", "corrects_seq", "correction_type", "reason", "user",
        "recorded_at", "prev_hash", "hash")))
    # the amounts typed as the models type them: SQLite may hold a share as the float 12.365, and the entry
    # must say what the program reads from it (12.37), or verify calls the committee's own headings changed
    headings = sa.table("budget_headings", *(sa.column(c) for c in ("committee_id", "code", "name", "position")),
                        sa.column("share_percent", sa.Numeric(6, 2)), sa.column("fixed_amount", sa.Numeric(12, 2)))
    committees = sa.table("committees", sa.column("id"), sa.column("chain_id"))
    found: dict[int, list] = {}
    for row in bind.execute(sa.select(headings).order_by(headings.c.committee_id, headings.c.position)):
        found.setdefault(row.committee_id, []).append(row)
    day = clock.today()
    entered = set(bind.execute(sa.select(journal.c.committee_id).where(journal.c.kind == KIND)).scalars())
    for committee_id, rows in found.items():
        if committee_id in entered:  # run again (alembic_version set back by hand): what the journal says stands
            continue
        chain_id = bind.execute(sa.select(committees.c.chain_id).where(committees.c.id == committee_id)).scalar()
        if chain_id is None:
            continue
        last = bind.execute(sa.select(journal.c.seq, journal.c.hash).where(journal.c.committee_id == committee_id)
                            .order_by(journal.c.seq.desc()).limit(1)).first()
        seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
        payload = canonical_json({"found": True,  # entered as found at the upgrade (verify: not a change)
                                  "rubros": [{"code": r.code, "name": r.name, "share_percent": _cents(r.share_percent),
                                              "fixed_amount": _cents(r.fixed_amount)} for r in rows]})
        recorded_at = datetime.now(UTC).isoformat(timespec="microseconds")
        fields = hashed_fields(committee=chain_id, seq=seq, kind=KIND, entry_date=day.isoformat(), payload=payload,
                               corrects_seq=None, correction_type=None, reason="", user=USER,
                               recorded_at=recorded_at)
        bind.execute(journal.insert().values(
            committee_id=committee_id, seq=seq, kind=KIND, entry_date=day, payload=payload, corrects_seq=None,
            correction_type=None, reason="", user=USER, recorded_at=recorded_at, prev_hash=prev,
            hash=entry_hash(prev, fields)))


def downgrade() -> None:
    pass  # the entries stay: a journal is never cut short (an older version reads them as settings it ignores)
