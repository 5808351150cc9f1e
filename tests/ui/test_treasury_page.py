"""Tesorería: receipts checked as typed, refusals with their message and nothing recorded, the balance
shown to the céntimo, a sheet with mistakes listed row by row, and a presented month frozen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from qaliwarma.domain.treasury import Expense, Heading, Transfer
from qaliwarma.errors import InvalidInput
from qaliwarma.money import format_soles
from qaliwarma.services import committee, setup, stock, treasury
from tests.ui.conftest import type_date
from ui.context import AppContext
from ui.models.base import RowsProxy
from ui.models.treasury_problems import ProblemTableModel, SheetProblem
from ui.models.treasury_rows import (
    ExpenseRow,
    ExpenseTableModel,
    HeadingTableModel,
    ItemRow,
    ItemTableModel,
    TransferRow,
    TransferTableModel,
    latest_month,
)
from ui.pages.treasury import TreasuryPage

MONTH = "2026-11"
DAY = date(2026, 11, 2)
RUC = "20604512370"
BAD_RUC = "20604512371"


@pytest.fixture
def school(ui_db):
    info = committee.register(ui_db, setup.demo_form(), user="prueba")
    treasury.record_transfer(ui_db, info.id, Transfer(DAY, Decimal("1000.00"), "BN op. 1"), user="prueba")
    return info


@pytest.fixture
def cash(ui_db, school):
    """S/ 500.00 withdrawn from the bank on the first day: receipts paid in cash have the cash to pay with."""
    treasury.record_withdrawal(ui_db, school.id, DAY, Decimal("500.00"), user="prueba")


def _open(qtbot, ui_db, runner, info, wait_idle) -> TreasuryPage:
    page = TreasuryPage(AppContext(ui_db, runner, info, user="Yolanda"))
    qtbot.addWidget(page)
    page.resize(1136, 700)
    page.show()
    page.set_month(MONTH)
    qtbot.waitUntil(lambda: page.view is not None and page.view.month == MONTH)
    wait_idle()
    return page


@pytest.fixture
def page(qtbot, ui_db, runner, school, wait_idle) -> TreasuryPage:
    return _open(qtbot, ui_db, runner, school, wait_idle)


def _fill(page: TreasuryPage, *, heading="gas", doc="boleta", number="B001-000001", party=RUC, name="Gas SAC",
          detail="Balón de gas", amount="50.00", day=date(2026, 11, 5)) -> None:
    """Fill the receipt form as a user would leave it (each field touched)."""
    form = page.form
    form.day.setDate(day)
    form.heading.setCurrentIndex(form.heading.findData(heading))
    form.doc_type.setCurrentIndex(form.doc_type.findData(doc))
    for key, text in (("numero_documento", number), ("ruc_dni", party), ("proveedor", name), ("detalle", detail),
                      ("monto", amount)):
        form.fields[key].setText(text)
        form._touch(key)


def _spent(ui_db, info) -> Decimal:
    return treasury.balance(ui_db, info.id, MONTH).spent_in_month


def _beside(message, field) -> bool:
    """The message is on the field's row, to its right."""
    m, f = message.geometry(), field.geometry()
    return m.left() >= f.right() and abs(m.center().y() - f.center().y()) < f.height()


# ---------------------------------------------------------------------------------------------- the form
def test_a_ruc_with_a_wrong_check_digit_is_named_beside_the_field_and_save_stays_disabled(qtbot, page, wait_idle):
    page.show_tab(1)
    _fill(page, party="")
    form = page.form
    form.party_id.setFocus()
    qtbot.keyClicks(form.party_id, BAD_RUC)
    message = form.messages["ruc_dni"]
    qtbot.waitUntil(message.isVisible)  # shown when the user pauses typing
    assert message.text() == f"El RUC «{BAD_RUC}» no es válido: el último dígito no corresponde. Revise que esté " \
                             "bien copiado."
    assert _beside(message, form.party_id)
    assert form.party_id.property("invalid") is True
    assert not form.save_button.isEnabled()
    qtbot.keyClick(form.party_id, Qt.Key.Key_Return)  # Enter does not save either
    wait_idle()
    assert "por corregir" in form.status.text()
    assert _spent(page.ctx.db, page.ctx.committee) == 0

    form.party_id.clear()
    qtbot.keyClicks(form.party_id, RUC)
    qtbot.waitUntil(lambda: not message.isVisible())
    qtbot.waitUntil(form.save_button.isEnabled)  # the service found nothing to refuse


def test_the_form_shows_only_the_fields_of_the_document_type(page):
    form = page.form
    page.show_tab(1)

    def shown():
        return {k for k in ("ruc_dni", "que", "donde", "origen", "destino", "motivo") if form.fields[k].isVisible()}

    form.doc_type.setCurrentIndex(form.doc_type.findData("factura"))
    assert shown() == {"ruc_dni"} and form.labels["ruc_dni"].text() == "RUC del proveedor"
    form.doc_type.setCurrentIndex(form.doc_type.findData("declaracion_jurada"))
    assert shown() == {"ruc_dni", "que", "donde"} and form.labels["ruc_dni"].text() == "DNI del vendedor"
    form.doc_type.setCurrentIndex(form.doc_type.findData("planilla_movilidad"))
    assert shown() == {"origen", "destino", "motivo"}


def test_a_sworn_statement_needs_the_sellers_dni_what_and_where(qtbot, page):
    form = page.form
    page.show_tab(1)
    _fill(page, heading="alimentos", doc="declaracion_jurada", number="DJ-001", party="1234", name="Eusebio Quispe",
          detail="Papa de chacra", amount="40.00")
    form.save()
    assert form.messages["ruc_dni"].text() == "El DNI «1234» tiene 4 dígitos; debe tener 8."
    assert form.messages["que"].text() == "La declaración jurada debe decir qué se compró"
    assert form.messages["donde"].text() == "La declaración jurada debe decir dónde se compró"
    assert not form.save_button.isEnabled()


def test_an_expense_above_the_headings_balance_is_saved_with_a_warning(qtbot, page, ui_db, school, wait_idle):
    form = page.form
    page.show_tab(1)
    _fill(page, amount="90.00")  # gas gets 8 % of S/ 1,000.00: S/ 80.00 (the committee's split, not a rule)
    assert "monto" not in form.errors()
    assert "Saldo del rubro Gas: S/ 80.00" in form.heading_left.text()
    assert "Después de este gasto quedarían -S/ 10.00." in form.heading_left.text()
    assert "sobregirado" in form.heading_left.text()
    assert form.heading_left.property("role") == "error"
    qtbot.waitUntil(form.save_button.isEnabled)
    form.save()
    qtbot.waitUntil(lambda: form.saved_note.text().startswith("✓"))
    wait_idle()
    assert "S/ 90.00 supera el saldo del rubro Gas (S/ 80.00)" in form.saved_note.text()
    assert _spent(ui_db, school) == Decimal("90.00")


def test_an_expense_above_the_money_received_is_refused_and_nothing_is_recorded(qtbot, page, ui_db, school,
                                                                               wait_idle):
    form = page.form
    page.show_tab(1)
    # S/ 1,000.00 received, nothing withdrawn: the receipt is paid by bank and may not pass S/ 1,000.00
    _fill(page, heading="alimentos", amount="1000.01")
    assert form.payment.currentData() == "banco"
    form.save()
    wait_idle()
    assert form.messages["monto"].text() == ("S/ 1,000.01 supera el dinero recibido que queda sin gastar el "
                                             "05/11/2026 (S/ 1,000.00)")
    assert _beside(form.messages["monto"], form.amount)
    assert form.status.text().startswith("No se guardó")
    assert not form.save_button.isEnabled()
    assert _spent(ui_db, school) == 0


def test_a_receipt_typed_with_the_keyboard_alone_is_saved_with_enter(qtbot, page, ui_db, school, wait_idle):
    page.window().activateWindow()
    page.show_tab(1)
    form = page.form
    form.doc_type.setCurrentIndex(form.doc_type.findData("factura"))
    form.heading.setCurrentIndex(form.heading.findData("gas"))
    form.number.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.number)
    for text in ("F001-000987", RUC, "Gas Andino S.A.C.", "2 balones de gas", "58.00"):
        qtbot.keyClicks(QApplication.focusWidget(), text)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.payment  # Tab went field by field, in order
    qtbot.waitUntil(form.save_button.isEnabled)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.saved_note.text().startswith("✓"))
    wait_idle()
    # said where the form went back to (the date, for the next receipt), not below the fold beside the button
    assert QApplication.focusWidget() is form.day
    assert not form.saved_note.visibleRegion().isEmpty() and "✓" not in form.status.text()
    assert form.saved_note.text() == "✓ Gasto guardado: 2 balones de gas, S/ 58.00."
    b = treasury.balance(ui_db, school.id, MONTH)
    assert [(e.doc_number, e.party_id, Decimal(e.amount)) for e in b.expenses] == [("F001-000987", RUC,
                                                                                    Decimal("58.00"))]
    assert form.number.text() == "" and form.amount.text() == ""  # ready for the next receipt
    assert page.expenses.model.rowCount() == 1


def test_food_bought_enters_the_store(qtbot, page, ui_db, school, wait_idle):
    form = page.form
    told: list[str] = []
    page.ctx.data_changed.connect(told.append)
    page.show_tab(1)
    _fill(page, heading="alimentos", number="B003-000001", detail="Papa blanca", amount="72.00")
    form.items.enabled_check.setChecked(True)
    form.items.search.setText("papa")
    form.items.search.flush()
    wait_idle()
    food = next(f for f in form.items.food_model.rows() if f.code == "U19")
    form.items.choose_food(food)
    form.items.units.setText("40")
    form.items.unit_price.setText("1.80")
    assert form.items.add_current()
    assert form.items.model.rows()[0].total == Decimal("72.00")
    assert "igual que el monto" in form.items.total.text()
    qtbot.waitUntil(form.save_button.isEnabled)
    form.save_button.click()
    wait_idle()
    assert stock.on_hand(ui_db, school.id)["U19"] == Decimal(40000)
    # the store's page is told from what the journal says the expense touched (AppContext.write)
    assert {"treasury", "stock"} <= set(told)


def test_foods_are_added_with_the_keyboard_and_enter_there_does_not_save_the_receipt(qtbot, page, ui_db, school,
                                                                                       wait_idle):
    page.window().activateWindow()
    page.show_tab(1)
    items = page.form.items
    _fill(page, heading="alimentos", number="B003-000009", detail="Papa blanca", amount="72.00")
    items.enabled_check.setChecked(True)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is items.search)
    qtbot.keyClicks(items.search, "papa blanca")
    qtbot.keyClick(items.search, Qt.Key.Key_Return)
    wait_idle()
    assert items.food_model.rowCount() >= 1
    qtbot.keyClick(items.search, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is items.results
    assert items.chosen.text() == "Elegido: Papa blanca (U19)"  # the best match is first
    qtbot.keyClick(items.results, Qt.Key.Key_Down)
    assert items.chosen.text() == "Elegido: Sachapapa blanca, bulbo (U33)"
    qtbot.keyClick(items.results, Qt.Key.Key_Up)
    assert items.chosen.text() == "Elegido: Papa blanca (U19)"
    for key in (Qt.Key.Key_Tab, Qt.Key.Key_Tab):  # to the presentation, then to the quantity
        qtbot.keyClick(QApplication.focusWidget(), key)
    assert QApplication.focusWidget() is items.units
    qtbot.keyClicks(items.units, "40")
    qtbot.keyClick(items.units, Qt.Key.Key_Tab)
    qtbot.keyClicks(items.unit_price, "1.80")
    qtbot.keyClick(items.unit_price, Qt.Key.Key_Return)
    assert [(r.units, r.unit_price) for r in items.model.rows()] == [(Decimal("40"), Decimal("1.80"))]
    wait_idle()
    assert _spent(ui_db, school) == 0  # Enter added the food; the receipt is saved with its own Enter


def test_food_that_does_not_add_up_to_the_amount_is_named(page):
    form = page.form
    _fill(page, heading="alimentos", number="B003-000002", detail="Papa", amount="80.00")
    form.items.enabled_check.setChecked(True)
    form.items.model.set_rows([ItemRow("U19", "Papa", "KILO", "1 kg", Decimal("40"), Decimal("1.80"))])
    form.items.changed.emit()
    assert form.messages["alimentos"].text() == ("Los alimentos comprados suman S/ 72.00, no S/ 80.00: deben sumar "
                                                 "el monto del comprobante.")
    assert not form.save_button.isEnabled()


# ---------------------------------------------------------------------------------------------- the balance
def test_the_balance_shown_is_the_services_to_the_centimo(qtbot, page, ui_db, school, wait_idle):
    treasury.record_withdrawal(ui_db, school.id, DAY, Decimal("200.00"), user="prueba")
    treasury.record_expenses(ui_db, school.id, [
        Expense(DAY, "gas", "boleta", "B001-1", RUC, "Gas SAC", "gas", Decimal("33.33")),
        Expense(DAY, "limpieza", "boleta", "B001-2", RUC, "Bazar", "lejía", Decimal("12.34"), "banco"),
        Expense(date(2026, 11, 9), "alimentos", "recibo", "R-1", "43456789", "Rosa", "huevos", Decimal("123.45")),
    ], user="prueba")
    page.refresh()
    wait_idle()
    b = treasury.balance(ui_db, school.id, MONTH)
    shown = {key: label.text() for key, label in page.summary.totals.items()}
    assert shown == {key: format_soles(getattr(b, key)) for key in shown}
    # by hand: cash 200 − 33.33 − 123.45; bank 1000 − 200 − 12.34
    assert shown["balance"] == "S/ 830.88" and shown["cash"] == "S/ 43.22" and shown["bank"] == "S/ 787.66"
    model = page.summary.heading_model
    rows = [[model.index(r, c).data() for c in range(5)] for r in range(model.rowCount())]
    assert rows == [[h.name, format_soles(h.allotted), format_soles(h.spent_in_month), format_soles(h.spent),
                     format_soles(h.balance)] for h in b.headings]
    assert page.expenses.total.text() == "Total del mes (3 gastos): S/ 169.12"
    assert "falta registrar un retiro del banco" not in page.summary.warnings.text()
    assert not page.summary.withdraw_button.isVisibleTo(page)  # cash can no longer go below zero
    chart = page.summary.chart
    assert [chart.sets["gastado"].at(i) for i in range(len(chart.categories))] == \
        [float(h.spent) for h in reversed(b.headings)]


def test_the_expenses_grid_filters_by_heading_and_document_type(page, ui_db, school, cash, wait_idle):
    treasury.record_expenses(ui_db, school.id, [
        Expense(DAY, "gas", "boleta", "B001-1", RUC, "Gas SAC", "gas", Decimal("30.00")),
        Expense(DAY, "gas", "factura", "F001-1", RUC, "Gas SAC", "gas", Decimal("20.00")),
        Expense(DAY, "limpieza", "boleta", "B001-2", RUC, "Bazar", "lejía", Decimal("10.00")),
    ], user="prueba")
    page.refresh()
    wait_idle()
    panel = page.expenses
    panel.heading_filter.setCurrentIndex(panel.heading_filter.findData("gas"))
    assert panel.total.text() == "Total de los 2 gastos mostrados: S/ 50.00"
    panel.type_filter.setCurrentIndex(panel.type_filter.findData("factura"))
    assert [r.doc_number for r in panel.shown_rows()] == ["F001-1"]
    panel.heading_filter.setCurrentIndex(panel.heading_filter.findData("limpieza"))
    assert panel.proxy.rowCount() == 0 and panel.empty.isVisibleTo(panel)


# ---------------------------------------------------------------------------------------------- importing
def test_a_sheet_with_a_bad_ruc_a_negative_amount_and_an_unknown_heading_lists_all_three(qtbot, page, ui_db,
                                                                                           school, cash, tmp_path,
                                                                                           wait_idle):
    sheet = tmp_path / "gastos.csv"
    sheet.write_text(
        "fecha;rubro;tipo_documento;numero_documento;ruc_dni;proveedor;detalle;monto\n"
        f"03/11/2026;Gas;boleta;B001-000010;{BAD_RUC};Gas SAC;balón de gas;30,00\n"
        f"04/11/2026;Limpieza;boleta;B001-000011;{RUC};Bazar;lejía;-15,00\n"
        f"05/11/2026;Viajes;boleta;B001-000012;{RUC};Empresa;pasajes;20,00\n", encoding="utf-8")
    dialog = page.import_file(sheet)
    wait_idle()
    rows = dialog.model.rows()
    assert [(r.row, r.column) for r in rows] == [(2, "RUC o DNI"), (3, "monto"), (4, "rubro")]
    assert "último dígito no corresponde" in rows[0].what
    assert "mayor que cero" in rows[1].what
    assert "«Viajes» desconocido" in rows[2].what
    assert "no se importó nada" in dialog.title.text()
    assert "3 errores" in dialog.text.text()
    assert not dialog.record_button.isVisible()
    assert _spent(ui_db, school) == 0


def test_a_good_sheet_is_checked_first_and_recorded_when_asked(qtbot, page, ui_db, school, cash, tmp_path, wait_idle):
    sheet = tmp_path / "gastos.csv"
    sheet.write_text("fecha,rubro,tipo_documento,numero_documento,ruc_dni,proveedor,detalle,monto\n"
                     f"03/11/2026,Gas,boleta,B001-000010,{RUC},Gas SAC,balón de gas,30.00\n"
                     f"04/11/2026,Limpieza,boleta,B001-000011,{RUC},Bazar,lejía,15.50\n", encoding="utf-8")
    dialog = page.import_file(sheet)
    wait_idle()
    assert "2 gastos por S/ 45.50" in dialog.text.text()
    assert _spent(ui_db, school) == 0  # checked, not recorded
    dialog.record_button.click()
    wait_idle()
    assert _spent(ui_db, school) == Decimal("45.50")
    assert page.expenses.model.rowCount() == 2


def test_a_sheet_that_leaves_a_heading_under_ten_percent_warns_once_naming_the_rows(qtbot, page, ui_db, school,
                                                                                      cash, tmp_path, wait_idle):
    # gas gets 8 % of the S/ 1,000.00 transferred: S/ 80.00; S/ 73.00 leaves S/ 7.00 (under S/ 8.00), and each
    # of the three S/ 1.00 after it leaves less: S/ 4.00 after the last
    sheet = tmp_path / "gastos.csv"
    sheet.write_text("fecha,rubro,tipo_documento,numero_documento,ruc_dni,proveedor,detalle,monto\n"
                     + f"03/11/2026,Gas,boleta,B001-000020,{RUC},Gas SAC,balón de gas,73.00\n"
                     + "".join(f"04/11/2026,Gas,boleta,B001-00002{n},{RUC},Gas SAC,manguera,1.00\n" for n in (1, 2, 3)),
                     encoding="utf-8")
    dialog = page.import_file(sheet)
    wait_idle()
    said = [line for line in dialog.text.text().splitlines() if "menos del 10 %" in line]
    assert said == ["Aviso: gastos.csv: filas 2–5: tras cada uno de estos 4 gastos al rubro Gas le queda menos del "
                    "10 %; tras el último, S/ 4.00"]
    assert _spent(ui_db, school) == 0  # checked, not recorded


# ---------------------------------------------------------------------------------------------- the cycle
def test_presenting_a_month_blocks_new_expenses_in_it(qtbot, page, ui_db, school, wait_idle, monkeypatch):
    monkeypatch.setattr("ui.pages.treasury.confirm", lambda *a, **k: True)
    page.cycle.present_button.click()
    wait_idle()
    qtbot.waitUntil(lambda: page.view.state == "presentado")
    assert treasury.cycle_state(ui_db, school.id, MONTH) == "presentado"
    assert "Presentado" in page.state_label.text()
    form = page.form
    assert form.blocked.isVisibleTo(form) and "ya no se registran gastos" in form.blocked.text()
    assert not form.save_button.isEnabled() and not form.amount.isEnabled()
    assert not page.expenses.import_button.isEnabled()
    assert not page.transfers.transfer_form.isEnabled()
    _fill(page, amount="10.00")
    form.save()
    wait_idle()
    assert _spent(ui_db, school) == 0
    with pytest.raises(InvalidInput, match="ya fue presentada"):  # the service refuses it as well
        treasury.record_expenses(ui_db, school.id, [Expense(DAY, "gas", "boleta", "B001-9", RUC, "Gas", "gas",
                                                            Decimal("10.00"))], user="prueba")
    assert page.cycle.approve_button.isVisibleTo(page) and page.cycle.observe_button.isVisibleTo(page)


def test_a_member_who_may_not_present_is_told_so_before_being_asked(qtbot, page, ui_db, school, wait_idle,
                                                                   monkeypatch):
    """The secretary was asked «¿Presentar la rendición…?», and refused by role only after answering."""
    from qaliwarma.services import people

    for member in school.form.members:
        people.set_pin(ui_db, school.id, member.dni, "1234", user=people.SETUP_USER)
    page.ctx.user = people.signature(ui_db, school.id, "42345678")  # the secretary
    monkeypatch.setattr("ui.pages.treasury.confirm", lambda *a, **k: pytest.fail("no question is asked of her"))
    page.cycle.present_button.click()
    wait_idle()
    assert "Puede hacerlo: tesorero(a)" in page.banner.text.text()
    assert treasury.cycle_state(ui_db, school.id, MONTH) != "presentado"


def test_observations_are_shown_and_the_month_can_be_presented_again(qtbot, page, ui_db, school, wait_idle):
    page.set_state("presentado")
    wait_idle()
    page.set_state("observado", "Falta la boleta del gas.")
    wait_idle()
    qtbot.waitUntil(lambda: page.view.state == "observado")
    assert "Falta la boleta del gas." in page.cycle.observations.text()
    assert page.cycle.present_button.text() == "Volver a presentar la rendición"
    assert page.form.save_button.isEnabled() is False and page.form.amount.isEnabled()  # open again


# ---------------------------------------------------------------------------------------------- other tasks
def test_a_withdrawal_recorded_at_the_fold_says_so_in_view_after_its_list_grows(qtbot, page, ui_db, school,
                                                                                 wait_idle, monkeypatch):
    monkeypatch.setenv("QALIWARMA_TODAY", "2026-11-26")
    page.resize(1100, 330)  # short: the withdrawal form's last line starts under the fold
    page.show_tab(3)
    form = page.transfers.withdrawal_form
    rows = page.transfers.withdrawal_model.rowCount()
    form.day.setDate(date(2026, 11, 26))
    form.amount.setText("50.00")
    qtbot.keyClick(form.amount, Qt.Key.Key_Return)
    wait_idle()  # recorded, then the lists above refreshed with one more row
    qtbot.wait(100)
    assert form.done.text().startswith("✓ Retiro de S/ 50.00 registrado")
    assert page.transfers.withdrawal_model.rowCount() == rows + 1  # the list above grew
    qtbot.waitUntil(lambda: form.done.visibleRegion().boundingRect().height() == form.done.height(), timeout=3000)


def test_a_transfer_dated_later_this_month_is_refused_in_its_form_and_nothing_is_recorded(
        qtbot, page, ui_db, school, wait_idle, monkeypatch):
    """The form offers the shown month's days (a year typed wrong cannot be entered here); one still to come is
    refused where it was typed."""
    monkeypatch.setenv("QALIWARMA_TODAY", "2026-11-26")  # the demo's today, for the core as for the page
    page.resize(1100, 330)  # short, so that the form's last line starts under the fold (as at 1366×768 with
    # the month's lists filled)
    page.show_tab(3)
    form = page.transfers.transfer_form
    before = treasury.balance(ui_db, school.id, MONTH).transferred_in_month
    form.day.setDate(date(2026, 11, 30))
    form.amount.setText("2,500.50")
    form.reference.setText("BN op. 78")
    qtbot.keyClick(form.amount, Qt.Key.Key_Return)
    wait_idle()
    said = form.done.text()
    assert "la fecha 30/11/2026 es posterior a hoy (26/11/2026)" in said and form.done.property("role") == "error"
    assert not form.done.isHidden()
    # brought into view whole: no line of it left under the fold
    qtbot.waitUntil(lambda: form.done.visibleRegion().boundingRect().height() == form.done.height(), timeout=3000)
    assert treasury.balance(ui_db, school.id, MONTH).transferred_in_month == before
    assert form.amount.text() == "2,500.50"  # what was typed stays, to put the date right


def test_a_transfer_is_recorded_with_enter_and_listed_with_its_deadline(qtbot, page, ui_db, school, wait_idle):
    page.show_tab(3)
    form = page.transfers.transfer_form
    form.day.setDate(date(2026, 11, 15))
    form.amount.setText("abc")
    form.submit()
    assert "«abc» no es un número válido" in form.message.text()
    form.amount.setText("2,500.50")
    form.reference.setText("BN op. 77")
    qtbot.keyClick(form.amount, Qt.Key.Key_Return)
    wait_idle()
    assert treasury.balance(ui_db, school.id, MONTH).transferred_in_month == Decimal("3500.50")
    model = page.transfers.model
    assert [model.index(r, c).data() for r in range(model.rowCount()) for c in range(4)][-4:] == \
        ["15/11/2026", "S/ 2,500.50", "BN op. 77", "10/12/2026"]
    # said in the form whose button was pressed (at the tab's bottom it was below the fold of a 1366×768 screen)
    assert form.done.text() == "✓ Transferencia de S/ 2,500.50 registrada. Rinda cuentas de ella hasta el 10/12/2026."
    assert not form.done.isHidden() and page.transfers.status.text() == ""
    withdrawal = page.transfers.withdrawal_form
    withdrawal.amount.setText("999999.00")
    qtbot.keyClick(withdrawal.amount, Qt.Key.Key_Return)
    wait_idle()
    assert "supera" in withdrawal.done.text() and withdrawal.done.property("role") == "error"
    assert form.done.isHidden()  # the transfer's «✓» is no longer the news
    page.set_month("2026-10")
    qtbot.waitUntil(lambda: page.view is not None and page.view.month == "2026-10")
    wait_idle()
    assert withdrawal.done.isHidden()  # November's refusal is not October's


def test_the_tabs_behind_the_summary_are_built_when_opened_with_the_month_shown(qtbot, page, ui_db, school, cash,
                                                                              wait_idle):
    """The page opens on «Resumen del mes»; «Registrar gasto», «Gastos del mes» and «Dinero recibido» are built
    when first opened, with the month already read (and kept up to date after that)."""
    treasury.record_expenses(ui_db, school.id, [
        Expense(DAY, "gas", "boleta", "B001-1", RUC, "Gas SAC", "gas", Decimal("30.00")),
        Expense(date(2026, 11, 9), "alimentos", "recibo", "R-1", "43456789", "Rosa", "huevos", Decimal("12.50")),
    ], user="prueba")
    page.refresh()
    wait_idle()
    assert (page._form, page._expenses, page._transfers) == (None, None, None)
    page.tabs.setCurrentIndex(2)  # as a click on the tab
    expenses = page._expenses
    assert expenses is not None and expenses.isVisible()
    assert [expenses.proxy.index(r, 0).data() for r in range(expenses.proxy.rowCount())] == ["1", "2"]
    assert expenses.total.text() == "Total del mes (2 gastos): S/ 42.50"
    table = expenses.table
    header = table.verticalHeader()
    assert table.rowHeight(0) == max(table.sizeHintForRow(0), header.minimumSectionSize())  # measured when shown
    page.tabs.setCurrentIndex(3)
    assert page._transfers is not None and page._transfers.model.rowCount() == 1
    page.tabs.setCurrentIndex(1)
    form = page._form
    assert form is not None and form.heading.findData("gas") >= 0  # the month's headings to choose from
    treasury.record_expenses(ui_db, school.id, [Expense(DAY, "gas", "boleta", "B001-2", RUC, "Gas SAC", "gas",
                                                        Decimal("7.00"))], user="prueba")
    page.ctx.changed("treasury")
    wait_idle()
    assert expenses.total.text() == "Total del mes (3 gastos): S/ 49.50"
    page.tabs.setCurrentIndex(2)  # reloaded while another tab was shown: its new row measured on coming back
    assert table.rowHeight(2) == max(table.sizeHintForRow(2), header.minimumSectionSize())


def test_an_expense_is_cancelled_with_its_reason(page, ui_db, school, cash, wait_idle):
    treasury.record_expenses(ui_db, school.id, [Expense(DAY, "gas", "boleta", "B001-1", RUC, "Gas SAC", "gas",
                                                        Decimal("30.00"))], user="prueba")
    page.refresh()
    wait_idle()
    page.tabs.setCurrentIndex(1)  # the receipt form, as if it had just saved this expense
    page._form.saved_note.setText("✓ Gasto guardado: Gas SAC, S/ 30.00.")
    page._form.saved_note.show()
    told: list[str] = []
    page.ctx.data_changed.connect(told.append)
    row = page.expenses.model.row_at(0)
    page.reverse(row, "El monto estaba mal copiado")
    wait_idle()
    assert "treasury" in told
    assert _spent(ui_db, school) == 0
    assert page.expenses.model.rowCount() == 0
    assert "anulado" in page.banner.text.text()
    assert not page._form.saved_note.isVisibleTo(page._form)  # «✓ Gasto guardado» of it no longer stands
    # the list no longer shows it: below the total, its number and why it is missing
    assert page.expenses.cancelled.isVisibleTo(page.expenses)
    # the reason is typed by a user: shown as typed, never read as markup («duplicado <b></b><!--» hid the rest)
    assert page.expenses.cancelled.textFormat() == Qt.TextFormat.PlainText
    assert page.expenses.cancelled.text() == (f"Anulados en el mes (no figuran en la lista): n.º {row.number} "
                                              f"(B001-1, S/ 30.00), el {DAY:%d/%m/%Y}: El monto estaba mal copiado.")


def test_the_confirmation_of_a_cancelled_expense_does_not_follow_the_user_elsewhere(page, ui_db, school, cash,
                                                                                     wait_idle):
    """«Gasto n.º 1 anulado» stayed above every tab, and greeted the user again on coming back to Tesorería."""
    for number in ("B001-1", "B001-2"):
        treasury.record_expenses(ui_db, school.id, [Expense(DAY, "gas", "boleta", number, RUC, "Gas SAC", "gas",
                                                            Decimal("30.00"))], user="prueba")
    page.refresh()
    wait_idle()
    page.tabs.setCurrentIndex(2)
    page.reverse(page.expenses.model.row_at(0), "Duplicado")
    wait_idle()
    assert page.banner.isVisibleTo(page) and "anulado" in page.banner.text.text()
    page.tabs.setCurrentIndex(3)  # «Dinero recibido»: the confirmation was about the list just left
    assert not page.banner.isVisibleTo(page)
    page.tabs.setCurrentIndex(2)
    page.reverse(page.expenses.model.row_at(0), "Duplicado")
    wait_idle()
    assert page.banner.isVisibleTo(page)
    page.hide()  # another page of the window, then back to Tesorería
    page.show()
    assert not page.banner.isVisibleTo(page)
    page.banner.show_message("No se pudo leer el mes.", error=True)  # a problem stays until it is dealt with
    page.tabs.setCurrentIndex(1)
    page.hide()
    page.show()
    assert page.banner.isVisibleTo(page)


def test_headings_are_changed_in_their_dialog(qtbot, page, ui_db, school, wait_idle):
    dialog = page.open_headings()
    gas = next(r for r in dialog.rows if r.code == "gas")
    gas.value.setText("60")
    dialog.validate()
    assert "suman 152 %" in dialog.sum_label.text() and not dialog.save_button.isEnabled()
    gas.value.setText("6")
    dialog.validate()
    dialog.save_button.click()
    wait_idle()
    assert Heading("gas", "Gas", Decimal("6.00")) in treasury.headings(ui_db, school.id)
    qtbot.waitUntil(lambda: page.view.heading("gas").allotted == Decimal("60.00"))


def test_the_months_documents_are_written(page, tmp_path, wait_idle):
    page.print_document("balance", tmp_path / "balance.pdf")
    page.print_document("acta", tmp_path / "acta.pdf", place="Comedor de la I.E.", attendees=["Rosa Quispe"],
                        agreements=["Comprar ollas"], held_on=date(2026, 12, 5))
    page.print_document("libro", tmp_path / "libro.pdf")
    wait_idle(30000)
    for name in ("balance", "acta", "libro"):
        assert (tmp_path / f"{name}.pdf").read_bytes().startswith(b"%PDF")
    assert "libro.pdf" in page.banner.text.text()


def test_without_a_committee_the_page_says_what_to_do(qtbot, ui_db, runner, wait_idle):
    page = TreasuryPage(AppContext(ui_db, runner, None, user="Yolanda"))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    wait_idle()
    assert page.no_committee.isVisible() and "«Comité»" in page.no_committee.text()
    assert not page.tabs.isVisible()


# ---------------------------------------------------------------------------------------------- models
EXPENSES = [ExpenseRow(3, 1, DAY, "gas", "Gas", "boleta", "B001-1", RUC, "Gas SAC", "gas", Decimal("30.00"),
                       "efectivo"),
            ExpenseRow(4, 2, DAY, "otros", "Otros", "planilla_movilidad", "PM-1", "", "Juan", "flete",
                       Decimal("5.50"), "banco")]


@pytest.mark.parametrize("make, rows", [
    (ExpenseTableModel, EXPENSES),
    (TransferTableModel, [TransferRow(1, DAY, Decimal("1000.00"), "BN", date(2026, 12, 10))]),
    (HeadingTableModel, [treasury.HeadingBalance("gas", "Gas", Decimal("80.00"), Decimal("75.00"), Decimal("75.00")),
                         treasury.HeadingBalance("otros", "Otros", Decimal("0.00"), Decimal("0.00"), Decimal("0"))]),
    (ItemTableModel, [ItemRow("U19", "Papa", "KILO", "1 kg", Decimal("40"), Decimal("1.80"))]),
    (ProblemTableModel, [SheetProblem(2, "monto", "Falta el monto"), SheetProblem(None, "", "Archivo vacío")]),
])
def test_treasury_models(qtmodeltester, make, rows):
    model = make()
    qtmodeltester.check(model)
    model.set_rows(rows)
    qtmodeltester.check(model)
    proxy = RowsProxy()
    proxy.setSourceModel(model)
    proxy.sort(0)
    qtmodeltester.check(proxy)


def test_the_payment_is_not_cash_while_the_cash_box_is_empty(page, ui_db, school, wait_idle):
    """The committee received S/ 1,000 in the bank and withdrew nothing: a receipt starts as paid by bank."""
    form = page.form
    assert form.payment.currentData() == "banco"
    treasury.record_withdrawal(ui_db, school.id, DAY, Decimal("200.00"), user="prueba")
    page.ctx.changed("treasury")
    wait_idle()
    assert form.payment.currentData() == "efectivo"  # now there is cash to pay with


@pytest.mark.parametrize(("largest", "labels"), [
    (0, ["S/ 0", "S/ 25", "S/ 50", "S/ 75", "S/ 100"]),   # nothing yet: round amounts, none repeated
    (1.5, ["S/ 0", "S/ 1", "S/ 2"]),
    (3754.30, ["S/ 0", "S/ 1000", "S/ 2000", "S/ 3000", "S/ 4000"]),
    (5200, ["S/ 0", "S/ 2000", "S/ 4000", "S/ 6000"]),
])
def test_the_money_charts_axis_reads_round_different_amounts(largest, labels):
    from ui.widgets.treasury_chart import money_axis

    top, ticks = money_axis(largest)
    step = top / (ticks - 1)
    assert [f"S/ {step * n:.0f}" for n in range(ticks)] == labels
    assert top >= largest


def test_a_closed_month_not_yet_presented_is_not_shown_as_a_draft(qtbot, ui_db, runner, school, wait_idle):
    from qaliwarma.services import periods

    before = _open(qtbot, ui_db, runner, school, wait_idle)
    assert "Borrador" in before.state_label.text()  # open and not presented: a draft
    periods.close(ui_db, school.id, MONTH, user="prueba", today=date(2026, 12, 4))
    page = _open(qtbot, ui_db, runner, school, wait_idle)
    assert page.view.closed and page.view.state == "borrador"
    assert page.state_label.text() == "Rendición: por presentar (mes cerrado)"


def test_in_an_english_window_the_months_documents_print_in_english(page, tmp_path, wait_idle):
    """The PDFs are written on the worker thread in the window's language (Spanish by default, above)."""
    from tests.core.test_reports import pages, squeeze
    from ui import i18n

    i18n.install("en")
    try:
        page.print_document("balance", tmp_path / "balance.pdf")
        wait_idle(30000)
    finally:
        i18n.install("es")
    text = squeeze(" ".join(pages(tmp_path / "balance.pdf")))
    assert "Expense balance" in text and "Page 1 of" in text
    assert "Balance de gastos" not in text and "Página" not in text


def test_the_page_opens_on_the_month_of_the_last_standing_line_of_the_cash_book(ui_db, school, monkeypatch):
    from qaliwarma.services import corrections

    today = date(2026, 11, 20)
    assert latest_month(ui_db, school.id, today) == "2026-11"  # the transfer of 02/11: this month
    # lines of later months: recorded when the computer's clock said March 2027 (nothing is recorded ahead of
    # the day the computer says), the page opened on a day the clock says is earlier
    monkeypatch.setenv("QALIWARMA_TODAY", "2027-03-09")
    treasury.record_transfer(ui_db, school.id, Transfer(date(2027, 1, 4), Decimal("50.00"), "BN adelanto"),
                             user="prueba")
    late = treasury.record_transfer(ui_db, school.id, Transfer(date(2027, 3, 8), Decimal("70.00"), "BN marzo"),
                                    user="prueba")
    assert latest_month(ui_db, school.id, today) == "2027-03"  # a later month that already has records
    corrections.reverse(ui_db, school.id, late, user="prueba", reason="transferencia de otro colegio",
                        day=date(2027, 3, 9))
    assert latest_month(ui_db, school.id, today) == "2027-01"  # the reversed one has no line
    assert latest_month(ui_db, school.id, date(2027, 6, 1)) == "2027-06"  # today is later than every line


def test_the_page_opens_on_the_latest_month_with_money_and_shows_it(qtbot, ui_db, runner, school, wait_idle):
    """Opened without a month, the page shows the latest month of the cash book (here one after today's, as in
    the demo), with its transfer listed once its data is back."""
    later = date(date.today().year + 1, 3, 2)
    with pytest.MonkeyPatch.context() as clock_said:  # recorded when the computer's clock said that day
        clock_said.setenv("QALIWARMA_TODAY", later.isoformat())
        treasury.record_transfer(ui_db, school.id, Transfer(later, Decimal("750.00"), "BN op. 9"), user="prueba")
    page = TreasuryPage(AppContext(ui_db, runner, school, user="Yolanda"))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    wait_idle()
    month = f"{later:%Y-%m}"
    assert page.view is not None and page.view.month == month
    assert page.month_combo.currentData() == month
    model = page.transfers.model
    assert [model.index(0, c).data() for c in range(3)] == [later.strftime("%d/%m/%Y"), "S/ 750.00", "BN op. 9"]
    assert page.tabs.isEnabled()


def test_a_transfer_or_a_withdrawal_typed_wrong_is_cancelled_with_its_reason(qtbot, page, ui_db, school, wait_idle):
    """A treasurer typed 9000 for a 900 transfer and took 500 out instead of 50: each is chosen in its list
    (withdrawals are listed too) and cancelled with a reason; the bank and the box go back by hand's arithmetic
    and both entries stay in the history as reversed."""
    from qaliwarma.persistence.journal import Journal

    wrong = treasury.record_transfer(ui_db, school.id, Transfer(DAY, Decimal("9000.00"), "BN 77"), user="prueba")
    taken = treasury.record_withdrawal(ui_db, school.id, DAY, Decimal("500.00"), user="prueba")
    page.refresh()
    wait_idle()
    panel = page.transfers
    before = treasury.balance(ui_db, school.id, f"{DAY:%Y-%m}")
    assert panel.withdrawal_model.rowCount() == 1 and not panel.reverse_button.isEnabled()  # nothing chosen yet
    panel.table.selectRow(next(i for i in range(panel.model.rowCount()) if panel.model.row_at(i).seq == wrong))
    assert panel.chosen().seq == wrong and panel.reverse_button.isEnabled()
    page.reverse_money(panel.chosen(), "era 900, no 9000")
    wait_idle()
    assert "anulada" in panel.status.text()
    panel.withdrawal_table.selectRow(0)
    assert panel.chosen().seq == taken and not panel.table.selectionModel().hasSelection()
    page.reverse_money(panel.chosen(), "fueron 50")
    wait_idle()
    assert "anulado" in panel.status.text()
    after = treasury.balance(ui_db, school.id, f"{DAY:%Y-%m}")
    assert after.bank == before.bank - Decimal("9000.00") + Decimal("500.00")
    assert after.cash == before.cash - Decimal("500.00")
    assert panel.withdrawal_model.rowCount() == 0 and all(panel.model.row_at(i).seq != wrong
                                                          for i in range(panel.model.rowCount()))
    with ui_db.session() as s:
        reasons = {e.corrects_seq: e.reason for e in Journal(s, school.id).entries() if e.correction_type}
    assert reasons == {wrong: "era 900, no 9000", taken: "fueron 50"}


@pytest.mark.parametrize(("typed", "named"), [("35.5550", "2 decimales"), ("12000000", "10,000,000"),
                                              ("-12.50", "menor que cero")])
def test_a_receipt_amount_beyond_centimos_or_the_limit_is_named_not_rounded(page, typed, named):
    """As in a transfer and in a sheet: «35.5550» is not silently recorded as S/ 35.56 (the user may have meant
    S/ 35,555.00); more than S/ 10 million and a negative amount are named beside the field."""
    _fill(page, amount=typed)
    errors = page.form.errors()
    assert named in errors["monto"], errors
    page.form.validate()
    assert not page.form.save_button.isEnabled()


def test_a_receipt_amount_in_soles_and_centimos_is_read_as_typed(page):
    for typed, read in (("125.50", "125.50"), ("S/ 1,200.00", "1200.00"), ("0.05", "0.05")):
        _fill(page, amount=typed)
        assert "monto" not in page.form.errors(), typed
        assert page.form.expense()[1] == Decimal(read), typed


def test_a_month_before_a_closed_month_is_shown_closed(page, ui_db, school, wait_idle):
    """October left open, November closed: October takes no records (its figures feed November's), so its
    forms are off and it says so, instead of accepting a receipt the journal then refuses."""
    from qaliwarma.services import periods

    periods.close(ui_db, school.id, "2026-11", user="prueba", today=date(2026, 12, 2))
    page.set_month("2026-10")
    wait_idle()
    assert page.view.month == "2026-10" and page.view.closed
    assert not page.transfers.transfer_form.isEnabled() and not page.transfers.blocked.isHidden()
    page.set_month("2026-12")
    wait_idle()
    assert not page.view.closed and page.transfers.transfer_form.isEnabled()


def test_the_headings_saved_from_their_dialog_are_signed_by_who_is_working_and_only_by_a_money_role(
        qtbot, ui_db, runner, school, wait_idle):
    """«Guardar rubros» writes the headings' journal entry in the name of the member signed in; the secretary,
    whose role does not handle the money, is told so beside the button and nothing changes."""
    from qaliwarma.persistence.journal import Journal
    from qaliwarma.services import people
    from ui.dialogs.treasury_headings import HeadingsDialog

    for member in setup.demo_form().members:
        people.set_pin(ui_db, school.id, member.dni, "1234", user=people.SETUP_USER)
    shares = [Heading("alimentos", "Alimentos", Decimal("75")), Heading("gas", "Gas", Decimal("10"))]
    for dni, saved in (("42345678", False), ("45678901", True)):
        ctx = AppContext(ui_db, runner, school, user=people.sign_in(ui_db, school.id, dni, "1234"))
        dialog = HeadingsDialog(ctx, shares, set())
        qtbot.addWidget(dialog)
        dialog.save()
        wait_idle()
        with ui_db.session() as s:
            entries = [e for e in Journal(s, school.id).entries() if e.kind == "tesoreria.rubros"]
        if saved:
            assert [e.user for e in entries] == ["Yolanda Curi Ramos (DNI 45678901)"]
            assert [h.code for h in treasury.headings(ui_db, school.id)] == ["alimentos", "gas"]
        else:
            assert entries == [] and "tesorero" in dialog.status.text().lower(), dialog.status.text()
            assert dialog.save_button.isEnabled()


def test_a_click_anywhere_in_the_date_then_the_day_typed_sets_the_day(qtbot, page, wait_idle):
    """The date field is wide: a click lands on the year. Typing «15» must still make it the 15th (it used to
    change nothing until an arrow key moved the cursor to the day). Tab then leaves the field (it used to go
    on to the date's month and year, and the next field's digits changed the date)."""
    from PySide6.QtCore import QPoint

    page.window().activateWindow()
    page.show_tab(1)
    day = page.form.day
    qtbot.waitUntil(day.isVisible)
    qtbot.mouseClick(day.lineEdit() if hasattr(day, "lineEdit") else day, Qt.MouseButton.LeftButton,
                     pos=QPoint(day.width() - 60, day.height() // 2))
    qtbot.waitUntil(day.hasFocus)
    qtbot.wait(20)
    qtbot.keyClicks(day, "15")
    assert day.date().toPython() == date(2026, 11, 15)
    qtbot.keyClick(day, Qt.Key.Key_Tab)  # on to the next field («Rubro»), not to the date's month
    qtbot.waitUntil(page.form.heading.hasFocus)
    assert day.date().toPython() == date(2026, 11, 15)
    day.setFocus(Qt.FocusReason.BacktabFocusReason)  # back by Shift+Tab: the whole date typed from its day
    qtbot.waitUntil(day.hasFocus)
    qtbot.wait(20)
    qtbot.keyClicks(day, "09112026")
    assert day.date().toPython() == date(2026, 11, 9)


def test_a_date_of_another_month_is_kept_as_typed_and_said_not_moved_into_the_month(qtbot, page, ui_db, school,
                                                                                     cash, wait_idle):
    """November chosen above, «15102026» typed: the field used to turn it into 15/11/2026 without a word (Qt
    kept the date inside the month) and the receipt was saved in the wrong month. The date now stays as typed,
    the form says which month it is and which is chosen, and nothing can be saved until it is put right."""
    page.window().activateWindow()
    page.show_tab(1)
    _fill(page)
    form = page.form
    qtbot.waitUntil(form.day.isVisible)
    form.day.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(form.day.hasFocus)
    qtbot.wait(20)
    qtbot.keyClicks(form.day, "15102026")
    assert form.day.date().toPython() == date(2026, 10, 15)
    said = form.messages["fecha"].text()
    assert "15/10/2026" in said and "noviembre de 2026" in said and "octubre de 2026" in said, said
    assert form.messages["fecha"].isVisible() and not form.save_button.isEnabled()
    before = [treasury.balance(ui_db, school.id, month).spent_in_month for month in ("2026-10", MONTH)]
    form.save()
    wait_idle()
    assert [treasury.balance(ui_db, school.id, month).spent_in_month for month in ("2026-10", MONTH)] == before
    form.setFocus()
    form.day.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.wait(20)
    qtbot.keyClicks(form.day, "15112026")  # put right: the message goes, the receipt can be saved
    assert form.day.date().toPython() == date(2026, 11, 15)
    qtbot.waitUntil(lambda: form.messages["fecha"].text() == "" and form.save_button.isEnabled())


def test_a_transfer_dated_in_another_month_is_not_submitted_and_the_date_is_named(qtbot):
    from ui.widgets.treasury_transfers import TransfersPanel

    panel = TransfersPanel()
    qtbot.addWidget(panel)
    form = panel.transfer_form
    form.set_month(MONTH)
    sent = []
    panel.transfer_submitted.connect(sent.append)
    form.day.setDate(date(2026, 12, 15))  # a month typed wrong
    assert form.day.date().toPython() == date(2026, 12, 15)  # kept as typed
    form.amount.setText("4500.00")
    form.submit()
    assert sent == []
    assert "15/12/2026" in form.message.text() and "noviembre de 2026" in form.message.text()
    form.day.setDate(date(2026, 11, 15))
    assert form.message.text() == ""
    form.submit()
    assert [(t.day, t.amount) for t in sent] == [(date(2026, 11, 15), Decimal("4500.00"))]


def test_a_long_receipt_name_wraps_in_its_column_instead_of_squeezing_the_supplier_and_the_detail(
        page, ui_db, school, cash, wait_idle):
    """«Planilla movilidad PM-2026-11» used to set the receipt column's width for the whole month, and the
    supplier and the detail wrapped into five-line rows (four receipts on the screen)."""
    treasury.record_expenses(ui_db, school.id, [
        Expense(DAY, "transporte", "planilla_movilidad", "PM-2026-11-000123", "", "Teodoro Huamaní",
                "Flete de los alimentos", Decimal("40.00"),
                extra={"origen": "mercado", "destino": "escuela", "motivo": "traslado"}),
        Expense(DAY, "gas", "boleta", "B001-1", RUC, "Comercial Mercado Modelo E.I.R.L.",
                "Queso fresco, huevos y cebolla para el mes", Decimal("30.00"))], user="prueba")
    page.refresh()
    wait_idle()
    page.tabs.setCurrentIndex(2)
    table = page._expenses.table
    metrics, header = table.fontMetrics(), table.horizontalHeader()
    receipt = header.sectionSize(3)
    assert receipt < metrics.horizontalAdvance("Planilla movilidad PM-2026-11-000123")
    assert receipt >= metrics.horizontalAdvance("Boleta B002-00004518")
    assert header.sectionSize(5) > metrics.horizontalAdvance("Queso fresco, huevos")  # the detail: 2 lines or so


def test_after_a_saved_receipt_a_refused_one_does_not_read_as_saved_and_errors_stay_in_their_month(
        qtbot, page, ui_db, school, cash, wait_idle):
    form = page.form
    page.show_tab(1)
    _fill(page, amount="20.00")
    qtbot.waitUntil(form.save_button.isEnabled)
    form.save()
    qtbot.waitUntil(lambda: form.saved_note.text().startswith("✓"))
    wait_idle()
    _fill(page, number="B001-000002", amount="abc")  # the next receipt, typed wrong
    form.save()
    assert not form.saved_note.isVisible() and "por corregir" in form.status.text()
    assert form.messages["monto"].isVisible()
    page.set_month("2026-10")
    qtbot.waitUntil(lambda: page.view is not None and page.view.month == "2026-10")
    wait_idle()
    assert not form.messages["monto"].isVisible()  # November's refusal is not October's


def test_a_month_13_typed_in_a_transfer_is_said_as_typed_and_the_message_goes_when_the_date_is_put_right(qtbot):
    """«5/13/2026»: the field kept 05/01/2026 and the form blamed January, a date the user never typed; the
    field's own words were only in a tooltip. The form now says what the field said, refuses the transfer,
    and its message goes once the date is typed right."""
    from ui.widgets.treasury_transfers import TransfersPanel

    panel = TransfersPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.activateWindow()
    qtbot.waitExposed(panel)
    form = panel.transfer_form
    form.set_month(MONTH)
    sent = []
    panel.transfer_submitted.connect(sent.append)
    form.amount.setText("4500.00")
    type_date(qtbot, form.day, "5/13/2026")
    form.amount.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(form.amount.hasFocus)
    assert "La fecha no admite «3» ahí" in form.message.text()
    form.submit()
    assert sent == [] and "La fecha no admite «3» ahí" in form.message.text()
    type_date(qtbot, form.day, "25/11/2026")
    assert form.day.date().toPython() == date(2026, 11, 25)
    assert form.message.text() == ""
    form.submit()
    assert [(t.day, t.amount) for t in sent] == [(date(2026, 11, 25), Decimal("4500.00"))]


def test_a_new_press_takes_away_what_the_last_one_was_answered(qtbot):
    """«Retiro del banco»: the service's «supera el saldo» stayed beside the form's new «monto» message."""
    from ui.widgets.treasury_transfers import TransfersPanel

    panel = TransfersPanel()
    qtbot.addWidget(panel)
    form = panel.withdrawal_form
    form.set_month(MONTH)
    panel.set_status("El retiro supera el saldo del banco (S/ 500.00).", error=True, form=form)
    assert form.done.text().startswith("El retiro supera el saldo")
    form.amount.setText("abc")
    form.submit()
    assert form.done.text() == "" and not form.done.isVisibleTo(form)
    assert form.message.text() != ""  # what is wrong with this press, alone
