"""Recepción: a delivery checked line by line; rejected quantities never enter the store, a partial line
adds only what was accepted; problems are shown beside their field or line; the acta is printed."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from qaliwarma.services import receiving, stock
from qaliwarma.services.store_views import load_receptions
from tests.ui.conftest import DEMO_TODAY
from ui.models.stock_lists import ReceptionListModel
from ui.pages.reception import ReceptionPage
from ui.widgets.stock_reception_line import ReceptionLineEditor

TODAY = DEMO_TODAY
RUC = "20604512370"  # a valid RUC (SUNAT check digit)


@pytest.fixture
def page(qtbot, ctx, wait_idle):
    widget = ReceptionPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1136, 680)
    widget.show()
    wait_idle()
    return widget


def _head(page: ReceptionPage, acta: str = "AER-2026-000900") -> None:
    page.acta.setText(acta)
    page.ruc.setText(RUC)
    page.supplier.setText("Distribuidora Andina del Centro S.A.C.")
    page.vehicle_clean.setChecked(True)
    page.storage_ready.setChecked(True)


def _line(editor: ReceptionLineEditor, product: str, unit: str, net: str, quantity: int, *, lot: str,
          expiry: str = "31/12/2027", conformity: str = "conforme", accepted: int | None = None,
          state: str = "bueno", observation: str = "", registration: str = "A4321999N/NADSA") -> None:
    editor.product.setText(product)
    editor.brand.setText("Marca de prueba")
    editor.unit.setCurrentText(unit)
    editor.net.setText(net)
    editor.quantity.setValue(quantity)
    editor.lot.setText(lot)
    editor.production.setText("01/10/2026")
    editor.expiry.setText(expiry)
    editor.registration.setText(registration)
    editor.package.setCurrentIndex(editor.package.findData(state))
    editor.conformity.setCurrentIndex(editor.conformity.findData(conformity))
    if accepted is not None:
        editor.accepted.setValue(accepted)
    editor.observation.setText(observation)


def test_a_rejected_line_stays_out_and_a_partial_line_adds_only_what_was_accepted(page, ctx, printed, wait_idle):
    before = stock.on_hand(ctx.db, ctx.committee.id)
    assert "A3" not in before and "E21" not in before
    _head(page)
    _line(page.lines[0], "arroz (A3)", "BOLSA", "1 kg", 50, lot="L-A3-77", conformity="parcial", accepted=40,
          state="humedo", observation="10 bolsas mojadas: se devuelven")
    rice_hint = page.lines[0].hint.text()
    assert "Arroz blanco corriente · A3" in rice_hint and "1 kg por bolsa" in rice_hint
    second = page.add_line()
    _line(second, "atun en conserva", "LATA", "0.170 kg", 24, lot="L-E21-5", conformity="rechazado",
          state="hinchado", observation="latas hinchadas")
    third = page.add_line()
    _line(third, "Azúcar granulada o refinada (K1)", "BOLSA", "1 kg", 10, lot="L-K1-9")
    page.add_line()  # a blank line left at the end is not part of the acta
    page.register()
    wait_idle()

    assert page.status.text() == ("✓ Acta AER-2026-000900 registrada: ingresaron 50 kg al almacén. "
                                  "Se rechazaron 14.08 kg; no entraron al almacén.")
    after = stock.on_hand(ctx.db, ctx.committee.id)
    assert after["A3"] == Decimal("40000")  # 40 of the 50 bags
    assert "E21" not in after  # the rejected tuna never entered
    assert after["K1"] - before["K1"] == Decimal("10000")
    assert [lot.lot for lot in stock.lots(ctx.db, ctx.committee.id, food_code="A3")] == ["L-A3-77"]
    assert page.acta.text() == "" and len(page.lines) == 1  # ready for the next delivery
    assert "imprima el acta AER-2026-000900" in page.banner.text.text()

    page.tabs.setCurrentIndex(1)
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).acta == "AER-2026-000900")
    assert page.model.index(row, 3).data() == "Parcial"
    assert page.model.index(row, 5).data() == "50 kg"
    assert page.model.index(row, 6).data() == "14.08 kg"

    # another delivery refused (its acta is already recorded): the print button still names the one it prints
    _head(page, acta="AER-2026-000731")
    _line(page.lines[0], "azucar (K1)", "BOLSA", "1 kg", 5, lot="L-9")
    page.register()
    wait_idle()
    assert "Ya fue registrada" in page.acta_message.text()
    assert page.print_button.text() == "Imprimir acta AER-2026-000900"
    page.print_last()
    wait_idle()
    assert [p.name for p in printed] == ["acta-recepcion-AER-2026-000900.pdf"]
    assert printed[0].read_bytes().startswith(b"%PDF")


def test_each_problem_is_shown_beside_its_line_and_nothing_is_recorded(page, ctx, wait_idle):
    journal_before = receiving.existing_actas(ctx.db, ctx.committee.id)
    stock_before = stock.on_hand(ctx.db, ctx.committee.id)
    _head(page)
    _line(page.lines[0], "arroz (A3)", "BOLSA", "1 kg", 50, lot="L-1", conformity="parcial", accepted=50)
    second = page.add_line()
    _line(second, "pan de oro", "BOLSA", "1 kilo y medio", 5, lot="")
    third = page.add_line()
    _line(third, "quinua (A52)", "BOLSA", "1 kg", 5, lot="L-3", expiry="20/11/2026", state="abollado")
    page.register()
    wait_idle()
    first_problems = page.lines[0].problems.text()
    assert "Cantidad aceptada: en una recepción parcial, la cantidad aceptada va entre 0 y la cantidad del acta" \
        in first_problems
    assert "Observación: escriba por qué se rechaza" in first_problems
    second_problems = second.problems.text()
    assert "Elija el producto de la lista" in second_problems
    assert "Falta el lote" in second_problems
    assert "Presentación: Unidad desconocida «kilo y medio»" in second_problems
    assert "la presentación debe indicar" not in second_problems  # said once, in the form's words
    assert "resources/products.toml" not in second_problems  # the file's wording is not shown on screen
    third_problems = third.problems.text()
    assert "El producto venció el 20/11/2026: debe rechazarse" in third_problems
    assert "Un envase «abollado» no se recibe conforme" in third_problems
    assert "no se registró nada" in page.status.text()
    assert receiving.existing_actas(ctx.db, ctx.committee.id) == journal_before
    assert stock.on_hand(ctx.db, ctx.committee.id) == stock_before
    # the count follows what is left as lines are mended (it used to stay at its first figure)
    counted = int(re.search(r"Hay (\d+) datos", page.status.text())[1])
    page.remove_line(third)
    page._recheck()
    left = re.search(r"Hay (\d+) datos?", page.status.text())
    assert left is not None and int(left[1]) < counted, page.status.text()
    page.remove_line(second)
    _line(page.lines[0], "arroz (A3)", "BOLSA", "1 kg", 50, lot="L-1")
    page._recheck()
    assert page.status.text() == "Ya no hay datos por corregir: pulse «Registrar recepción»."


def test_an_acta_already_recorded_is_refused_beside_its_number(page, ctx, wait_idle):
    _head(page, acta="AER-2026-000731")  # the demo's delivery
    _line(page.lines[0], "azucar (K1)", "BOLSA", "1 kg", 5, lot="L-9")
    before = stock.on_hand(ctx.db, ctx.committee.id)
    page.register()
    wait_idle()
    assert "Ya fue registrada" in page.acta_message.text()
    assert page.acta_message.isVisible()
    assert stock.on_hand(ctx.db, ctx.committee.id) == before


def test_a_delivery_dated_after_today_is_refused_beside_its_date_and_cleared_when_put_right(
        page, ctx, wait_idle, monkeypatch):
    from datetime import timedelta

    from ui.widgets import stock_common

    monkeypatch.setenv("QALIWARMA_TODAY", TODAY.isoformat())  # the demo's today, for the core as for the page
    monkeypatch.setattr(stock_common, "today", lambda: TODAY)
    _head(page, acta="AER-2026-000950")
    page.day.set_day(TODAY + timedelta(days=2))
    _line(page.lines[0], "azucar (K1)", "BOLSA", "1 kg", 5, lot="L-9")
    before = stock.on_hand(ctx.db, ctx.committee.id)
    page.register()
    wait_idle()
    said = page.day_message.text()
    assert f"es posterior a hoy ({TODAY:%d/%m/%Y})" in said and said.startswith("La fecha")
    assert page.day_message.isVisible() and page.day.property("invalid") is True
    assert stock.on_hand(ctx.db, ctx.committee.id) == before
    page.day.set_day(TODAY)  # put right: the message goes, and the delivery is taken
    wait_idle()
    page._live.timeout.emit()
    assert not page.day_message.isVisible() and not page.day.property("invalid")
    page.register()
    wait_idle()
    assert stock.on_hand(ctx.db, ctx.committee.id).get("K1", 0) == before.get("K1", 0) + 5000


def test_the_ruc_is_checked_as_it_is_typed(qtbot, page):
    qtbot.keyClicks(page.ruc, RUC[:10])
    qtbot.waitUntil(page.ruc_message.isVisible)
    assert "tiene 10 dígitos; debe tener 11" in page.ruc_message.text()
    qtbot.keyClicks(page.ruc, RUC[10])
    qtbot.waitUntil(lambda: page.ruc_message.text() == "✓ RUC válido")
    page.ruc.setText("20604512371")
    page.check_ruc()
    assert "el último dígito no corresponde" in page.ruc_message.text()


def test_enter_adds_a_line_and_the_usual_presentation_is_filled(qtbot, page, wait_idle):
    editor = page.lines[0]
    editor.product.setText("leche en polvo")
    editor._product_chosen()
    assert (editor.unit.currentText(), editor.net.text()) == ("BOLSA", "1 kg")  # as the store received it before
    assert editor.code() == "G5"
    qtbot.keyClick(editor.lot, Qt.Key.Key_Return)
    assert len(page.lines) == 2
    qtbot.keyClick(page.lines[1].brand, Qt.Key.Key_Return)  # Enter on a blank last line adds nothing
    assert len(page.lines) == 2
    page.remove_line(page.lines[1])
    assert len(page.lines) == 1


def test_tab_goes_down_the_paper_checklist(qtbot, page):
    page.activateWindow()
    page.supplier.setFocus()
    qtbot.waitUntil(page.supplier.hasFocus)
    visited = []
    for _step in range(7):
        qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Tab)
        visited.append(page.focusWidget())
    editor = page.lines[0]
    assert visited == [page.vehicle_clean, page.staff_protected, page.storage_ready, editor.product, editor.brand,
                       editor.unit, editor.net]


def test_past_receptions_are_listed_and_can_be_printed_again(page, printed, wait_idle):
    page.tabs.setCurrentIndex(1)
    assert page.model.rowCount() == 1
    assert page.model.index(0, 1).data() == "AER-2026-000731"
    assert page.model.index(0, 3).data() == "Parcial"  # three bags of milk were returned
    page.table.selectRow(0)
    page.reprint_selected()
    wait_idle()
    assert [p.name for p in printed] == ["acta-recepcion-AER-2026-000731.pdf"]


def test_reception_list_model(qtmodeltester, ctx):
    model = ReceptionListModel()
    qtmodeltester.check(model)
    model.set_rows(load_receptions(ctx.db, ctx.committee.id))
    qtmodeltester.check(model)


def test_the_services_problems_go_beside_their_fields_by_field_not_by_wording(page, ctx, wait_idle):
    """The page places the service's problems by the field they name (Problem.field), so it does the same
    whatever the language the service words them in."""
    from ui import i18n

    i18n.install("en")
    try:
        _head(page)
        page.supplier.setText("")
        second = page.add_line()
        _line(page.lines[0], "arroz (A3)", "BOLSA", "1 kg", 5, lot="L-1")
        _line(second, "pan de oro", "BOLSA", "1 kg", 5, lot="L-2")
        page.register()
        wait_idle()
        assert "the supplier's name is missing" in page.supplier_message.text()
        assert page.supplier_message.isVisible()
        second_problems = second.problems.text()
        assert "unknown product" not in second_problems  # said once, in the form's words
        assert second_problems.strip()
        assert not page.acta_message.text().strip()
    finally:
        i18n.install("es")


def test_a_code_typed_alone_is_recorded_with_the_foods_name_not_the_code(page, ctx, wait_idle):
    """«G5» typed and not picked from the list was recorded as the product «G5» on the acta, in the store and on
    its PDF. The field now shows the food it resolved to, and the name recorded is the table's."""
    from qaliwarma.services import catalog

    table_name = catalog.food_names(ctx.db)["G5"]  # the food table's own name, read apart from the form
    _head(page)
    _line(page.lines[0], "G5", "BOLSA", "1 kg", 10, lot="L-G5-1")
    page.lines[0]._product_chosen()  # what leaving the field does
    assert page.lines[0].product.text() == f"{table_name} (G5)"
    page.register()
    wait_idle()
    assert page.status.text().startswith("✓ Acta AER-2026-000900 registrada")
    [lot] = [lot for lot in stock.lots(ctx.db, ctx.committee.id, food_code="G5") if lot.lot == "L-G5-1"]
    assert lot.product_name == table_name


def test_a_double_click_on_registrar_keeps_the_registration_said_and_records_once(qtbot, page, ctx, wait_idle):
    """The second click landed on the form the registration had just emptied and replaced «✓ Acta … registrada»
    with «Hay 4 datos por corregir… no se registró nada», although the acta had been recorded."""
    from qaliwarma.services import receiving

    _head(page)
    _line(page.lines[0], "arroz (A3)", "BOLSA", "1 kg", 5, lot="L-A3-1")
    page.register()
    wait_idle()
    assert page.status.text().startswith("✓ Acta AER-2026-000900 registrada")
    page.register()  # the double click's second click
    wait_idle()
    assert page.status.text().startswith("✓ Acta AER-2026-000900 registrada")
    assert receiving.find_acta(ctx.db, ctx.committee.id, "AER-2026-000900")[1] is None  # recorded, once, standing
    _head(page, acta="AER-2026-000901")  # the next acta typed: a click now checks it as always
    page.register()
    wait_idle()
    assert "no se registró nada" in page.status.text()
