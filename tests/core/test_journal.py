"""The journal: append-only, hash-chained, corrections as new entries, closed months refused."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from qaliwarma.errors import JournalError, NotFound, PeriodClosed
from qaliwarma.persistence.journal import ADJUSTMENT, REVERSAL, Journal
from qaliwarma.persistence.models import Committee


def _committee(s, code="0456789") -> int:
    row = Committee(
        codigo_modular=code, school_name="I.E. Prueba", ugel="UGEL Prueba", region="sierra",
        department="Huancavelica", province="Huancavelica", district="Huancavelica", ubigeo="090101",
        quintile=1, modality="productos", programme_name="Qali Warma", created_at=datetime.now(),
    )
    s.add(row)
    s.flush()
    return row.id


def _receipt(kg: str) -> dict:
    return {"product": "A3", "lot": "L-001", "grams": Decimal(kg) * 1000, "price": Decimal("3.50")}


def test_entries_chain_and_verify(empty_db):
    with empty_db.session() as s:
        cid = _committee(s)
        j = Journal(s, cid)
        first = j.append("stock.recepcion", date(2027, 3, 2), _receipt("25"), user="Rosa")
        second = j.append("stock.recepcion", date(2027, 3, 3), _receipt("10"), user="Rosa")
    assert (first.seq, second.seq) == (1, 2)
    assert second.prev_hash == first.hash
    assert first.payload["grams"] == "25000"  # Decimals are stored exactly, as text
    with empty_db.session() as s:
        check = Journal(s, cid).verify()
    assert check.ok and check.entries == 2 and check.head == second.hash


def test_database_refuses_update_and_delete_of_entries(empty_db):
    with empty_db.session() as s:
        cid = _committee(s)
        Journal(s, cid).append("stock.recepcion", date(2027, 3, 2), _receipt("25"), user="Rosa")
    for statement in ("UPDATE journal_entries SET payload = '{}'", "DELETE FROM journal_entries"):
        with pytest.raises(DBAPIError, match="append-only"):
            with empty_db.session() as s:
                s.execute(text(statement))
    with empty_db.session() as s:
        assert Journal(s, cid).count() == 1


def _tamper(db, sql: str) -> None:
    """Edit the journal behind the application's back, as someone with a database tool could."""
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.execute(text("DROP TRIGGER journal_no_update"))
        else:
            conn.execute(text("ALTER TABLE journal_entries DISABLE TRIGGER journal_append_only"))
        conn.execute(text(sql))


def test_verify_names_the_first_altered_entry(empty_db):
    with empty_db.session() as s:
        cid = _committee(s)
        j = Journal(s, cid)
        for kg in ("25", "10", "5"):
            j.append("stock.recepcion", date(2027, 3, 2), _receipt(kg), user="Rosa")
    _tamper(empty_db, "UPDATE journal_entries SET payload = replace(payload, '10000', '11000') WHERE seq = 2")
    with empty_db.session() as s:
        check = Journal(s, cid).verify()
    assert not check.ok
    assert check.first_bad_seq == 2
    assert "n.º 2" in check.message()


def test_reversal_keeps_the_original_and_the_chain_verifies(empty_db):
    with empty_db.session() as s:
        cid = _committee(s)
        j = Journal(s, cid)
        original = j.append("stock.recepcion", date(2027, 3, 2), _receipt("25"), user="Rosa")
        reversal = j.reverse(original.seq, user="Julio", reason="Cantidad mal digitada", entry_date=date(2027, 3, 4))
    assert reversal.correction_type == REVERSAL and reversal.corrects_seq == original.seq
    assert reversal.payload == original.payload and reversal.reason == "Cantidad mal digitada"
    with empty_db.session() as s:
        j = Journal(s, cid)
        assert [e.seq for e in j.entries()] == [1, 2]
        assert j.get(1).payload == original.payload  # the original is still there, unchanged
        assert j.verify().ok
        with pytest.raises(JournalError, match="ya fue revertido"):
            j.reverse(1, user="Julio", reason="otra vez", entry_date=date(2027, 3, 5))


def test_correction_needs_a_reason_and_an_existing_entry(empty_db):
    with empty_db.session() as s:
        cid = _committee(s)
        j = Journal(s, cid)
        j.append("stock.recepcion", date(2027, 3, 2), _receipt("25"), user="Rosa")
        with pytest.raises(JournalError, match="motivo"):
            j.adjust(1, {"grams": "-500"}, user="Julio", reason=" ", entry_date=date(2027, 3, 4))
        with pytest.raises(NotFound, match="n.º 9"):
            j.adjust(9, {"grams": "-500"}, user="Julio", reason="merma", entry_date=date(2027, 3, 4))
        adj = j.adjust(1, {"grams": "-500"}, user="Julio", reason="merma", entry_date=date(2027, 3, 4))
        assert adj.correction_type == ADJUSTMENT


def test_closed_month_refuses_entries_and_corrections_go_to_an_open_month(empty_db):
    with empty_db.session() as s:
        cid = _committee(s)
        j = Journal(s, cid)
        j.append("stock.recepcion", date(2027, 3, 30), _receipt("25"), user="Rosa")
        j.close_month("2027-03", user="Rosa")
    with empty_db.session() as s:
        j = Journal(s, cid)
        with pytest.raises(PeriodClosed, match="2027-03 está cerrado"):
            j.append("stock.recepcion", date(2027, 3, 31), _receipt("1"), user="Rosa")
        with pytest.raises(PeriodClosed):
            j.reverse(1, user="Rosa", reason="error", entry_date=date(2027, 3, 31))
        fix = j.reverse(1, user="Rosa", reason="error de marzo", entry_date=date(2027, 4, 1))
        assert fix.corrects_seq == 1 and fix.entry_date == date(2027, 4, 1)


def test_each_committee_has_its_own_chain(empty_db):
    with empty_db.session() as s:
        a, b = _committee(s, "1111111"), _committee(s, "2222222")
        ea = Journal(s, a).append("x", date(2027, 3, 2), {"n": 1}, user="u")
        eb = Journal(s, b).append("x", date(2027, 3, 2), {"n": 1}, user="u")
    assert ea.seq == eb.seq == 1
    assert ea.hash != eb.hash  # the código modular is part of what is hashed
