"""The kardex rebuilt from the journal (services/integrity._kardex) on both backends: every way the app
moves food — services' dosage, recorded issues and what they put back, losses of incidents (and their
re-entry when reported), counts, adjustments, reversals — verifies clean, and a service's issue edited
in the database (the lot's balance adjusted to match) is named by its row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from qaliwarma.domain.stock import KitchenIssueLine
from qaliwarma.services import committee, corrections, demo, incidents, integrity, kitchen_issue, stock
from qaliwarma.services.setup import demo_form

TODAY = date(2026, 11, 26)


@pytest.fixture
def busy(ready_db):
    """The demo on each backend, plus one of every other way food moves."""
    db = ready_db
    info = committee.register(db, demo_form(), user="demo")
    demo.create(db, info, today=TODAY)
    oil = [lot for lot in stock.lots(db, info.id, food_code="D9")][0]
    kitchen_issue.record(db, info, [KitchenIssueLine(date(2026, 11, 12), "almuerzo", "D9", oil.lot, Decimal(900))],
                         user="Rosa")
    [later] = kitchen_issue.record(db, info, [KitchenIssueLine(date(2026, 11, 13), "almuerzo", "D9", "",
                                                               Decimal("850.5"))], user="Rosa")
    corrections.reverse(db, info.id, later.seq, user="Rosa", reason="se anotó en otro día", today=TODAY)
    with db.session() as s:
        service = s.execute(text("SELECT max(seq) FROM journal_entries WHERE kind = 'servicio'")).scalar()
    corrections.reverse(db, info.id, service, user="Rosa", reason="servicio duplicado", today=TODAY)
    with db.session() as s:  # a service whose oil the recorded issue replaced: only its other food goes back
        replaced = s.execute(text("SELECT journal_seq FROM service_records WHERE day = '2026-11-12' AND "
                                  "meal = 'almuerzo' ORDER BY journal_seq LIMIT 1")).scalar()
    corrections.reverse(db, info.id, replaced, user="Rosa", reason="no hubo almuerzo", today=TODAY)
    lost = incidents.record(db, info.id, incidents.Incident(
        date(2026, 11, 16), "producto_mal_estado", "Se mojaron los sacos", food_code="D9", lot=oil.lot,
        lost_grams=Decimal(400)), user="Rosa")
    incidents.mark_reported(db, info.id, lost, "OF-123", user="Rosa", today=TODAY)
    stock.adjust(db, info.id, oil.id, Decimal(-25), "perdida", day=TODAY, user="Rosa")
    stock.physical_count(db, info.id, [stock.CountLine(oil.id, Decimal(oil.balance_grams) - 1000)], day=TODAY,
                         user="Rosa")
    return db, info


def _findings(db):
    [check] = integrity.check_database(db)
    return check


def test_every_way_food_moves_verifies_clean(busy):
    db, _info = busy
    check = _findings(db)
    assert check.ok, check.lines()


def test_a_service_issue_edited_with_its_lot_is_named(busy):
    db, _info = busy
    with db.session() as s:
        mid, seq, lot_id, grams, code = s.execute(text(
            "SELECT m.id, m.journal_seq, m.lot_id, m.grams, m.food_code FROM stock_movements m JOIN journal_entries j "
            "ON j.seq = m.journal_seq WHERE j.kind = 'servicio' AND m.kind = 'salida' ORDER BY m.id LIMIT 1")).one()
        s.execute(text("UPDATE stock_movements SET grams = grams - 1000 WHERE id = :id"), {"id": mid})
        s.execute(text("UPDATE stock_lots SET balance_grams = balance_grams - 1000 WHERE id = :id"), {"id": lot_id})
    check = _findings(db)
    assert not check.ok
    [finding] = check.findings  # the lot agrees with its lines: only the line is wrong
    assert finding.table == "stock_movements" and finding.row == f"id {mid}"
    assert f"n.º {seq} " in finding.what and code in finding.what
    assert f"{Decimal(grams) - 1000:.3f} g" in finding.what and f"{Decimal(grams):.3f} g" in finding.what


def test_a_preparation_whose_dosage_changed_after_serving_still_verifies(busy):
    """The service entry states what it took from the store: a new release of the recipe bank (or the
    committee editing its own preparation) changes tomorrow's dosage, never yesterday's kardex."""
    db, _info = busy
    with db.session() as s:
        s.execute(text("UPDATE ingredient_doses SET grams = grams * 2"))  # every dose doubles
    check = _findings(db)
    assert check.ok, check.lines()


def test_services_recorded_before_entries_stated_their_food_still_verify_after_the_bank_is_re_dosed(
        ready_db, monkeypatch):
    """A committee's database from an earlier version: its service entries do not state what they took
    (``from_store``). An upgrade that re-doses the shipped preparations must not make those honest
    services look altered (verify failing would stop every export and printout)."""
    from qaliwarma.persistence.journal import Journal

    append = Journal.append

    def as_before(self, kind, day, payload, **kw):
        if kind == "servicio":
            payload = {k: v for k, v in payload.items() if k != "from_store"}
        return append(self, kind, day, payload, **kw)

    monkeypatch.setattr(Journal, "append", as_before)
    info = committee.register(ready_db, demo_form(), user="demo")
    demo.create(ready_db, info, today=TODAY)
    monkeypatch.setattr(Journal, "append", append)
    with ready_db.session() as s:
        assert not s.execute(text("SELECT count(*) FROM journal_entries WHERE kind = 'servicio' "
                                  "AND payload LIKE '%from_store%'")).scalar()
        assert s.execute(text("SELECT count(*) FROM journal_entries WHERE kind = 'servicio'")).scalar() > 50
        s.execute(text("UPDATE ingredient_doses SET grams = grams * 2"))  # the upgrade's new doses
    check = _findings(ready_db)
    assert check.ok, check.lines()
