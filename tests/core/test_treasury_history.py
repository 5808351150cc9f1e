"""The month's money from the month: the balance's bank and cash and the cash book's opening balances are
summed from the transfers and expenses (not read back from the whole journal), and a reversal counts
from its own date: before it, the month it cancels still shows the money as spent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from qaliwarma.domain.treasury import Expense, Transfer
from qaliwarma.reports.treasury import cash_book_month
from qaliwarma.services import committee, treasury
from qaliwarma.services.corrections import reverse
from qaliwarma.services.setup import demo_form

RUC = "20604512370"


def _boleta(day, heading, amount, number, payment):
    return Expense(day, heading, "boleta", number, RUC, "Proveedor SAC", "compra", Decimal(amount), payment)


def test_balances_and_cash_book_carry_forward_with_a_later_reversal(db):
    info = committee.register(db, demo_form(), user="Yolanda")
    treasury.record_transfer(db, info.id, Transfer(date(2026, 11, 2), Decimal("1000.00"), "BN 1"), user="Yolanda")
    treasury.record_withdrawal(db, info.id, date(2026, 11, 3), Decimal("100.00"), user="Yolanda")
    treasury.record_expenses(db, info.id, [_boleta(date(2026, 11, 5), "gas", "50.00", "B001-1", "efectivo")],
                             user="Yolanda")
    bank_expense = treasury.record_expenses(db, info.id, [_boleta(date(2026, 11, 6), "alimentos", "200.00", "B001-2",
                                                                  "banco")], user="Yolanda").seqs[0]
    treasury.record_transfer(db, info.id, Transfer(date(2026, 12, 1), Decimal("500.00"), "BN 2"), user="Yolanda")
    reverse(db, info.id, bank_expense, user="Yolanda", reason="boleta anulada", day=date(2026, 12, 3))
    treasury.record_expenses(db, info.id, [_boleta(date(2026, 12, 4), "gas", "30.00", "B001-3", "efectivo")],
                             user="Yolanda")

    november = treasury.balance(db, info.id, "2026-11")
    # by hand: bank 1000 − 100 withdrawn − 200 paid from the bank (reversed only on 3 December); cash 100 − 50
    assert (november.bank, november.cash) == (Decimal("700.00"), Decimal("50.00"))
    december = treasury.balance(db, info.id, "2026-12")
    # bank 1000 − 100 + 500 (the 200 came back with the reversal); cash 100 − 50 − 30
    assert (december.bank, december.cash) == (Decimal("1400.00"), Decimal("20.00"))

    book = cash_book_month(db, info.id, "2026-11")
    assert (book.opening_bank, book.opening_cash) == (0, 0)
    assert [line.concept for line in book.lines] == ["Transferencia BN 1", "Retiro del banco",
                                                     "Gasto n.º 1: compra", "Gasto n.º 2: compra"]
    assert (book.bank, book.cash) == (Decimal("700.00"), Decimal("50.00"))
    book = cash_book_month(db, info.id, "2026-12")
    # carried into December: what November ended with; the November payment cancelled on 3 December is a
    # December line (the 200 back in the bank), not a change of what November ended with
    assert (book.opening_bank, book.opening_cash) == (november.bank, november.cash)
    assert [(line.day, line.bank_in, line.cash_out) for line in book.lines] == [
        (date(2026, 12, 1), Decimal("500.00"), 0), (date(2026, 12, 3), Decimal("200.00"), 0),
        (date(2026, 12, 4), 0, Decimal("30.00"))]
    assert book.lines[1].concept.startswith(f"Anulación del asiento n.º {bank_expense} (06/11/2026)")
    assert (book.bank, book.cash) == (december.bank, december.cash)
