"""Concurrent writers of one committee (issue 11): every check that reads existing rows (duplicate
document, heading balance, expense numbering, duplicate acta) runs under the committee's lock, on
SQLite and on PostgreSQL; a writer that waits too long gets a Spanish message, never a traceback."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from qaliwarma.domain.treasury import Expense, Transfer
from qaliwarma.errors import DatabaseBusy, InvalidInput, QaliwarmaError
from qaliwarma.persistence.journal import Journal
from qaliwarma.persistence.models import TreasuryExpense
from qaliwarma.services import committee, treasury
from qaliwarma.services.integrity import check_database
from qaliwarma.services.setup import demo_form

RUC = "20604512370"
DAY = date(2026, 11, 2)
WRITERS = 10


def _run_at_once(work, n=WRITERS):
    """Run ``work(i)`` in ``n`` threads released together; each outcome is what it returned or raised."""
    barrier = threading.Barrier(n)
    outcomes: list = [None] * n

    def run(i):
        barrier.wait()
        try:
            outcomes[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects every outcome
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return outcomes


def test_ten_concurrent_writers_never_duplicate_a_document_overspend_or_repeat_a_number(empty_db):
    info = committee.register(empty_db, demo_form(), user="Yolanda")
    treasury.record_transfer(empty_db, info.id, Transfer(DAY, Decimal("80.00"), "BN 1"), user="Yolanda")
    # S/ 80.00 received, paid by bank: two S/ 30.00 expenses fit, a third does not (a heading's share is
    # only a warning; the money received is the hard limit).
    documents = [f"B001-00000{i % 5 + 1}" for i in range(WRITERS)]  # five documents, each tried twice

    def write(i):
        expense = Expense(DAY, "gas", "boleta", documents[i], RUC, "Gas SAC", "Balón de gas", Decimal("30.00"),
                          "banco")
        return treasury.record_expenses(empty_db, info.id, [expense], user=f"tesorero {i}")

    outcomes = _run_at_once(write)
    unexpected = [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, QaliwarmaError)]
    assert not unexpected, unexpected  # never a raw database error
    assert all(isinstance(o, InvalidInput | DatabaseBusy) for o in outcomes if isinstance(o, Exception))
    with empty_db.session() as s:
        rows = s.execute(select(TreasuryExpense.number, TreasuryExpense.doc_number, TreasuryExpense.amount)
                         .where(TreasuryExpense.committee_id == info.id)).all()
        assert Journal(s, info.id).verify().ok
    assert len(rows) == 2, [str(o) for o in outcomes]  # exactly what the money received allows
    assert sorted(r.number for r in rows) == [1, 2]
    assert len({r.doc_number for r in rows}) == 2
    assert sum(r.amount for r in rows) <= Decimal("80.00")
    assert all(c.ok for c in check_database(empty_db))
    refused = [o for o in outcomes if isinstance(o, InvalidInput)]
    assert len(refused) == WRITERS - 2
    assert all("ya está registrado" in o.message or "supera el dinero recibido" in o.message for o in refused)


def test_a_sqlite_writer_that_waits_too_long_gets_a_spanish_message(db, monkeypatch):
    from qaliwarma.persistence import engine

    info = committee.register(db, demo_form(), user="Yolanda")
    path = db.url.removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, timeout=0)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    monkeypatch.setattr(engine, "BUSY_SECONDS", 1)
    try:
        db.engine.dispose()
        with db.engine.connect() as conn:  # the timeout the application uses, shortened for the test
            conn.exec_driver_sql("PRAGMA busy_timeout=300")
        try:
            treasury.record_transfer(db, info.id, Transfer(DAY, Decimal("100.00"), "BN 2"), user="Yolanda")
        except DatabaseBusy as exc:
            assert "ocupada por otra operación" in exc.message and "no se guardó nada" in exc.message
        else:
            raise AssertionError("the writer should have been refused while the other held the lock")
    finally:
        blocker.rollback()
        blocker.close()
    seq = treasury.record_transfer(db, info.id, Transfer(DAY, Decimal("100.00"), "BN 2"), user="Yolanda")
    assert seq > 1  # once the other program is done, the same operation goes through


def test_a_record_that_repeats_one_already_kept_is_told_so_not_only_to_try_again(db, caplog):
    """A unique rule the forms' checks did not foresee used to read «Vuelva a intentarlo…» alone: trying again
    fails the same way every time. The message now also names that the data repeat something recorded before,
    and the log keeps which rule (for whoever helps the committee)."""
    import logging

    import pytest

    from qaliwarma.persistence.models import AppSetting

    with db.session() as s:
        s.add(AppSetting(key="prueba", value="1"))
    with caplog.at_level(logging.WARNING, logger="qaliwarma.persistence.engine"), pytest.raises(DatabaseBusy) as told:
        with db.session() as s:
            s.add(AppSetting(key="prueba", value="2"))  # the same key: the database refuses it
    assert "porque repiten algo registrado antes" in str(told.value) and "No se guardó nada" in str(told.value)
    assert any("Choque al guardar" in r.getMessage() and "app_settings" in r.getMessage() for r in caplog.records)
    with db.session() as s:
        assert s.get(AppSetting, "prueba").value == "1"  # nothing changed
