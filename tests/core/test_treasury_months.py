"""Every month's treasury balance, and the cash book's balances carried into each month, equal a
from-scratch recomputation: the operations that were accepted, added up here by hand in a plain model
(no treasury code), for a random history of transfers, withdrawals, bank and cash payments over several
months and reversals dated later than what they cancel. A month's balance is as of its end: a reversal
counts from its own date, so a later one rewrites neither the month's figures nor its verification code."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qaliwarma.domain.treasury import Expense, Transfer
from qaliwarma.errors import InvalidInput
from qaliwarma.reports.treasury import cash_book_month
from qaliwarma.services import committee, treasury
from qaliwarma.services.corrections import reverse
from qaliwarma.services.setup import demo_form


@pytest.fixture(autouse=True)
def _as_of_the_end_of_2027(monkeypatch):
    """These records are dated in 2027: the tests run as of its end (nothing is recorded ahead of today)."""
    monkeypatch.setenv("QALIWARMA_TODAY", "2027-12-31")


RUC = "20604512370"
MONTHS = ["2027-03", "2027-04", "2027-05", "2027-06"]
HEADINGS = ["alimentos", "gas", "transporte"]
ZERO = Decimal(0)


@dataclass
class Op:
    kind: str  # transfer | withdrawal | expense
    day: date
    amount: Decimal
    seq: int
    payment: str = ""
    heading: str = ""
    reversed_on: date | None = None  # the reversal's date


def _end(month: str) -> date:
    y, m = (int(x) for x in month.split("-"))
    return date(y, m, calendar.monthrange(y, m)[1])


def _counts(op: Op, until: date) -> bool:
    """Bank and cash: a line dated up to ``until`` counts unless a reversal dated up to ``until`` cancels it."""
    return op.day <= until and (op.reversed_on is None or op.reversed_on > until)


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("300.00"), places=2)
expense = st.tuples(st.just("expense"), st.integers(0, 3), st.integers(1, 28), money,
                    st.sampled_from(["banco", "efectivo"]), st.sampled_from(HEADINGS))
operation = st.one_of(
    st.tuples(st.just("transfer"), st.integers(0, 3), st.integers(1, 28), money.map(lambda m: m * 10)),
    st.tuples(st.just("withdrawal"), st.integers(0, 3), st.integers(1, 28), money),
    expense, expense,
    st.tuples(st.just("reverse"), st.integers(0, 3), st.integers(1, 28), st.integers(0, 40)),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(ops=st.lists(operation, min_size=3, max_size=24))
def test_each_months_balance_equals_a_recomputation_from_scratch(template_sqlite, tmp_path_factory, ops):
    from tests.dbfixtures import copy_sqlite

    db = copy_sqlite(template_sqlite, tmp_path_factory.mktemp("months") / "qw.sqlite3")
    info = committee.register(db, demo_form(), user="t")
    done: list[Op] = []
    base = []  # each month starts with its transfer and a withdrawal for cash, so that most payments are accepted
    for k in range(len(MONTHS)):
        base += [("transfer", k, 1, Decimal("2000.00")), ("withdrawal", k, 2, Decimal("400.00"))]
    for n, (kind, month, day_of_month, *rest) in enumerate(base + ops):
        day = date.fromisoformat(MONTHS[month] + "-01").replace(day=day_of_month)
        try:
            if kind == "transfer":
                seq = treasury.record_transfer(db, info.id, Transfer(day, rest[0], f"BN {n}"), user="t")
                done.append(Op(kind, day, rest[0], seq))
            elif kind == "withdrawal":
                seq = treasury.record_withdrawal(db, info.id, day, rest[0], user="t")
                done.append(Op(kind, day, rest[0], seq))
            elif kind == "expense":
                amount, payment, heading = rest
                seq = treasury.record_expenses(db, info.id, [Expense(day, heading, "boleta", f"B001-{n + 1:06d}", RUC,
                                                                     "Proveedor SAC", "compra", amount, payment)],
                                               user="t").seqs[0]
                done.append(Op(kind, day, amount, seq, payment, heading))
            else:
                live = [op for op in done if op.reversed_on is None and op.day <= day]
                if not live:
                    continue
                target = live[rest[0] % len(live)]
                reverse(db, info.id, target.seq, user="t", reason="anulado", day=day)
                target.reversed_on = day
        except InvalidInput:
            continue  # refused (more than the money or the cash in hand, …): nothing recorded, nothing modelled
    assert len(done) >= 2 * len(MONTHS)

    for month in MONTHS:
        start, end = date.fromisoformat(month + "-01"), _end(month)
        b = treasury.balance(db, info.id, month)
        bank = sum((op.amount for op in done if op.kind == "transfer" and _counts(op, end)), ZERO)
        bank -= sum((op.amount for op in done if op.kind == "withdrawal" and _counts(op, end)), ZERO)
        bank -= sum((op.amount for op in done if op.kind == "expense" and op.payment == "banco" and _counts(op, end)),
                    ZERO)
        cash = sum((op.amount for op in done if op.kind == "withdrawal" and _counts(op, end)), ZERO)
        cash -= sum((op.amount for op in done if op.kind == "expense" and op.payment == "efectivo"
                     and _counts(op, end)), ZERO)
        assert (b.bank, b.cash) == (bank, cash), month
        assert b.balance == b.bank + b.cash, month  # what should be on hand is what the bank and the box hold
        # transferred and spent as of the month's end too: a reversal dated later does not rewrite the month
        standing = [op for op in done if _counts(op, end)]
        assert b.transferred_to_date == sum((op.amount for op in standing if op.kind == "transfer"), ZERO)
        assert b.transferred_in_month == sum((op.amount for op in standing if op.kind == "transfer"
                                              and start <= op.day), ZERO)
        spent = {h: sum((op.amount for op in standing if op.kind == "expense" and op.heading == h), ZERO)
                 for h in HEADINGS}
        in_month = {h: sum((op.amount for op in standing if op.kind == "expense" and op.heading == h
                            and start <= op.day <= end), ZERO) for h in HEADINGS}
        assert b.spent_to_date == sum(spent.values())
        assert b.spent_in_month == sum(in_month.values())
        by_code = {h.code: h for h in b.headings}
        for h in HEADINGS:
            assert (by_code[h].spent, by_code[h].spent_in_month) == (spent[h], in_month[h]), (month, h)
        # the cash book carries into the month what the months before it ended with (a reversal dated in this
        # month of an earlier month's entry is a line of this month, not a change of what came before), and its
        # lines end where the month's figures do
        book = cash_book_month(db, info.id, month)
        eve = date.fromordinal(start.toordinal() - 1)
        opening_bank = sum((op.amount if op.kind == "transfer" else -op.amount) for op in done
                           if _counts(op, eve) and (op.kind in ("transfer", "withdrawal") or op.payment == "banco"))
        opening_cash = sum((op.amount if op.kind == "withdrawal" else -op.amount) for op in done
                           if _counts(op, eve)
                           and (op.kind == "withdrawal" or (op.kind == "expense" and op.payment == "efectivo")))
        assert (book.opening_bank, book.opening_cash) == (opening_bank, opening_cash), month
        assert (book.bank, book.cash) == (b.bank, b.cash), month
        undone = [op.seq for op in done if op.day < start and op.reversed_on and start <= op.reversed_on <= end]
        assert sorted(int(re.search(r"asiento n.º (\d+)", ln.concept).group(1)) for ln in book.lines
                      if ln.concept.startswith("Anulación")) == sorted(undone), month
    db.dispose()


def test_a_later_reversal_rewrites_neither_a_closed_months_figures_nor_its_code(db):
    from qaliwarma.services import export, periods

    info = committee.register(db, demo_form(), user="t")
    treasury.record_transfer(db, info.id, Transfer(date(2026, 11, 2), Decimal("1000.00"), "BN 1"), user="t")
    paid = treasury.record_expenses(db, info.id, [Expense(date(2026, 11, 6), "alimentos", "boleta", "B001-1", RUC,
                                                          "Proveedor SAC", "compra", Decimal("200.00"), "banco")],
                                    user="t").seqs[0]
    periods.close(db, info.id, "2026-11", user="t", today=date(2026, 12, 1), early=True, reason="prueba")
    before, code = treasury.balance(db, info.id, "2026-11"), export.month_code(db, info, "2026-11")
    reverse(db, info.id, paid, user="t", reason="boleta anulada", day=date(2026, 12, 3))
    after = treasury.balance(db, info.id, "2026-11")
    # by hand: 1000 received, 200 spent from the bank in November; the reversal counts from 3 December
    assert (after.balance, after.bank, after.cash, after.spent_in_month) == (Decimal("800.00"), Decimal("800.00"),
                                                                            Decimal("0.00"), Decimal("200.00"))
    assert [e.number for e in after.expenses] == [e.number for e in before.expenses] == [1]
    assert export.month_code(db, info, "2026-11") == code
    december = treasury.balance(db, info.id, "2026-12")
    assert (december.balance, december.bank, december.spent_to_date) == (Decimal("1000.00"), Decimal("1000.00"),
                                                                         Decimal("0.00"))
