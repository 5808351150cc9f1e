"""Inicio: what needs attention today in plain sentences, each with a button that takes the user there."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from qaliwarma.services import committee, incidents, stock
from qaliwarma.services.setup import demo_form
from tests.ui.conftest import DEMO_TODAY, kg, lot_grams
from ui.context import AppContext
from ui.pages.home import HomePage
from ui.widgets import stock_common

TODAY = DEMO_TODAY


def _page(qtbot, ctx, wait_idle) -> HomePage:
    widget = HomePage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1136, 680)
    widget.show()
    wait_idle()
    return widget


def _card(page: HomePage, area: str):
    return next(card for card in page.cards if card.item.area == area)


def test_an_expiring_lot_is_listed_with_a_button_to_the_store(qtbot, ctx, wait_idle):
    page = _page(qtbot, ctx, wait_idle)
    assert page.today_label.text() == "Hoy es jueves 26 de noviembre de 2026."
    card = _card(page, "almacen")
    assert card.text.text() == "5 lotes vencen en los próximos 30 días: úselos primero."
    left = kg(lot_grams(ctx.db, ctx.committee.id, "LP-2609-11"))
    assert ("• Leche en polvo entera, Vaquita Andina (lote LP-2609-11): vence el 10/12/2026 (en 14 días); "
            f"quedan {left} kg.") in card.details.text()
    with qtbot.waitSignal(page.go_to) as signal:
        card.button.click()
    assert signal.args == ["almacen"]
    assert card.button.text() == "Ir a Almacén"
    assert not page.all_good.isVisible()


def test_an_incident_not_reported_is_listed(qtbot, ctx, wait_idle):
    page = _page(qtbot, ctx, wait_idle)
    card = _card(page, "incidencias")
    assert card.text.text().startswith("1 incidencia no se ha reportado al programa.")
    assert "10/11/2026: Dos bolsas de leche rotas" in card.details.text()


def test_school_days_without_a_record_and_an_expired_lot(qtbot, ctx, monkeypatch, wait_idle):
    monkeypatch.setattr(stock_common, "today", lambda: date(2026, 12, 3))
    page = _page(qtbot, ctx, wait_idle)
    expired = _card(page, "almacen")
    assert expired.item.severity == "critical"
    assert expired.text.text().startswith("Hay 4 lotes vencidos en el almacén. No los use")
    assert "Papa blanca (lote COMPRA-DJ-001): venció el 02/12/2026" in expired.details.text()
    missing = _card(page, "raciones")
    assert missing.text.text() == ("Falta registrar las raciones de 2 días de clases de este mes: "
                                   "martes 01/12, miércoles 02/12.")
    with qtbot.waitSignal(page.go_to) as signal:
        missing.button.click()
    assert signal.args == ["raciones"]


def test_stock_that_will_not_last_the_plan(qtbot, ctx, wait_idle):
    quinoa = next(lot for lot in stock.lots(ctx.db, ctx.committee.id) if lot.food_code == "A52")
    stock.adjust(ctx.db, ctx.committee.id, quinoa.id, -quinoa.balance_grams + Decimal(500), "perdida", day=TODAY,
                 user="prueba")
    page = _page(qtbot, ctx, wait_idle)
    card = _card(page, "menu")
    assert card.text.text().startswith("Lo que hay en el almacén no alcanza para el menú planificado hasta el "
                                       "30/11/2026.")
    assert "Quinua blanca (Puno): faltan" in card.details.text()
    assert "hay 0.5 kg" in card.details.text()
    assert card.button.text() == "Ir al Menú"


def test_the_page_follows_the_changes(qtbot, ctx, wait_idle):
    page = _page(qtbot, ctx, wait_idle)
    pending = next(r for r in incidents.list_incidents(ctx.db, ctx.committee.id)
                   if not r.incident.reported_to_programme)
    from qaliwarma.services import corrections

    corrections.reverse(ctx.db, ctx.committee.id, pending.seq, user="prueba", reason="duplicada", day=TODAY)
    ctx.changed("incident")
    wait_idle()
    assert not any(card.item.area == "incidencias" for card in page.cards)


def test_when_nothing_needs_attention_it_says_so(qtbot, ui_db, runner, monkeypatch, wait_idle):
    monkeypatch.setattr(stock_common, "today", lambda: date(2026, 12, 1))
    info = committee.register(ui_db, demo_form(), user="prueba")
    page = _page(qtbot, AppContext(ui_db, runner, info, user="prueba"), wait_idle)
    assert page.cards == []
    assert page.all_good.isVisible()
    assert page.all_good.text().startswith("✓ Todo en orden.")
    assert page.heading.text() == "Nada pendiente hoy"


def test_without_a_committee_it_points_to_the_committee(qtbot, ui_db, runner, wait_idle):
    page = _page(qtbot, AppContext(ui_db, runner, None, user="prueba"), wait_idle)
    assert page.stack.currentIndex() == 0
    with qtbot.waitSignal(page.go_to) as signal:
        page.committee_button.click()
    assert signal.args == ["comite"]


def test_ir_a_almacen_selects_the_lot_the_card_warns_about(qtbot, ctx, wait_idle):
    from ui.pages.store import StorePage

    page = _page(qtbot, ctx, wait_idle)
    store = StorePage(ctx)
    qtbot.addWidget(store)
    store.resize(1136, 680)
    store.show()
    wait_idle()
    card = _card(page, "almacen")
    first = card.details.text().split("\n")[0]  # the most urgent lot, named first on the card
    card.button.click()
    wait_idle()
    lot = store.selected_lot()
    assert lot is not None
    assert f"(lote {lot.lot})" in first
    assert store.selected_product().name in first
    assert store.tabs.currentIndex() == 0


def test_the_months_steps_are_shown_in_order_and_ticked_as_done(qtbot, ctx, wait_idle):
    """The demo month (November, up to the 25th) has its menu, a delivery, rations and expenses; it is not
    closed yet."""
    page = _page(qtbot, ctx, wait_idle)
    steps = page.steps
    assert list(steps.rows) == ["menu", "recepcion", "raciones", "tesoreria", "cierre"]
    assert steps.done() == ["menu", "recepcion", "raciones", "tesoreria"]
    assert steps.isVisible()
    mark, words, button = steps.rows["cierre"]
    assert mark.text() == "5." and "Cierre el mes" in words.text() and button.isVisible()
    with qtbot.waitSignal(page.go_to) as signal:
        button.click()
    assert signal.args == ["cierre"]


def test_a_new_committee_sees_every_step_to_do(qtbot, ui_db, runner, monkeypatch, wait_idle):
    info = committee.register(ui_db, demo_form(), user="prueba")
    monkeypatch.setattr(stock_common, "today", lambda: TODAY)
    page = _page(qtbot, AppContext(ui_db, runner, info, user="prueba"), wait_idle)
    assert page.steps.done() == []
    assert [page.steps.rows[a][0].text() for a in page.steps.rows] == ["1.", "2.", "3.", "4.", "5."]


def test_a_month_that_ended_and_is_still_open_is_asked_to_be_closed(qtbot, ctx, monkeypatch, wait_idle):
    """On 3 December, with November still open, Inicio said nothing about closing it (found by a secretary)."""
    from qaliwarma.services import periods

    monkeypatch.setattr(stock_common, "today", lambda: date(2026, 12, 3))
    page = _page(qtbot, ctx, wait_idle)
    card = _card(page, "cierre")
    assert card.text.text().startswith("Noviembre de 2026 ya terminó y todavía no está cerrado: revise su lista "
                                       "en «Cierre de mes» y ciérrelo")
    assert card.button.text() == "Ir a Cierre de mes"
    with qtbot.waitSignal(page.go_to) as signal:
        card.button.click()
    assert signal.args == ["cierre"]
    periods.close(ctx.db, ctx.committee.id, "2026-11", user="Rosa", today=date(2026, 12, 3))
    ctx.changed("period")
    wait_idle()
    assert not [c for c in page.cards if c.item.area == "cierre"]  # closed: nothing more to ask
