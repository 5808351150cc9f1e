"""The treasury's printed documents as a supervisor checks them: the "Balance de gastos" adds up to the
céntimo, the "Acta de asamblea – rendición de cuentas" shows every transfer, and the "Libro caja" ends
on the service's balances. Built from the demo committee (one transfer, one withdrawal and six expenses
in 11/2026) and read back with ``pdftotext``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from qaliwarma.domain.treasury import Expense, Transfer
from qaliwarma.errors import InvalidInput
from qaliwarma.money import format_soles
from qaliwarma.reports.treasury import (
    build_acta_rendicion,
    build_balance,
    build_cash_book,
    cash_book_month,
    month_range,
)
from qaliwarma.services import treasury
from tests.core.test_reports import assert_fonts_embedded, pages, squeeze


@pytest.fixture(autouse=True)
def _as_of_the_end_of_2027(monkeypatch):
    """These records are dated in 2027: the tests run as of its end (nothing is recorded ahead of today)."""
    monkeypatch.setenv("QALIWARMA_TODAY", "2027-12-31")


MONTH = "2026-11"
END = date(2026, 11, 30)
MONEY = re.compile(r"-?S/\s?[\d,]+\.\d\d")
RUC = "20604512370"  # a valid RUC (SUNAT check digit) for the expenses these tests add


def soles(text: str) -> Decimal:
    """"S/ 1,234.50" → Decimal("1234.50")."""
    return Decimal(text.replace("S/", "").replace(",", "").strip())


def numbered(path) -> list[str]:
    """The pages as laid out, each checked for its "Página n de N"."""
    found = pages(path, layout=True)
    assert found
    for n, page in enumerate(found, 1):
        assert f"Página {n} de {len(found)}" in page
    return found


def expense_rows(found: list[str]) -> list[tuple[int, str, Decimal]]:
    """(n.º, fecha, monto) of each row of the expenses table, over all its pages."""
    text = "\n".join(found)
    section = text[text.index("Gastos del mes"):text.index("Total gastado en el mes")]
    rows = []
    for line in section.splitlines():
        match = re.match(r"^\s*(\d+)\s+(\d\d/\d\d/\d{4})\s.*?(S/\s?[\d,]+\.\d\d)\s*$", line)
        if match:
            rows.append((int(match[1]), match[2], soles(match[3])))
    return rows


def journal_money(db) -> dict[str, Decimal]:
    """The money the journal's treasury entries state, summed here from their payloads (not by the
    treasury service the reports print): transfers, withdrawals, and expenses by how they were paid.
    The demo's amounts follow the recipes' grams (the potatoes and cheese it buys), so the tests
    compare with these sums instead of fixed figures."""
    import json
    from collections import defaultdict

    from sqlalchemy import text

    with db.session() as s:
        rows = s.execute(text("SELECT kind, payload FROM journal_entries WHERE kind LIKE 'tesoreria.%'")).all()
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for kind, payload in rows:
        doc = json.loads(payload)
        if kind == "tesoreria.transferencia":
            sums["transfers"] += Decimal(doc["amount"])
        elif kind == "tesoreria.retiro":
            sums["withdrawals"] += Decimal(doc["amount"])
        elif kind == "tesoreria.gasto":
            sums[f"spent_{doc['payment']}"] += Decimal(doc["amount"])
            sums["expenses"] += 1
        else:
            raise AssertionError(f"movimiento de tesorería no previsto en la demo: {kind}")
    return sums


def printed(label: str, text: str) -> Decimal:
    """The amount printed right after ``label`` in the squeezed text."""
    match = re.search(re.escape(label) + r"\s+(S/\s?[\d,]+\.\d\d)", text)
    assert match, f"no se encontró «{label}» con un monto"
    return soles(match[1])


# -------------------------------------------------------------------------------------------- balance
def test_balance_expense_rows_add_up_to_the_month_spent_to_the_centimo(demo, tmp_path):
    db, info = demo
    b = treasury.balance(db, info.id, MONTH)
    out = build_balance(db, info, MONTH, tmp_path / "balance.pdf")
    assert_fonts_embedded(out)
    found = numbered(out)
    text = squeeze(" ".join(found))

    rows = expense_rows(found)
    assert [n for n, _, _ in rows] == [e.number for e in b.expenses]
    assert [d for _, d, _ in rows] == [e.day.strftime("%d/%m/%Y") for e in b.expenses]
    assert [a for _, _, a in rows] == [Decimal(e.amount) for e in b.expenses]
    money = journal_money(db)
    total = printed(f"Total gastado en el mes ({money['expenses']} comprobantes)", text)
    assert sum(a for _, _, a in rows) == total == printed("Gastado en el mes", text) == b.spent_in_month
    assert total == money["spent_banco"] + money["spent_efectivo"]  # by bank + in cash (the cash book below)

    assert "Balance de gastos" in text and "Mes de noviembre de 2026" in text and "Estado: Borrador" in text
    assert printed("Monto transferido en el mes", text) == b.transferred_in_month
    assert printed("Monto transferido acumulado", text) == b.transferred_to_date
    assert printed("Saldo en banco", text) == b.bank
    assert printed("Efectivo en caja", text) == b.cash
    assert printed("Saldo total al 30/11/2026", text) == b.balance == b.bank + b.cash
    for h in b.headings:  # asignado, gastado en el mes, gastado acumulado, saldo
        assert f"{h.name} {format_soles(h.allotted)} {format_soles(h.spent_in_month)} {format_soles(h.spent)} " \
               f"{format_soles(h.balance)}" in text
    for label in ("Boleta de venta", "Declaración jurada", "Planilla de movilidad", "Factura", "Recibo"):
        assert label in text
    raw = squeeze(" ".join(pages(out)))  # in reading order: a name wrapped in its cell reads whole
    assert "Eusebio Quispe Ccora" in raw and "23456789" in raw and "20487654320" in raw  # the gas supplier's RUC
    assert "Presidente(a) del CAE" in text and "Rosa Quispe Huamán" in text
    assert "Tesorero(a) del CAE" in text and "Yolanda Curi Ramos" in text
    assert "Page" not in text


def test_balance_of_many_expenses_adds_up_over_several_pages(demo_copy, tmp_path):
    db, info = demo_copy
    many = [Expense(date(2026, 11, 6 + n % 20), "otros", "boleta", f"B009-{n:06d}", RUC, "Bodega Don Lucho",
                    f"Útiles de cocina, compra {n}", Decimal("1.37") + Decimal(n) / 100) for n in range(40)]
    treasury.record_expenses(db, info.id, many, user="prueba")
    b = treasury.balance(db, info.id, MONTH)
    found = numbered(build_balance(db, info, MONTH, tmp_path / "balance.pdf"))
    assert len(found) >= 3
    text = squeeze(" ".join(found))
    rows = expense_rows(found)
    assert len(rows) == len(b.expenses) == 46
    assert sum(a for _, _, a in rows) == printed("Total gastado en el mes (46 comprobantes)", text) \
        == printed("Gastado en el mes", text) == b.spent_in_month


def test_balance_shows_the_cycle_state_and_the_supervisors_observations(demo_copy, tmp_path):
    db, info = demo_copy
    treasury.set_cycle_state(db, info.id, MONTH, "presentado", user="prueba")
    treasury.set_cycle_state(db, info.id, MONTH, "observado", user="supervisor",
                             observations="Falta la copia del DNI del vendedor de papa.")
    text = squeeze(" ".join(numbered(build_balance(db, info, MONTH, tmp_path / "balance.pdf"))))
    assert "Estado: Observado" in text
    assert "Observaciones del supervisor" in text and "Falta la copia del DNI del vendedor de papa." in text


def test_a_cancelled_expense_s_missing_number_is_explained_on_the_balance(demo_copy, tmp_path):
    """A receipt cancelled in the month leaves its number out of the list (7, 8, 10): the balance says which
    number, what it was, when and why it was cancelled, so the gap does not read as a deletion. One cancelled
    after the month's end is still November's expense, as the November balance was."""
    from qaliwarma.services.corrections import reverse

    db, info = demo_copy
    seqs = treasury.record_expenses(db, info.id, [
        Expense(date(2026, 11, 20), "otros", "boleta", f"B009-{n:06d}", RUC, "Bodega Don Lucho", f"Útiles {n}",
                Decimal("3.50")) for n in range(1, 4)], user="prueba").seqs
    numbers = {e.journal_seq: e.number for e in treasury.balance(db, info.id, MONTH).expenses}
    reverse(db, info.id, seqs[1], user="prueba", reason="número de boleta mal copiado", day=date(2026, 11, 21))
    reverse(db, info.id, seqs[2], user="prueba", reason="devuelto en diciembre", day=date(2026, 12, 2))
    b = treasury.balance(db, info.id, MONTH)
    assert [(c.number, c.doc_number, c.amount, c.cancelled_on, c.reason, c.recorded_on) for c in b.cancelled] == [
        (numbers[seqs[1]], "B009-000002", Decimal("3.50"), date(2026, 11, 21), "número de boleta mal copiado",
         date.today())]  # dated back into November, made today: both said
    listed = [e.number for e in b.expenses]
    assert numbers[seqs[1]] not in listed and numbers[seqs[2]] in listed
    text = squeeze(" ".join(numbered(build_balance(db, info, MONTH, tmp_path / "balance.pdf"))))
    assert "Gastos anulados en el mes (sus números no figuran arriba)" in text
    assert (f"N.º {numbers[seqs[1]]} del 20/11/2026: Boleta de venta B009-000002, S/ 3.50; anulado el 21/11/2026 "
            f"(anulación registrada el {date.today():%d/%m/%Y}). Motivo: número de boleta mal copiado") in text
    assert "devuelto en diciembre" not in text
    # the monthly report the supervisor reads lists the month's receipts too: the same gap, the same reason
    from qaliwarma.reports.monthly import build_monthly_report

    build_monthly_report(db, info, MONTH, tmp_path / "mensual.pdf", today=date(2026, 12, 3))
    report = squeeze(" ".join(pages(tmp_path / "mensual.pdf")))
    assert "Anulados en el mes (sus números no figuran en la lista):" in report
    assert f"N.º {numbers[seqs[1]]} del 20/11/2026: Boleta de venta B009-000002, S/ 3.50" in report
    assert "Motivo: número de boleta mal copiado" in report


# ----------------------------------------------------------------------------------------------- acta
def test_acta_lists_every_transfer_and_the_heading_amounts(demo_copy, tmp_path):
    db, info = demo_copy
    second = Transfer(date(2026, 11, 16), Decimal("812.35"), "Banco de la Nación op. 009871")
    treasury.record_transfer(db, info.id, second, user="prueba")
    b = treasury.balance(db, info.id, MONTH)
    assert len(b.transfers) == 2
    out = build_acta_rendicion(db, info, MONTH, tmp_path / "acta.pdf")
    assert_fonts_embedded(out)
    found = numbered(out)
    text = squeeze(" ".join(found))
    assert "Acta de asamblea – rendición de cuentas" in text and "noviembre de 2026" in text
    assert "I.E. N.° 36009 Virgen de la Candelaria" in text and "0456789" in text
    for t in b.transfers:
        assert f"{t.day:%d/%m/%Y} {t.reference}" in text
        assert format_soles(t.amount) in text
    assert printed("Total recibido en el mes", text) == sum(Decimal(t.amount) for t in b.transfers) \
        == b.transferred_in_month == journal_money(db)["transfers"]
    for h in b.headings:
        assert f"{h.name} {format_soles(h.allotted)} {format_soles(h.spent_in_month)}" in text
    assert printed("(−) Gastado en el mes", text) == b.spent_in_month
    assert printed("(=) Saldo al 30/11/2026", text) == b.balance
    assert printed("Total gastado en el mes:", text) == b.spent_in_month
    for role, name in (("Presidente(a) del CAE", "Rosa Quispe Huamán"),
                       ("Secretario(a) del CAE", "Julio Ccanto Paucar"),
                       ("Tesorero(a) del CAE", "Yolanda Curi Ramos"), ("Vocal del CAE", "Teodoro Huamaní Laura")):
        assert role in text and name in text
    # nobody named: numbered blank lines for the attendees and the agreements
    attendees = found[-1]
    assert "Relación de asistentes" in attendees and "Firma" in attendees
    assert [int(n) for n in re.findall(r"^\s*(\d+)\s*$", attendees, re.M)] == list(range(1, 19))
    assert "4. Acuerdos 1. 2. 3. 4. 5." in text


def test_acta_prints_the_assembly_given(demo, tmp_path):
    db, info = demo
    out = build_acta_rendicion(
        db, info, MONTH, tmp_path / "acta.pdf", place="Patio de la I.E. 36009",
        attendees=["María Quispe Ccanto", "Juan Huamán Soto", "Felícitas Paucar Rojas"],
        agreements=["Comprar la papa en la feria del sábado.", "La próxima asamblea será el 15/01/2027."],
        held_on=date(2026, 12, 5),
    )
    found = numbered(out)
    text = squeeze(" ".join(found))
    assert "Fecha de la asamblea 05/12/2026" in text and "Lugar Patio de la I.E. 36009" in text
    assert "sábado 5 de diciembre de 2026" in text and "3 madres y padres de familia" in text
    assert "1. Comprar la papa en la feria del sábado." in text
    assert "2. La próxima asamblea será el 15/01/2027." in text
    rows = re.findall(r"^\s*(\d+)\s+(\S.*?)\s*$", found[-1], re.M)
    assert rows == [("1", "María Quispe Ccanto"), ("2", "Juan Huamán Soto"), ("3", "Felícitas Paucar Rojas")]


# ------------------------------------------------------------------------------------------ cash book
def test_cash_book_ends_on_the_services_balances(demo, tmp_path):
    db, info = demo
    last = treasury.cash_book(db, info.id, END)[-1]
    out = build_cash_book(db, info, MONTH, tmp_path / "caja.pdf")
    assert_fonts_embedded(out)
    found = numbered(out)
    text = squeeze(" ".join(pages(out)))
    assert "Libro caja" in text and "Saldo que viene del mes anterior" in text
    totals = next(line for page in found for line in page.splitlines() if "Totales del mes" in line)
    bank_in, bank_out, bank, cash_in, cash_out, cash = (soles(m) for m in MONEY.findall(totals))
    money = journal_money(db)
    expected_in_out = (money["transfers"], money["withdrawals"] + money["spent_banco"], money["withdrawals"],
                       money["spent_efectivo"])
    assert (bank_in, bank_out, cash_in, cash_out) == expected_in_out
    assert (bank, cash) == (last.bank_balance, last.cash_balance) == (expected_in_out[0] - expected_in_out[1],
                                                                      expected_in_out[2] - expected_in_out[3])
    assert bank_in - bank_out == bank and cash_in - cash_out == cash  # nothing carried into 11/2026
    assert "Boleta de venta B002-004518" in text and "Retiro del banco" in text
    assert f"en total {format_soles(last.bank_balance + last.cash_balance)}" in text
    assert "Tesorero(a) del CAE" in text and "Yolanda Curi Ramos" in text


def test_cash_book_carries_the_balance_and_orders_lines_by_date(demo_copy, tmp_path):
    db, info = demo_copy
    # recorded after the others, dated before some of them: printed in date order all the same
    treasury.record_expenses(db, info.id, [Expense(date(2026, 11, 4), "limpieza", "boleta", "B001-000399", RUC,
                                                   "Bazar El Ahorro", "Jabón", Decimal("8.40"))], user="prueba")
    treasury.record_withdrawal(db, info.id, date(2026, 12, 3), Decimal("200.00"), user="prueba")
    november = cash_book_month(db, info.id, MONTH)
    assert [line.day for line in november.lines] == sorted(line.day for line in november.lines)
    last = treasury.cash_book(db, info.id, END)[-1]
    assert (november.bank, november.cash) == (last.bank_balance, last.cash_balance)
    assert november.opening_bank + november.total("bank_in") - november.total("bank_out") == november.bank

    december = cash_book_month(db, info.id, "2026-12")
    assert (december.opening_bank, december.opening_cash) == (november.bank, november.cash)
    found = numbered(build_cash_book(db, info, "2026-12", tmp_path / "caja.pdf"))
    opening = next(line for line in found[0].splitlines() if "Saldo que viene" in line)
    assert [soles(m) for m in MONEY.findall(opening)] == [november.bank, november.cash]
    totals = next(line for page in found for line in page.splitlines() if "Totales del mes" in line)
    assert [soles(m) for m in MONEY.findall(totals)] == [Decimal("200.00"), december.bank, Decimal("200.00"),
                                                         december.cash]


# ------------------------------------------------------------------------------------ empty and wrong
def test_a_month_without_records_gives_a_clear_document(demo, tmp_path):
    db, info = demo
    text = squeeze(" ".join(numbered(build_balance(db, info, "2025-01", tmp_path / "balance.pdf"))))
    assert "No hay transferencias ni gastos registrados en enero de 2025." in text
    assert printed("Gastado en el mes", text) == printed("Saldo total al 31/01/2025", text) == Decimal("0.00")
    assert "Declaramos que en enero de 2025 el comité no hizo gastos." in text

    text = squeeze(" ".join(numbered(build_acta_rendicion(db, info, "2025-01", tmp_path / "acta.pdf"))))
    assert "No se recibieron transferencias en enero de 2025." in text
    assert "No se registraron gastos en enero de 2025." in text

    text = squeeze(" ".join(numbered(build_cash_book(db, info, "2025-01", tmp_path / "caja.pdf"))))
    assert "No hubo movimientos en este mes." in text and "Totales del mes y saldo al 31/01/2025" in text


@pytest.mark.parametrize("month", ["2026-13", "noviembre", "2026/11", ""])
def test_a_wrong_month_is_refused_in_spanish(demo, tmp_path, month):
    db, info = demo
    with pytest.raises(InvalidInput, match="por ejemplo 2026-11"):
        build_balance(db, info, month, tmp_path / "balance.pdf")
    assert not (tmp_path / "balance.pdf").exists()


def test_month_range():
    assert month_range("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert month_range(" 2028-02 ") == (date(2028, 2, 1), date(2028, 2, 29))


def test_eight_digit_amounts_print_whole_in_the_cash_book_the_balance_and_the_acta(demo_copy, tmp_path):
    """The largest amounts the application accepts (S/ 10 million a transfer, withdrawals up to the bank's
    balance) give documents, not a traceback: each figure whole on its line, the columns from the amounts."""
    db, info = demo_copy
    before = cash_book_month(db, info.id, MONTH)
    for day in (20, 21):
        treasury.record_transfer(db, info.id, Transfer(date(2026, 11, day), Decimal("10000000.00"), "grande"),
                                 user="prueba")
    for day in (22, 23):
        treasury.record_withdrawal(db, info.id, date(2026, 11, day), Decimal("9999999.99"), user="prueba")
    bank_in = before.total("bank_in") + Decimal("20000000.00")
    bank_out = before.total("bank_out") + Decimal("19999999.98")
    cash_in = before.total("cash_in") + Decimal("19999999.98")
    bank = before.bank + Decimal("0.02")
    cash = before.cash + Decimal("19999999.98")

    found = numbered(build_cash_book(db, info, MONTH, tmp_path / "caja.pdf"))
    totals = next(line for page in found for line in page.splitlines() if "Totales del mes" in line)
    assert [soles(m) for m in MONEY.findall(totals)] == [bank_in, bank_out, bank, cash_in,
                                                         before.total("cash_out"), cash]
    text = squeeze(" ".join(pages(tmp_path / "caja.pdf")))
    assert f"en total {format_soles(bank + cash)}" in text

    balance_text = squeeze(" ".join(pages(build_balance(db, info, MONTH, tmp_path / "balance.pdf"))))
    assert format_soles(Decimal("10000000.00")) in balance_text
    acta_text = squeeze(" ".join(pages(build_acta_rendicion(db, info, MONTH, tmp_path / "acta.pdf"))))
    assert format_soles(Decimal("10000000.00")) in acta_text


def test_nine_digit_balances_print_in_every_treasury_document(demo_copy, tmp_path, monkeypatch):
    """Balances of hundreds of millions (books kept before the limits, or years of transfers): the cash book,
    the balance, the acta and the monthly report still print (figures smaller, every one whole)."""
    from qaliwarma.reports.monthly import build_monthly_report

    db, info = demo_copy
    with monkeypatch.context() as before_the_limits:  # a transfer recorded by a version without the limit
        before_the_limits.setattr("qaliwarma.numbers.check", lambda value, *_rule: value)
        treasury.record_transfer(db, info.id, Transfer(date(2026, 11, 20), Decimal("490000000.00"), "grande"),
                                 user="prueba")
    bank = cash_book_month(db, info.id, MONTH).bank
    assert bank > Decimal("490000000.00")
    text = squeeze(" ".join(pages(build_cash_book(db, info, MONTH, tmp_path / "caja.pdf"))))
    assert format_soles(bank) in text and format_soles(Decimal("490000000.00")) in text
    for build in (build_balance, build_acta_rendicion):
        assert format_soles(Decimal("490000000.00")) in squeeze(" ".join(pages(build(db, info, MONTH,
                                                                                      tmp_path / "doc.pdf"))))
    received = cash_book_month(db, info.id, MONTH).total("bank_in")  # the month's transfers, S/ 490 million and more
    build_monthly_report(db, info, MONTH, tmp_path / "mensual.pdf")
    assert f"Recibido {format_soles(received)}" in squeeze(" ".join(pages(tmp_path / "mensual.pdf")))


def test_no_accountability_document_is_printed_from_a_table_edited_behind_the_apps_back(demo_copy, tmp_path):
    """An expense's amount changed with sqlite3 (the journal untouched): the balance, the cash book, the acta de
    rendición, the kardex, the rations register and the reception record are refused, naming the difference,
    and no file is written; before the edit each prints. Before, only the monthly report refused: the balance
    printed the edited amount under signature lines."""
    from qaliwarma.errors import JournalError
    from qaliwarma.reports.kardex import build_kardex
    from qaliwarma.reports.rations import build_rations_register
    from qaliwarma.reports.reception import build_reception_record
    from qaliwarma.reports.treasury import build_acta_rendicion
    from qaliwarma.services import receiving, stock
    from tests.forgery import edit_behind_the_back

    db, info = demo_copy
    code = stock.lots(db, info.id)[0].food_code
    acta = sorted(receiving.existing_actas(db, info.id))[0]
    printers = {
        "balance": lambda out: build_balance(db, info, "2026-11", out),
        "libro caja": lambda out: build_cash_book(db, info, "2026-11", out),
        "acta de rendición": lambda out: build_acta_rendicion(db, info, "2026-11", out),
        "kárdex": lambda out: build_kardex(db, info, code, out),
        "registro de raciones": lambda out: build_rations_register(db, info, 2026, 11, out),
        "acta de recepción": lambda out: build_reception_record(db, info, acta, out),
    }
    for name, printer in printers.items():
        printer(tmp_path / f"antes-{name}.pdf")
        assert (tmp_path / f"antes-{name}.pdf").stat().st_size > 0, name
    edit_behind_the_back(db.url.removeprefix("sqlite:///"),
                         "UPDATE treasury_expenses SET amount = amount + 100 WHERE id = (SELECT min(id) FROM treasury_expenses)")
    for name, printer in printers.items():
        out = tmp_path / f"despues-{name}.pdf"
        with pytest.raises(JournalError, match="no coinciden con su diario") as refused:
            printer(out)
        assert "treasury_expenses" in str(refused.value) and not out.exists(), name


def test_a_closed_months_expense_cancelled_in_the_next_month_is_a_line_of_that_month(demo_copy, tmp_path):
    """November closed with S/ 284.30 in cash; its gas expense (S/ 116.00) cancelled on 6 December. December's
    cash book opens with what November closed with and shows the cancellation as its own line (+116.00 in cash);
    it ends where December's balance does. Before, the opening became 400.30 (November rewritten) with no line."""
    from qaliwarma.services import periods
    from qaliwarma.services.corrections import reverse

    db, info = demo_copy
    november = treasury.balance(db, info.id, "2026-11")
    gas = next(e for e in november.expenses if e.heading == "gas")
    periods.close(db, info.id, "2026-11", user="demo", today=date(2026, 12, 2))
    reverse(db, info.id, gas.journal_seq, user="demo", reason="boleta duplicada", today=date(2026, 12, 6))
    book = cash_book_month(db, info.id, "2026-12")
    assert (book.opening_bank, book.opening_cash) == (november.bank, november.cash)
    (line,) = book.lines
    assert (line.day, line.cash_in, line.cash_out, line.bank_in, line.bank_out) == (
        date(2026, 12, 6), Decimal(gas.amount), 0, 0, 0)
    assert f"asiento n.º {gas.journal_seq}" in line.concept
    december = treasury.balance(db, info.id, "2026-12")
    assert (book.bank, book.cash) == (december.bank, december.cash) == (november.bank, november.cash + Decimal(gas.amount))
    text = squeeze(" ".join(pages(build_cash_book(db, info, "2026-12", tmp_path / "caja.pdf"))))
    assert "Anulación del asiento" in text and format_soles(november.cash) in text
    # the balance too: December starts from what November ended with, and the 116.00 comes back in December
    assert december.previous == november.balance and december.returned_in_month == Decimal(gas.amount)
    text = squeeze(" ".join(pages(build_balance(db, info, "2026-12", tmp_path / "balance.pdf"))))
    assert (f"Saldo del mes anterior {format_soles(november.balance)} + transferido en el mes S/ 0.00 − gastado en "
            f"el mes S/ 0.00 + devuelto al anular registros de meses anteriores {format_soles(Decimal(gas.amount))} "
            f"= saldo total {format_soles(december.balance)}") in text


def test_cash_given_back_by_a_later_cancellation_is_not_spent_before_it_comes_back(demo_copy):
    """November closed with S/ 284.30 in cash; its S/ 300.00 stipend is cancelled on 6 December, so the box gets
    the 300 back that day, as December's cash book shows. A cash payment of S/ 584.30 dated 2 December would
    spend money the box did not yet hold: refused (only 284.30 then); dated 7 December it is recorded, and the
    cash book never goes below zero. Before, the check counted the 300 as back since November."""
    from qaliwarma.errors import InvalidInput
    from qaliwarma.services import periods
    from qaliwarma.services.corrections import reverse

    db, info = demo_copy
    november = treasury.balance(db, info.id, "2026-11")
    stipend = next(e for e in november.expenses if e.heading == "estipendio")
    periods.close(db, info.id, "2026-11", user="demo", today=date(2026, 12, 2))
    reverse(db, info.id, stipend.journal_seq, user="demo", reason="pagado dos veces", today=date(2026, 12, 6))
    early = Expense(date(2026, 12, 2), "gas", "boleta", "B001-008801", "20604512370", "Gas SAC", "gas",
                    november.cash + Decimal(stipend.amount))
    with pytest.raises(InvalidInput, match=r"efectivo en caja el 02/12/2026 \(S/ 284.30\)"):
        treasury.record_expenses(db, info.id, [early], user="demo")
    import dataclasses

    treasury.record_expenses(db, info.id, [dataclasses.replace(early, day=date(2026, 12, 7))], user="demo")
    book = cash_book_month(db, info.id, "2026-12")
    assert min(line.cash_balance for line in book.lines) == 0 and book.cash == 0


def test_acta_does_not_count_the_committees_members_as_parents(demo, tmp_path):
    """The president and the treasurer, the only two attending, were «2 madres y padres de familia»."""
    db, info = demo
    president = next(m.name for m in info.form.members if m.role == "presidente")
    treasurer = next(m.name for m in info.form.members if m.role == "tesorero")
    out = build_acta_rendicion(db, info, MONTH, tmp_path / "acta.pdf", place="Comedor",
                               attendees=[president, f" {treasurer.upper()} ", "Juan Huamán Soto"],
                               agreements=[], held_on=date(2026, 12, 5))
    text = squeeze(" ".join(numbered(out)))
    assert "1 madre o padre de familia" in text and "3 madres" not in text
    out = build_acta_rendicion(db, info, MONTH, tmp_path / "acta2.pdf", place="Comedor",
                               attendees=[president, treasurer], agreements=[], held_on=date(2026, 12, 5))
    assert "0 madres y padres de familia" in squeeze(" ".join(numbered(out)))
