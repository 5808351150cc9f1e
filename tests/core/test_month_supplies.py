"""The month's supplies for the monthly report: the programme's deliveries with their partial and
rejected lines, the receipts, and food from the programme apart from food bought by the committee."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from qaliwarma.domain.stock import Reception, ReceptionLine
from qaliwarma.domain.treasury import Expense, PurchaseItem, Transfer
from qaliwarma.services import committee, receiving, treasury
from qaliwarma.services.month_supplies import month_supplies
from qaliwarma.services.setup import demo_form

RUC = "20604512370"


def _line(code, units, accepted, conformity, note=""):
    return ReceptionLine(code, code, "Marca", "BOLSA 1 kg", "BOLSA", Decimal(1000), Decimal(units), Decimal(accepted),
                         f"L-{code}", date(2026, 9, 1), date(2027, 6, 1), "RS-1", "bueno", conformity, note)


def test_deliveries_receipts_and_the_two_kinds_of_food_are_apart(db):
    info = committee.register(db, demo_form(), user="t")
    receiving.record(db, info.id, [
        Reception(date(2026, 11, 3), "AER-1", RUC, "Proveedor SAC", (_line("K1", 10, 10, "conforme"),)),
        Reception(date(2026, 11, 17), "AER-2", RUC, "Proveedor SAC", (
            _line("A1", 20, 15, "parcial", "5 bolsas rotas"), _line("D9", 8, 0, "rechazado", "vencido"),
            _line("K1", 4, 4, "conforme"))),
        Reception(date(2026, 12, 1), "AER-3", RUC, "Proveedor SAC", (_line("K1", 3, 3, "conforme"),)),
    ], user="t")
    treasury.record_transfer(db, info.id, Transfer(date(2026, 11, 2), Decimal("1000.00")), user="t")
    treasury.record_expenses(db, info.id, [
        Expense(date(2026, 11, 5), "alimentos", "boleta", "B003-1", RUC, "Mercado", "papa", Decimal("80.00"),
                "banco", items=(PurchaseItem("U19", "KILO", "1 kg", Decimal("50"), Decimal("1.60")),)),
        Expense(date(2026, 11, 6), "gas", "boleta", "B001-1", RUC, "Gas SAC", "balón", Decimal("58.00"), "banco")],
        user="t")
    got = month_supplies(db, info.id, "2026-11")
    assert [(d.acta, d.conformity) for d in got.deliveries] == [("AER-1", "conforme"), ("AER-2", "parcial")]
    refused = [(ln.food_code, ln.rejected_units) for ln in got.deliveries[1].not_accepted]
    assert refused == [("A1", 5), ("D9", 8)]
    assert (got.partial_lines, got.rejected_lines) == (1, 1)
    # by hand: programme 10 + 15 + 0 + 4 bags of 1 kg accepted in November; bought 50 kg of potatoes for S/ 80
    assert got.programme_g == Decimal(29000)
    assert got.bought_g == Decimal(50000) and got.bought_amount == Decimal("80.00")
    assert [(r.doc_number, r.food) for r in got.receipts] == [("B003-1", True), ("B001-1", False)]
    assert got.receipts_total == Decimal("138.00")
