"""Almacén: stock by product, lots coloured by expiry, kardex, adjustments, the physical count, suspensions
and the search of a lot (recall), on the demo committee's month (real sierra bank)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from qaliwarma.services import serving, stock
from qaliwarma.services.store_views import ProductStock, load_kardex
from tests.ui.conftest import DEMO_TODAY, kg, lot_grams
from ui.context import AppContext
from ui.models.stock_store import (
    EXPIRED_BG,
    SOON_BG,
    CountModel,
    KardexModel,
    LotModel,
    ProductStockModel,
    ServingModel,
)
from ui.pages.rations import RationsPage
from ui.pages.store import StorePage
from ui.widgets import stock_common

TODAY = DEMO_TODAY
MILK_LOT = "LP-2609-11"  # the demo's powdered milk (G5): what the breakfasts left (2 bags lost on 10/11), expires 10/12/2026


@pytest.fixture
def page(qtbot, ctx, wait_idle):
    widget = StorePage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1136, 680)
    widget.show()
    wait_idle()
    return widget


def _lot_row(page: StorePage, lot: str) -> int:
    return next(r for r in range(page.lot_model.rowCount()) if page.lot_model.row_at(r).lot == lot)


def _background(model, row: int) -> str | None:
    brush = model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
    return brush.color().name() if brush is not None else None


def test_stock_by_product_with_its_lots_and_kardex(page, ctx, wait_idle):
    assert page.select_product("G5")
    wait_idle()
    row = _lot_row(page, MILK_LOT)
    left = lot_grams(ctx.db, ctx.committee.id, MILK_LOT)
    assert page.lot_model.index(row, 3).data() == f"{kg(left)} kg"
    assert page.lot_model.index(row, 4).data() == "Vence en 14 días"
    assert _background(page.lot_model, row) == SOON_BG  # amber: within 30 days
    assert f"Leche en polvo entera: {kg(left)} kg en 1 lote" == page.lots_heading.text()
    kardex = page.kardex_model.rows()
    assert kardex[0].label == "Ingreso por acta AER-2026-000731"
    assert page.kardex_model.index(len(kardex) - 1, 5).data() == kg(left)  # the balance, to the gram
    assert "5 vencen en 30 días o menos" in page.summary.text()

    page.days_spin.setValue(10)  # warn 10 days ahead: the milk is no longer amber
    assert _background(page.lot_model, row) is None


def test_an_expired_lot_is_red_and_a_service_needing_it_is_refused(qtbot, ctx, monkeypatch, wait_idle):
    later = date(2026, 12, 11)  # the milk expired the day before
    monkeypatch.setattr(stock_common, "today", lambda: later)
    monkeypatch.setenv("QALIWARMA_TODAY", later.isoformat())  # the core's today too: a day's rations are recorded
    store = StorePage(ctx)
    qtbot.addWidget(store)
    store.show()
    wait_idle()
    assert store.select_product("G5")
    row = _lot_row(store, MILK_LOT)
    assert _background(store.lot_model, row) == EXPIRED_BG
    assert store.lot_model.index(row, 4).data() == "Vencido hace 1 día: no se usa"
    product_row = next(r for r in range(store.product_model.rowCount()) if store.product_model.row_at(r).code == "G5")
    assert store.product_model.index(product_row, 2).data() == "1 lote vencido"

    before = stock.on_hand(ctx.db, ctx.committee.id)
    rations = RationsPage(ctx)
    qtbot.addWidget(rations)
    rations.show()
    rations.set_day(later)
    wait_idle()
    cell = rations.grid.cells[("desayuno", "primaria")]
    cell.recipe.setCurrentIndex(cell.recipe.findData("sierra-mazamorra-cebada-pan-palta"))  # barley, milk, sugar
    cell.rations.setValue(120)
    cell.attendance.setValue(125)
    rations.outside_origin.setCurrentText("Aporte de padres")  # the bread and avocado the store never had
    rations.save_day()
    wait_idle()
    message = rations.banner.text.text()
    assert "No alcanza Leche en polvo entera (G5) el 11/12/2026" in message
    assert f"lote {MILK_LOT} vencido el 10/12/2026 no se puede usar" in message
    assert "Leche en polvo entera (G5)" in cell.problem.text()
    assert "No se guardó nada" in rations.status.text()
    assert stock.on_hand(ctx.db, ctx.committee.id) == before  # nothing left the store
    assert serving.services_in(ctx.db, ctx.committee.id, later, later) == []


def test_recall_lists_every_serving_of_the_lot(page, ctx, wait_idle):
    page.tabs.setCurrentWidget(page.recall)
    page.recall.field.setText(MILK_LOT.lower())  # typed as it comes: case does not matter
    page.recall.field.flush()
    wait_idle()
    expected = stock.recall(ctx.db, ctx.committee.id, MILK_LOT)
    model = page.recall.serving_model
    assert model.rowCount() == len(expected.servings) > 30
    shown = [(model.index(r, 0).data(), model.index(r, 1).data(), model.index(r, 2).data(), model.index(r, 4).data())
             for r in range(model.rowCount())]
    assert ("02/11/2026", "Desayuno", "Inicial", "38") in shown
    first = model.index(0, 3).data()
    assert first == "Api de maíz morado con leche y pan de cebada con queso"  # the preparation's name, not its id
    days = len({s.day for s in expected.servings})
    total = f"{expected.children_served:,}"
    assert f"Se sirvió en {days} día(s): {total} raciones en total." in page.recall.summary.text()
    assert page.recall.lot_model.index(0, 0).data() == "Leche en polvo entera"


def test_recall_of_an_unknown_lot_says_what_to_do(page, wait_idle):
    page.recall.field.setText("NO-EXISTE")
    page.recall.field.flush()
    wait_idle()
    assert "No hay ningún lote «NO-EXISTE»" in page.recall.summary.text()
    assert "Revise el número" in page.recall.summary.text()
    assert not page.recall.servings.isVisible()


def test_an_adjustment_with_its_reason_shows_in_the_kardex(page, ctx, wait_idle):
    assert page.select_product("G5")
    wait_idle()
    lot = page.lot_model.row_at(_lot_row(page, MILK_LOT))
    left = lot_grams(ctx.db, ctx.committee.id, MILK_LOT)
    page.adjust_lot(lot.id, Decimal("-1500"), "deterioro", "bolsa rota por ratones")
    wait_idle()
    assert "1.5 kg salieron" in page.banner.text.text()
    assert page.lot_model.index(_lot_row(page, MILK_LOT), 3).data() == f"{kg(left - 1500)} kg"
    last = page.kardex_model.rows()[-1]
    assert last.label == "Ajuste: Deterioro (malogrado) (bolsa rota por ratones)"
    assert last.grams == Decimal("-1500")
    page.tabs.setCurrentIndex(2)  # «Conteo físico»: «✓ Ajuste registrado» does not follow the user there
    assert not page.banner.isVisibleTo(page)


def test_an_adjustment_larger_than_the_lot_is_refused_and_nothing_changes(page, ctx, wait_idle):
    assert page.select_product("G5")
    wait_idle()
    lot = page.lot_model.row_at(_lot_row(page, MILK_LOT))
    left = lot_grams(ctx.db, ctx.committee.id, MILK_LOT)
    assert left < 20000  # more than the lot holds
    page.adjust_lot(lot.id, Decimal("-20000"), "perdida")
    wait_idle()
    assert "nunca puede quedar negativo" in page.banner.text.text()
    assert stock.on_hand(ctx.db, ctx.committee.id)["G5"] == left == lot_grams(ctx.db, ctx.committee.id, MILK_LOT)
    page.tabs.setCurrentIndex(2)  # a refusal stays until it is dealt with
    assert page.banner.isVisibleTo(page)


def test_the_physical_count_records_the_differences(page, ctx, wait_idle):
    page.tabs.setCurrentIndex(2)
    rows = page.count_model.rows()
    milk = next(n for n, r in enumerate(rows) if r.lot.lot == MILK_LOT)
    sugar = next(n for n, r in enumerate(rows) if r.lot.food_code == "K1")
    assert page.count_model.set_counted(milk, "15,0")  # decimal comma as people type it
    sugar_kg = f"{rows[sugar].lot.balance_grams / 1000:.3f}"
    assert page.count_model.set_counted(sugar, sugar_kg)  # the same as the record (app's own format)
    canihua = next(n for n, r in enumerate(rows) if r.lot.food_code == "A10")
    assert rows[canihua].lot.balance_grams % 1  # half a gram: 1414.5 g, shown as 1.415 kg
    shown = page.count_model.index(canihua, 3).data().removesuffix(" kg")
    assert page.count_model.set_counted(canihua, shown)  # typed back as shown
    assert not page.count_model.set_counted(sugar, "mucho")
    left = lot_grams(ctx.db, ctx.committee.id, MILK_LOT)
    assert left > 15000  # the count finds less milk than the kardex holds
    assert page.count_model.index(milk, 5).data() == f"−{kg(left - 15000)} kg"
    page.refresh()  # shown again (or the store changed): the count in progress stays
    wait_idle()
    milk = next(n for n, r in enumerate(page.count_model.rows()) if r.lot.lot == MILK_LOT)
    assert page.count_model.rows()[milk].counted == Decimal("15000")
    page.record_count()
    wait_idle()
    assert "Diferencias anotadas en el kárdex:" in page.count_result.text()
    assert f"Leche en polvo entera lote LP-2609-11: −{kg(left - 15000)} kg" in page.count_result.text()
    held = stock.on_hand(ctx.db, ctx.committee.id)
    assert held["G5"] == Decimal("15000")
    # typed as shown (kilos to the gram), the sugar is the record: no difference of a fraction of a gram recorded
    assert held["K1"] == rows[sugar].lot.balance_grams and "Azúcar" not in page.count_result.text()
    assert held["A10"] == rows[canihua].lot.balance_grams and "Cañihua" not in page.count_result.text()
    assert load_kardex(ctx.db, ctx.committee.id, "G5")[-1].label == \
        "Ajuste: Diferencia de inventario (inventario físico)"
    assert page.count_model.counted() == []  # the next count starts blank


def test_a_count_of_zero_for_a_lot_of_half_a_gram_takes_it_to_zero(page, ctx, wait_idle):
    """A lot left with 0.5 g (shown 0.001 kg) counted as 0 became «0.001 / igual», «todo coincide», and the expired
    lot stayed for good: only the balance typed as it is shown is taken as the balance."""
    from qaliwarma.domain.stock import ADJUSTMENT_REASONS

    lot = next(lt for lt in stock.lots(ctx.db, ctx.committee.id) if lt.food_code == "K1")
    stock.adjust(ctx.db, ctx.committee.id, lot.id, -(lot.balance_grams - Decimal("0.5")), "perdida", day=TODAY,
                 user="prueba")
    assert "perdida" in ADJUSTMENT_REASONS
    page.refresh()
    wait_idle()
    page.tabs.setCurrentIndex(2)
    rows = page.count_model.rows()
    n = next(i for i, r in enumerate(rows) if r.lot.id == lot.id)
    assert page.count_model.index(n, 3).data() == "0.001 kg"
    assert page.count_model.set_counted(n, "0")
    assert rows[n].counted == 0 and rows[n].difference == Decimal("-0.5")
    page.record_count()
    wait_idle()
    assert next(lt for lt in stock.lots(ctx.db, ctx.committee.id, with_empty=True) if lt.id == lot.id).balance_grams == 0


def test_a_suspended_lot_is_marked_and_never_issued(page, ctx, wait_idle):
    page.suspend("Comunicado 045-2026 del programa", lot=MILK_LOT)
    wait_idle()
    assert "1 lote bloqueado; no saldrá" in page.banner.text.text()
    assert page.select_product("G5")
    wait_idle()
    state = page.lot_model.index(_lot_row(page, MILK_LOT), 4).data()
    assert state.startswith("SUSPENDIDO (Comunicado 045-2026 del programa)")
    issue = stock.plan_fefo
    with ctx.db.session() as s, pytest.raises(Exception, match="suspendido"):
        issue(s, ctx.committee.id, "G5", Decimal(100), TODAY)


def test_printing_the_kardex_and_the_expiry_report(page, printed, wait_idle):
    assert page.select_product("G5")
    wait_idle()
    page.print_kardex()
    wait_idle()
    page.print_expiry()
    wait_idle()
    assert [p.name for p in printed] == ["kardex-G5-2026-11-26.pdf", "por-vencer-2026-11-26.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF") for p in printed)
    assert "Se guardó «por-vencer-2026-11-26.pdf»" in page.pdf_notice.text.text()


def test_without_a_committee_the_page_says_where_to_register(qtbot, ui_db, runner, wait_idle):
    widget = StorePage(AppContext(ui_db, runner, None, user="prueba"))
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    assert widget.stack.currentIndex() == 0
    assert "Registre primero el comité en «Comité»" in widget.stack.currentWidget().text()


def test_store_models(qtmodeltester, ctx):
    lots = stock.lots(ctx.db, ctx.committee.id)
    products = [ProductStock("G5", "Leche en polvo entera", tuple(lot for lot in lots if lot.food_code == "G5")),
                ProductStock("A3", "Arroz", ())]
    for model, rows in ((ProductStockModel(), products), (LotModel(with_product=True), lots),
                        (KardexModel(), load_kardex(ctx.db, ctx.committee.id, "G5")),
                        (ServingModel(), list(stock.recall(ctx.db, ctx.committee.id, MILK_LOT).servings))):
        qtmodeltester.check(model)
        model.set_rows(rows)
        qtmodeltester.check(model)
    count = CountModel()
    qtmodeltester.check(count)
    count.set_lots(lots, {})
    count.set_counted(0, "1.5")
    qtmodeltester.check(count)


def test_an_adjustment_past_the_limit_is_said_as_such_not_as_not_a_number(qtbot, ctx):
    """«1000000000» kilos was answered «Escriba cuántos kilos, un número mayor que cero»."""
    from ui.dialogs.stock_adjust import AdjustDialog

    [lot] = [lot for lot in stock.lots(ctx.db, ctx.committee.id) if lot.lot == MILK_LOT]
    dialog = AdjustDialog(None, lot, "Leche en polvo entera", reason="diferencia_conteo")
    qtbot.addWidget(dialog)
    dialog.kg_field.setText("1000000000")
    assert dialog.adjustment() is None
    assert dialog.message.text() == "Un ajuste es de 100,000 kg como mucho: revise los kilos escritos."
    dialog.kg_field.setText("cero")
    assert dialog.adjustment() is None
    assert dialog.message.text() == "Escriba cuántos kilos, un número mayor que cero (por ejemplo 1.5)."


def test_an_expired_lot_with_half_a_gram_is_withdrawn_whole(qtbot, ctx):
    """13,730.5 g of cheese: «Retiro por vencimiento» filled «13.7305», which the field refused; typed «13.731» (as
    shown) it was «more than the lot holds»; «13.730» left 0.5 g that could never be removed."""
    from ui.dialogs.stock_adjust import AdjustDialog

    lot = next(lt for lt in stock.lots(ctx.db, ctx.committee.id) if lt.food_code == "K1")
    stock.adjust(ctx.db, ctx.committee.id, lot.id, Decimal("-0.5") - (lot.balance_grams % 1) - 1000,
                 "perdida", day=TODAY, user="prueba")
    lot = next(lt for lt in stock.lots(ctx.db, ctx.committee.id) if lt.id == lot.id)
    assert lot.balance_grams % 1 == Decimal("0.5")  # what the test is about
    dialog = AdjustDialog(None, lot, "Azúcar", reason="vencido")
    qtbot.addWidget(dialog)
    shown = f"{(lot.balance_grams / 1000).quantize(Decimal('0.001'), rounding='ROUND_HALF_UP'):f}".rstrip("0")
    assert dialog.kg_field.text() == shown.rstrip(".")  # filled as the balance is shown, to the gram
    adjustment = dialog.adjustment()
    assert adjustment is not None and adjustment.grams == -lot.balance_grams  # the whole lot, half gram included


def test_the_count_is_dated_the_day_the_store_was_counted(page, ctx, wait_idle):
    """A count typed on another day was dated today: November's count recorded in December left Cierre saying
    «Falta el conteo físico» of November."""
    import sqlite3

    from qaliwarma.persistence.journal import Journal

    day = date(2026, 11, 20)
    page.tabs.setCurrentIndex(2)
    rows = page.count_model.rows()
    n = next(i for i, r in enumerate(rows) if r.lot.food_code == "K1")
    con = sqlite3.connect(str(ctx.db.url).split("///", 1)[1])
    [(held,)] = con.execute("SELECT SUM(grams) FROM stock_movements WHERE lot_id = ? AND day <= ?",
                            (rows[n].lot.id, day.isoformat())).fetchall()
    con.close()
    page.count_day.set_day(day)
    assert page.count_model.set_counted(n, f"{((Decimal(str(held)) - 500) / 1000).quantize(Decimal('0.001'))}")
    page.record_count()
    wait_idle()
    assert "Conteo registrado" in page.count_result.text() and "−0.5 kg" in page.count_result.text()
    with ctx.db.session() as s:
        [count] = Journal(s, ctx.committee.id).entries("stock.conteo")
    assert count.entry_date == day
