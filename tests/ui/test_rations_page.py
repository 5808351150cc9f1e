"""Raciones: the day grid saves every cell at once and the store drops by rations × dosing; a correction
of what left the store carries its reason; a record is voided with a reason; the month shows the days
without a record and its register is printed."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from qaliwarma.services import recipes, serving, stock
from qaliwarma.services.store_views import load_month
from tests.ui.conftest import DEMO_TODAY
from ui.models.stock_lists import MISSING_BG, MonthDaysModel
from ui.pages.rations import RationsPage
from ui.widgets import stock_common

TODAY = DEMO_TODAY  # the demo recorded every school day up to the 25th


@pytest.fixture
def page(qtbot, ctx, wait_idle):
    widget = RationsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1136, 680)
    widget.show()
    wait_idle()
    return widget


def _fill(page: RationsPage, numbers: dict[tuple[str, str], tuple[int, int]], *, origin: str = "Aporte de padres") -> None:
    """Type the rations and attendance, and where the food that never entered the store came from (the
    demo's preparations carry vegetables and seasonings the parents bring)."""
    for key, (rations, attendance) in numbers.items():
        page.grid.cells[key].rations.setValue(rations)
        page.grid.cells[key].attendance.setValue(attendance)
    page.outside_origin.setCurrentText(origin)


def _expected_issue(ctx, page: RationsPage, numbers) -> dict[str, Decimal]:
    stocked = set(stock.on_hand(ctx.db, ctx.committee.id))
    out: dict[str, Decimal] = defaultdict(Decimal)
    for (meal, level), (rations, _attendance) in numbers.items():
        recipe = recipes.get_recipe(ctx.db, page.grid.cells[(meal, level)].recipe_id())
        for ingredient, grams in recipe.gross_grams(level):
            if ingredient.code in stocked:
                out[ingredient.code] += grams * rations
    return dict(out)


NUMBERS = {("desayuno", "inicial"): (34, 36), ("desayuno", "primaria"): (131, 135),
           ("almuerzo", "inicial"): (33, 36), ("almuerzo", "primaria"): (129, 135)}


def test_the_grid_is_filled_from_the_menu_plan(page):
    assert page.day_edit.day() == TODAY
    assert set(page.grid.cells) == set(NUMBERS)  # breakfast and lunch (quintile 1) × inicial, primaria
    assert page.grid.cells[("desayuno", "primaria")].recipe_id() == "sierra-mazamorra-cebada-pan-palta"
    assert page.grid.cells[("almuerzo", "inicial")].recipe_id() == "sierra-aji-pollo"
    assert "Jueves 26 de noviembre de 2026 · menú «Menú de noviembre 2026»" == page.day_info.text()
    assert page.save_button.isEnabled()


def test_saving_the_day_takes_rations_times_dosing_from_the_store(page, ctx, wait_idle):
    before = stock.on_hand(ctx.db, ctx.committee.id)
    _fill(page, NUMBERS)
    expected = _expected_issue(ctx, page, NUMBERS)
    assert expected["G5"] > 0 and expected["A52"] > 0
    page.save_day()
    wait_idle()
    after = stock.on_hand(ctx.db, ctx.committee.id)
    for code, grams in expected.items():
        assert before[code] - after[code] == grams, code
    untouched = set(before) - set(expected)
    assert all(before[c] == after[c] for c in untouched)
    records = serving.services_in(ctx.db, ctx.committee.id, TODAY, TODAY)
    assert {(r.meal, r.level): (r.rations, r.attendance) for r in records} == NUMBERS
    assert page.status.text().startswith("✓ Día guardado: 4 registros, 327 raciones.")
    cell = page.grid.cells[("desayuno", "inicial")]
    assert cell.record is not None and cell.note.text() == "✓ Registrado: 34 raciones."
    assert cell.rations.isReadOnly()
    assert not page.save_button.isEnabled()  # nothing left to record that day
    row = next(r for r in range(page.month_model.rowCount()) if page.month_model.row_at(r).day == TODAY)
    assert page.month_model.index(row, 2).data() == "✓ Registrado"


def test_what_was_typed_survives_a_visit_to_another_page(page, ctx, wait_idle):
    _fill(page, {("almuerzo", "inicial"): (33, 36)})
    cell = page.grid.cells[("almuerzo", "inicial")]
    cell.recipe.setCurrentIndex(cell.recipe.findData("sierra-patachi"))
    page.refresh()  # what the main window does when the page is shown again
    ctx.changed("stock")  # another page recorded something
    wait_idle()
    cell = page.grid.cells[("almuerzo", "inicial")]
    assert (cell.recipe_id(), cell.rations.value(), cell.attendance.value()) == ("sierra-patachi", 33, 36)


def test_numbers_typed_over_the_wrong_day_go_with_the_date_when_it_is_put_right(page, ctx, wait_idle):
    """Typed over tomorrow (the day shown was wrong), the date put right: the numbers were lost and had to be
    typed again. They now go with the user to the day chosen, past days already recorded included, and are
    saved for the day shown when «Guardar el día» is pressed."""
    page.set_day(date(2026, 11, 27))
    wait_idle()
    assert "todavía no llega" in page.day_info.text()
    _fill(page, {("almuerzo", "inicial"): (33, 36), ("almuerzo", "primaria"): (129, 135)})
    page.set_day(date(2026, 11, 25))  # on the way: a day already recorded takes none of them
    wait_idle()
    assert all(cell.record is not None for cell in page.grid.cells.values())
    page.set_day(TODAY)
    wait_idle()
    shown = {key: (cell.rations.value(), cell.attendance.value()) for key, cell in page.grid.cells.items()}
    assert shown[("almuerzo", "inicial")] == (33, 36) and shown[("almuerzo", "primaria")] == (129, 135)
    assert shown[("desayuno", "inicial")] == (0, 0)
    assert page.status.text() == "Lo escrito sin guardar el 27/11/2026 pasó a este día: revíselo y pulse «Guardar el día»."
    page.outside_origin.setCurrentText("Aporte de padres")
    page.save_day()
    wait_idle()
    records = serving.services_in(ctx.db, ctx.committee.id, TODAY, date(2026, 11, 27))
    assert {(r.day, r.meal, r.level): (r.rations, r.attendance) for r in records} == {
        (TODAY, "almuerzo", "inicial"): (33, 36), (TODAY, "almuerzo", "primaria"): (129, 135)}
    page.set_day(date(2026, 11, 27))  # saved: nothing follows the user any more
    wait_idle()
    assert all(cell.is_empty() for cell in page.grid.cells.values())


def test_more_rations_than_children_enrolled_is_saved_with_a_warning(page, wait_idle):
    _fill(page, {("desayuno", "inicial"): (50, 50)})  # 38 enrolled in inicial
    page.save_day()
    wait_idle()
    assert "Desayuno, inicial: 50 raciones para 38 matriculados en inicial" in page.banner.text.text()


def test_a_correction_of_what_left_the_store_carries_its_reason(page, ctx, wait_idle):
    before = stock.on_hand(ctx.db, ctx.committee.id)
    _fill(page, {("almuerzo", "primaria"): (129, 135)})
    cell = page.grid.cells[("almuerzo", "primaria")]
    by_dosing = _expected_issue(ctx, page, {("almuerzo", "primaria"): (129, 135)})
    cell.set_override({"A52": Decimal("9000")}, "Se quemó una olla de quinua")
    assert cell.note.text() == "Salida corregida: Se quemó una olla de quinua"
    page.save_day()
    wait_idle()
    after = stock.on_hand(ctx.db, ctx.committee.id)
    assert before["A52"] - after["A52"] == Decimal("9000")  # what the cook says, not the dosing
    assert before["D9"] - after["D9"] == by_dosing["D9"]  # the rest by the dosing


def test_the_correction_dialog_refuses_a_correction_without_reason(qtbot, page, ctx):
    from qaliwarma.services.store_views import issue_preview
    from ui.dialogs.stock_issue import IssueDialog

    lines = issue_preview(ctx.db, ctx.committee.id, "sierra-aji-pollo", "primaria", 100)
    dialog = IssueDialog(page, "Almuerzo, primaria, 100 raciones", lines)
    qtbot.addWidget(dialog)
    dialog.fields["A52"].setText("9")
    dialog.accept()
    assert "Escriba el motivo" in dialog.message.text()
    dialog.reason_field.setText("se quemó una olla")
    dialog.accept()
    assert dialog.result() == 1
    assert dialog.override()["A52"] == Decimal("9000")


def test_a_refusal_names_the_product_and_saves_nothing(page, ctx, wait_idle):
    before = stock.on_hand(ctx.db, ctx.committee.id)
    lot = next(lot for lot in stock.lots(ctx.db, ctx.committee.id) if lot.food_code == "A14")  # barley
    stock.adjust(ctx.db, ctx.committee.id, lot.id, -lot.balance_grams + 100, "perdida", day=TODAY, user="prueba")
    _fill(page, NUMBERS)
    page.save_day()
    wait_idle()
    assert "No alcanza Cebada, mashka o machica (A14) el 26/11/2026" in page.banner.text.text()
    assert "(A14)" in page.grid.cells[("desayuno", "inicial")].problem.text()
    assert serving.services_in(ctx.db, ctx.committee.id, TODAY, TODAY) == []
    assert stock.on_hand(ctx.db, ctx.committee.id)["G5"] == before["G5"]  # the whole day or nothing


def test_a_refusal_names_every_cell_and_every_product_the_store_cannot_serve(page, ctx, wait_idle):
    """Only the first short cell was named: the cook fixed it, saved, and was refused again for the next one."""
    from qaliwarma.services import recipes as recipe_service

    for code in ("A14", "G5"):  # barley and milk powder: left with 100 g each
        for lot in [lot for lot in stock.lots(ctx.db, ctx.committee.id) if lot.food_code == code]:
            stock.adjust(ctx.db, ctx.committee.id, lot.id, -lot.balance_grams + 100, "perdida", day=TODAY,
                         user="prueba")
    uses = {key: {i.code for i in recipe_service.get_recipe(ctx.db, page.grid.cells[key].recipe_id()).ingredients
                  if key[1] in i.doses} for key in NUMBERS}
    expected = {key: {"A14", "G5"} & codes for key, codes in uses.items() if {"A14", "G5"} & codes}
    assert len(expected) >= 2 and any(len(codes) == 2 for codes in expected.values())  # what the test is about
    _fill(page, NUMBERS)
    page.save_day()
    wait_idle()
    for key, codes in expected.items():
        for code in codes:
            assert f"({code})" in page.grid.cells[key].problem.text(), (key, code)
            assert f"({code}) el 26/11/2026" in page.banner.text.text()
    assert serving.services_in(ctx.db, ctx.committee.id, TODAY, TODAY) == []  # the whole day or nothing


def test_a_cell_without_preparation_or_an_empty_day_is_not_saved(page, ctx, wait_idle):
    page.save_day()
    assert "Escriba las raciones servidas" in page.status.text()
    cell = page.grid.cells[("desayuno", "inicial")]
    cell.recipe.setCurrentIndex(0)
    cell.rations.setValue(30)
    page.save_day()
    assert cell.problem.text() == "Elija la preparación que se sirvió."
    wait_idle()
    assert serving.services_in(ctx.db, ctx.committee.id, TODAY, TODAY) == []


def test_a_record_is_voided_with_a_reason_and_the_food_goes_back(page, ctx, wait_idle):
    yesterday = date(2026, 11, 25)
    before = stock.on_hand(ctx.db, ctx.committee.id)
    page.set_day(yesterday)
    wait_idle()
    cell = page.grid.cells[("desayuno", "primaria")]
    assert cell.record is not None
    page.reverse_record(cell.record.seq, "Se escribieron mal las raciones")
    wait_idle()
    assert "volvió al almacén" in page.status.text()
    cell = page.grid.cells[("desayuno", "primaria")]
    assert cell.record is None and not cell.rations.isReadOnly()
    assert stock.on_hand(ctx.db, ctx.committee.id)["G5"] > before["G5"]
    left = {(r.meal, r.level) for r in serving.services_in(ctx.db, ctx.committee.id, yesterday, yesterday)}
    assert ("desayuno", "primaria") not in left and len(left) == 3


def test_the_month_shows_school_days_without_a_record(page, ctx, monkeypatch, wait_idle):
    monkeypatch.setattr(stock_common, "today", lambda: date(2026, 11, 28))
    page.load_month()
    wait_idle()
    rows = {page.month_model.row_at(r).day: r for r in range(page.month_model.rowCount())}
    missing = rows[date(2026, 11, 26)]
    assert page.month_model.index(missing, 2).data() == "Sin registro"
    background = page.month_model.index(missing, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert background is not None and background.color().name() == MISSING_BG
    assert page.month_model.index(rows[date(2026, 11, 25)], 2).data() == "✓ Registrado"
    saturday = rows[date(2026, 11, 21)]  # the demo's service on a Saturday
    assert "con registro" in page.month_model.index(saturday, 2).data()
    assert "2 días pasados sin registro completo" in page.month_summary.text()  # the 26th and the 27th


def test_printing_the_month_register(page, printed, wait_idle):
    page.print_month()
    wait_idle()
    assert [p.name for p in printed] == ["raciones-2026-11.pdf"]
    assert printed[0].read_bytes().startswith(b"%PDF")


def test_month_model(qtmodeltester, ctx):
    model = MonthDaysModel()
    qtmodeltester.check(model)
    model.set_rows(load_month(ctx.db, ctx.committee, 2026, 11))
    qtmodeltester.check(model)


# --------------------------------------------------------------------------- the day's issue to the kitchen
def _oil_by_the_dosing(ctx, day: date, meal: str) -> Decimal:
    """Oil (D9) the day's services of ``meal`` need: rations × the recipe's gross grams, from the recipes."""
    total = Decimal(0)
    for service in serving.services_in(ctx.db, ctx.committee.id, day, day):
        if service.meal == meal:
            recipe = recipes.get_recipe(ctx.db, service.recipe_id)
            total += sum((g for ing, g in recipe.gross_grams(service.level) if ing.code == "D9"), Decimal(0)) \
                * service.rations
    return total


def test_the_days_issue_grid_is_prefilled_from_the_dosing_and_records_what_left(page, ctx, wait_idle,
                                                                               monkeypatch):
    from ui.dialogs import kitchen_issue
    from ui.dialogs.kitchen_issue import ISSUED, KitchenIssueDialog

    day = date(2026, 11, 12)
    page.set_day(day)
    wait_idle()
    assert page.issue_button.isEnabled()  # the day has its rations
    oil = _oil_by_the_dosing(ctx, day, "almuerzo")
    assert oil > 0
    more = (oil * Decimal("1.3") / 1000).quantize(Decimal("0.001"))
    seen = {}

    def answer(parent, what, rows):
        dialog = KitchenIssueDialog(parent, what, rows)
        seen["rows"] = rows
        r = next(i for i, row in enumerate(rows) if row.food_code == "D9" and row.meal == "almuerzo")
        assert Decimal(dialog.issued[r].text()) * 1000 == oil  # pre-filled: rations × dosing
        assert dialog.table.cellWidget(r, ISSUED) is dialog.issued[r]
        assert dialog.lines() == []  # confirmed as proposed: nothing to record
        dialog.set_issued("D9", "almuerzo", f"{more}")
        assert dialog.lines() is None and "motivo" in dialog.message.text()  # a difference needs its reason
        dialog.reason.setText("El aceite se midió con la jarra")
        return dialog.lines(), dialog.note()

    monkeypatch.setattr(kitchen_issue, "ask_issue", answer)
    before = {lot.id: lot.balance_grams for lot in stock.lots(ctx.db, ctx.committee.id, food_code="D9")}
    page.issue_button.click()
    wait_idle()
    assert "Salida registrada: 1 producto" in page.status.text()
    after = {lot.id: lot.balance_grams for lot in stock.lots(ctx.db, ctx.committee.id, food_code="D9")}
    assert sum(before.values()) - sum(after.values()) == more * 1000 - oil  # the proposal went back
    checked = next(y for y in serving.yield_check(ctx.db, ctx.committee, date(2026, 11, 1), date(2026, 11, 30))
                   if y.food_code == "D9")
    assert checked.flagged and checked.days == (day,)
    assert checked.by_day == ((day, oil, more * 1000),)
    kardex = [k for k in stock.kardex(ctx.db, ctx.committee.id, "D9") if k.day == day]
    assert kardex[-1].kind == "salida" and "El aceite se midió con la jarra" in kardex[-1].reason


def test_the_issue_grid_is_closed_to_a_day_without_rations(page, wait_idle):
    page.set_day(date(2026, 11, 28))  # a Saturday the demo did not serve
    wait_idle()
    assert not page.issue_button.isEnabled()


def test_food_that_never_entered_the_store_is_refused_without_its_origin_and_recorded_with_it(page, ctx,
                                                                                            wait_idle):
    cell = page.grid.cells[("almuerzo", "inicial")]
    recipe = recipes.get_recipe(ctx.db, cell.recipe_id())
    ever_received = {lot.food_code for lot in stock.lots(ctx.db, ctx.committee.id, with_empty=True)}
    outside = {i.code: g * 33 for i, g in recipe.gross_grams("inicial") if i.code not in ever_received}
    assert outside, "the demo's lunch carries vegetables the store never received"
    from qaliwarma.services.catalog import food_names

    names = food_names(ctx.db)
    shown, every = page.outside_foods.text(), page.outside_foods.toolTip()
    assert shown.startswith("Según el menú, nunca entraron al almacén:")
    assert all(names[c] in every for c in outside)  # the screen says which foods need an origin (on the pointer
    day = page.data.outside_foods  # when there are more than two: two named, the others counted)
    assert len(day) > 2 and [n for n in day if n in shown] == list(day[:2]) and f"y {len(day) - 2} más" in shown
    # without an origin: refused, in the cell and the banner, naming the products; nothing recorded
    _fill(page, {("almuerzo", "inicial"): (33, 36)}, origin="")
    page.save_day()
    wait_idle()
    assert all(names[c] in cell.problem.text() for c in outside)
    assert "nunca entr" in cell.problem.text() and "26/11/2026" in cell.problem.text()
    assert "No se guardó nada" in page.status.text()
    assert page.outside_label.property("role") == "error"  # the origin is what is missing
    assert serving.services_in(ctx.db, ctx.committee.id, TODAY, TODAY) == []
    # with the origin chosen from the list: recorded as food from outside the store, with its origin
    page.outside_origin.setCurrentIndex(page.outside_origin.findText("Donación"))
    page.save_day()
    wait_idle()
    assert page.status.text().startswith("✓ Día guardado: 1 registro, 33 raciones.")
    found = serving.outside_food(ctx.db, ctx.committee.id, TODAY, TODAY)
    assert {o.food_code: o.grams for o in found} == outside
    assert {o.origin for o in found} == {"Donación"} and {(o.meal, o.level) for o in found} == {("almuerzo", "inicial")}


def test_the_origin_of_outside_food_chosen_for_one_day_does_not_carry_over_to_another(page, wait_idle):
    """«Aporte de padres» chosen for the 26th stayed in the box on the 25th, a day already recorded, ready to be
    saved with the wrong origin."""
    page.outside_origin.setCurrentText("Aporte de padres")
    page.set_day(date(2026, 11, 25))
    wait_idle()
    assert page.outside_origin_text() == ""
    page.outside_origin.setCurrentText("Donación")
    page.load_day()  # the same day read again (after a save elsewhere): what is being typed stays
    wait_idle()
    assert page.outside_origin_text() == "Donación"


def test_a_day_still_to_come_cannot_be_saved_and_a_refusal_does_not_follow_to_another_day(page, ctx, wait_idle):
    """The rations of a day are recorded once served: a day after today says so and offers no «Guardar»; the red
    refusal of one day is not left above another."""
    from datetime import timedelta

    lot = next(lot for lot in stock.lots(ctx.db, ctx.committee.id) if lot.food_code == "A14")  # barley
    stock.adjust(ctx.db, ctx.committee.id, lot.id, -lot.balance_grams + 100, "perdida", day=TODAY, user="prueba")
    _fill(page, NUMBERS)
    page.save_day()
    wait_idle()
    assert "No alcanza" in page.banner.text.text() and page.banner.isVisible()
    page.set_day(TODAY + timedelta(days=1))  # Friday 27/11/2026, a school day still to come
    wait_idle()
    assert not page.banner.isVisible()
    assert not page.save_button.isEnabled()
    assert "todavía no llega" in page.status.text() and "todavía no llega" in page.day_info.text()
    page.set_day(TODAY - timedelta(days=1))  # a day already recorded by the demo: nothing to save either
    wait_idle()
    page.set_day(TODAY)
    wait_idle()
    assert page.save_button.isEnabled()  # today's rations may be saved


def test_a_day_of_a_closed_month_says_it_cannot_be_recorded_again_before_anything_is_annulled(page, ctx, wait_idle):
    """«Para corregir un registro, anúlelo y vuelva a escribirlo» could not be done in a closed month: a secretary
    annulled a November record in December, then could not write it again, and November's rations dropped."""
    from qaliwarma.services import periods

    periods.close(ctx.db, ctx.committee.id, "2026-10", user="Rosa", today=TODAY)
    page.set_day(date(2026, 10, 15))
    wait_idle()
    assert page.data.closed
    assert not page.save_button.isEnabled() and not page.issue_button.isEnabled()
    assert page.status.text().startswith("Octubre de 2026 está cerrado: sus días ya no se registran ni se vuelven "
                                         "a escribir.")
    page.set_day(date(2026, 11, 25))  # November is open: recorded as always
    wait_idle()
    assert not page.data.closed and "está cerrado" not in page.status.text()


def test_the_second_meals_preparations_are_in_view_at_1366_by_768(qtbot, themed, ctx, wait_idle):
    """A secretary at 1366×768 saw only Desayuno: «Almuerzo» was cut at the bottom of «Registrar un día». The page
    here is the size it gets in the maximised window (the navigation, the header and the status bar aside), with
    the application's own type."""
    widget = RationsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1080, 660)
    widget.show()
    wait_idle()
    widget.set_day(date(2026, 11, 26))  # not yet recorded: every cell is to be filled
    wait_idle()
    viewport = widget.scroll.viewport()
    combos = [widget.grid.cells[("almuerzo", level)].recipe for level in ("inicial", "primaria")]
    # the grid's new cells are shown by their layout once the events queued meanwhile are handled
    qtbot.waitUntil(lambda: all(combo.isVisible() for combo in combos), timeout=5000)
    for combo in combos:
        assert combo.mapTo(viewport, combo.rect().bottomLeft()).y() <= viewport.height()
    # and the numbers to type for it: Raciones and Asistentes (helper-53: half below the fold, under the list of
    # the menu's foods that never entered the store)
    assert widget.data.outside_foods  # that list is there, as in the demo's month
    for level in ("inicial", "primaria"):
        cell = widget.grid.cells[("almuerzo", level)]
        for box in (cell.rations, cell.attendance):
            assert box.mapTo(viewport, box.rect().bottomLeft()).y() <= viewport.height()
