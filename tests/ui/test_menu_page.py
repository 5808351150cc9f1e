"""Menú: the month's school days coloured by the check, a day's preparations chosen in its detail,
refusals (a day without school, a bad plan file) with their message and nothing changed, changes of
several days, the plan as a file, and the PDFs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import shiboken6

from qaliwarma.domain.menus import STATUS_OK
from qaliwarma.domain.nutrients import format_amount
from qaliwarma.services import committee, compliance, planning, recipes, standards
from tests.ui.conftest import DEMO_TODAY, short_fridays
from ui.context import AppContext
from ui.pages.menu import MenuPage

TODAY = DEMO_TODAY
NOV = date(2026, 11, 1)


@pytest.fixture
def ctx(demo_db, runner):
    return AppContext(demo_db, runner, committee.current(demo_db), user="Rosa")


@pytest.fixture
def page(qtbot, ctx, wait_idle) -> MenuPage:
    widget = MenuPage(ctx)
    widget.today = TODAY
    widget.asked_served: list[str] = []  # changes of a day already served: asked, and agreed to (tests below)
    widget.confirm_served_change = lambda text: widget.asked_served.append(text) or True
    qtbot.addWidget(widget)
    widget.resize(1136, 700)
    widget.show()
    widget.refresh()
    wait_idle()
    qtbot.waitUntil(lambda: widget.check is not None)
    return widget


def _plan(ctx):
    return planning.get_plan(ctx.db, planning.list_plans(ctx.db, ctx.committee.id)[0].id)


def _service_check(ctx):
    plan = _plan(ctx)
    return compliance.check_plan(ctx.db, plan, standards.get_standard(ctx.db, plan.info.standard_id), ctx.committee)


def _word(page: MenuPage, day: date) -> str:
    return page.calendar.cell(day).text().split("\n")[1]


@pytest.fixture
def short(ctx):
    """Fridays' primaria breakfast: the committee's own «Quinua con manzana» at 70 % (misses the standard)."""
    return short_fridays(ctx.db)


def test_each_school_day_has_the_colour_of_its_check(short, page, ctx):
    assert page.month_label.text() == "Noviembre 2026"
    check = _service_check(ctx)
    days = sorted({e.day for e in check.entries})
    assert set(page.calendar.cells) >= set(days)
    words = {"ok": "Cumple", "low": "No cumple", "high": "No cumple", "unknown": "Faltan datos"}
    for day in days:
        assert _word(page, day) == words[check.day_status(day)], day
    assert _word(page, date(2026, 11, 6)) == "No cumple"  # primaria's breakfast is the short one
    assert "Desayuno: Primaria: Quinua con manzana, porción chica" in page.calendar.cell(date(2026, 11, 6)).text()
    assert "no cumplen el estándar" in page.summary.text()
    assert date(2026, 11, 7) not in page.calendar.cells  # Saturday: no column


def test_choosing_a_preparation_turns_the_day_green_after_the_check(qtbot, short, page, ctx):
    day = date(2026, 11, 6)
    judged = compliance.judge_recipe(ctx.db, recipes.get_recipe(ctx.db, short), "primaria",
                                     standards.get_standard(ctx.db, "qw-2014"))
    energy = next(m for m in judged if m.metric == "energy_kcal")
    assert energy.status == "low"
    seen = []
    ctx.data_changed.connect(seen.append)
    page.calendar.cell(day).clicked.emit(day)
    assert page.panel_area.isVisible() and page.panel.title.text() == "Viernes 6 de noviembre de 2026"
    editor = page.panel.editors[("desayuno", "primaria")]
    assert energy.message.split(": aumente")[0] in editor.problems.text()  # «Energía: … por debajo de la meta 355–405 kcal»
    assert "por debajo de la meta 355–405 kcal" in editor.problems.text()
    assert editor.status.text() == "No cumple"
    assert f"Energía {format_amount('energy_kcal', energy.value)}" in editor.nutrients.text()
    ids = [editor.combo.itemData(i) for i in range(editor.combo.count())]
    assert None in ids and "sierra-aji-pollo" not in ids  # only breakfasts for primaria
    editor.combo.setCurrentIndex(editor.combo.findData("sierra-avena-kiwicha-pan-sangrecita"))
    qtbot.waitUntil(lambda: _word(page, day) == "Cumple")
    assert page.panel.editors[("desayuno", "primaria")].status.text() == "Cumple"
    saved = {(e.meal, e.level): e.recipe_id for e in _plan(ctx).entries if e.day == day}
    assert saved[("desayuno", "primaria")] == "sierra-avena-kiwicha-pan-sangrecita"
    assert _service_check(ctx).day_status(day) == STATUS_OK
    assert "menu" in seen
    # clearing it leaves the slot without a preparation: the day asks for one
    editor.combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: "Desayuno: Primaria: —" in page.calendar.cell(day).text())
    assert "Desayuno: Inicial: Quinua" in page.calendar.cell(day).text()
    assert "Faltan preparaciones en 1 de 21 días" in page.summary.text()
    # the rest of the day meets the standard, but the day is not «Cumple» over a meal nobody planned
    qtbot.waitUntil(lambda: _word(page, day) == "Falta")
    qtbot.waitUntil(lambda: page.panel.message.text() == (
        "Falta elegir la preparación de 1 comida de este día; las elegidas cumplen. Elíjala abajo."))


def test_a_day_without_school_is_refused_and_nothing_changes(qtbot, page, ctx, wait_idle):
    before = _plan(ctx).entries
    page.assign(date(2026, 11, 7), "desayuno", "primaria", "sierra-api-pan-queso")  # a Saturday
    wait_idle()
    assert page.banner.isVisible()
    assert "el 07/11/2026 no es día de clases: es sábado o domingo" in page.banner.text.text()
    assert _plan(ctx).entries == before
    page.assign(date(2026, 11, 9), "almuerzo", "primaria", "sierra-api-pan-queso")  # a breakfast at lunch
    wait_idle()
    assert "es un desayuno, no un almuerzo" in page.banner.text.text()
    assert _plan(ctx).entries == before


def test_a_new_plan_starts_on_the_current_month_and_greys_days_without_school(qtbot, page, ctx, wait_idle):
    dialog = page.open_new_plan()
    assert dialog.name.text() == "Menú de noviembre 2026"
    assert dialog.start.date().toString("dd/MM/yyyy") == "01/11/2026"
    assert dialog.end.date().toString("dd/MM/yyyy") == "30/11/2026"
    dialog.start.setDate(dialog.start.date().addMonths(1))
    assert dialog.name.text() == "Menú de diciembre 2026" and dialog.end.date().day() == 31
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: page.month_label.text() == "Diciembre 2026")
    wait_idle()
    assert len(planning.list_plans(ctx.db, ctx.committee.id)) == 2
    assert not shiboken6.isValid(dialog)  # closed and gone
    cells = page.calendar.cells
    assert cells[date(2026, 12, 8)].text() == "8\nFeriado: Inmaculada Concepción"
    assert cells[date(2026, 12, 21)].text() == "21\nFuera del año escolar"
    assert _word(page, date(2026, 12, 1)) == "Sin menú"
    assert "Faltan preparaciones en 12 de 12 días de clase" in page.summary.text()
    page.select_day(date(2026, 12, 8))
    assert "es feriado (Inmaculada Concepción)" in page.panel.message.text()
    assert not page.panel._body.isVisible()


def test_a_plan_needs_a_name(qtbot, page, ctx):
    dialog = page.open_new_plan()
    dialog.name.setText("  ")
    dialog.ok_button.click()
    qtbot.waitUntil(dialog.error.isVisible)
    assert "escriba un nombre para el plan" in dialog.error.text()
    assert len(planning.list_plans(ctx.db, ctx.committee.id)) == 1


def test_a_bad_plan_file_is_refused_with_every_problem(qtbot, page, ctx, tmp_path, wait_idle):
    bad = tmp_path / "malo.toml"
    bad.write_text('name = "Marzo"\n[[days]]\ndate = 2026-11-07\ndesayuno = "no-existe"\n'
                   '[[days]]\ndate = 2026-11-09\ncena = "sierra-api-pan-queso"\n', encoding="utf-8")
    page.import_file(bad)
    wait_idle()
    text = page.banner.text.text()
    assert "malo.toml tiene errores; no se importó nada." in text
    assert "comida «cena» desconocida" in text
    assert len(planning.list_plans(ctx.db, ctx.committee.id)) == 1
    bad.write_text('name = "Marzo"\n[[days]]\ndate = 2026-11-07\ndesayuno = "no-existe"\n', encoding="utf-8")
    page.import_file(bad)
    wait_idle()
    text = page.banner.text.text()
    assert "el plan tiene errores; no se guardó nada." in text.lower()
    assert "preparación desconocida «no-existe»" in text and "no es día de clases" in text
    broken = tmp_path / "roto.toml"
    broken.write_text("name = \n", encoding="utf-8")
    page.import_file(broken)
    wait_idle()
    assert "roto.toml no es un plan válido (TOML mal formado)" in page.banner.text.text()
    assert len(planning.list_plans(ctx.db, ctx.committee.id)) == 1
    assert page.plan_combo.count() == 1


def test_many_problems_are_cut_in_the_banner_and_all_can_be_read(qtbot, page, tmp_path, wait_idle):
    rows = "\n".join(f"{d:%d/%m/%Y},desayuno,primaria,no-existe-{d.day}" for d in
                     (date(2026, 11, 2) + timedelta(days=n) for n in range(10)))
    sheet = tmp_path / "muchos.csv"
    sheet.write_text("fecha,comida,nivel,preparacion\n" + rows + "\n", encoding="utf-8")
    page.import_file(sheet)
    wait_idle()
    assert "problemas más" in page.banner.text.text()
    assert "no-existe-11" in page.banner.full_text  # every problem is kept for «Ver todos»


def test_the_plan_goes_to_a_file_and_comes_back(qtbot, page, ctx, tmp_path, wait_idle):
    out = tmp_path / "plan.toml"
    page.export_file(out)
    wait_idle()
    assert "Plan guardado en" in page.notice.text()
    text = out.read_text(encoding="utf-8")
    assert 'committee = "0456789"' in text and "[[days]]" in text
    page.import_file(out)
    wait_idle()
    plans = planning.list_plans(ctx.db, ctx.committee.id)
    assert len(plans) == 2 and plans[1].entries == 84
    assert page.plan.info.id == plans[1].id
    assert "Se cargó el plan «Menú de noviembre 2026» con 84 preparaciones." in page.notice.text()


def test_swap_two_days_in_the_dialog(qtbot, page, ctx, wait_idle):
    before = _plan(ctx)
    a, b = date(2026, 11, 2), date(2026, 11, 3)
    dialog = page.open_swap_days()
    dialog.dates["a"].setDate(dialog.dates["a"].date().fromString("02/11/2026", "dd/MM/yyyy"))
    dialog.dates["b"].setDate(dialog.dates["b"].date().fromString("03/11/2026", "dd/MM/yyyy"))
    dialog.ok_button.click()
    wait_idle()
    assert not shiboken6.isValid(dialog)  # closed and gone
    after = {(e.day, e.meal, e.level): e.recipe_id for e in _plan(ctx).entries}
    for e in before.entries:
        if e.day in (a, b):
            assert after[(b if e.day == a else a, e.meal, e.level)] == e.recipe_id
    assert "Se intercambiaron el 02/11/2026 y el 03/11/2026." in page.notice.text()


def test_swapping_days_already_served_is_asked_first_and_kept_in_the_history(qtbot, page, ctx, wait_idle):
    """Two served days were swapped with only a green line and nothing in «Historial…»: the month's report then
    compared the rations with another menu. Now the committee is asked, naming the meals served, and the
    swap is in the history with who did it."""
    from qaliwarma.services import integrity, serving

    a, b = date(2026, 11, 2), date(2026, 11, 3)
    served = serving.services_in(ctx.db, ctx.committee.id, a, b)
    before = {(e.day, e.meal, e.level): e.recipe_id for e in _plan(ctx).entries}
    changing = {(r.day, r.meal, r.level) for r in served
                if before[(r.day, r.meal, r.level)] != before[(b if r.day == a else a, r.meal, r.level)]}
    assert changing  # the demo served both days, with different dishes
    page.confirm_served_change = lambda text: page.asked_served.append(text) or False  # declined
    dialog = page.open_swap_days()
    dialog.dates["a"].setDate(dialog.dates["a"].date().fromString("02/11/2026", "dd/MM/yyyy"))
    dialog.dates["b"].setDate(dialog.dates["b"].date().fromString("03/11/2026", "dd/MM/yyyy"))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: len(page.asked_served) == 1)
    wait_idle()
    asked = page.asked_served[0]
    assert f"Este cambio toca {len(changing)} comidas que ya tienen raciones registradas" in asked
    first = min(changing)
    rations = next(r.rations for r in served if (r.day, r.meal, r.level) == first)
    assert f"{first[0]:%d/%m/%Y} {first[1]} de {first[2]} ({rations} raciones)" in asked
    assert {(e.day, e.meal, e.level): e.recipe_id for e in _plan(ctx).entries} == before  # declined: unchanged
    assert "No se cambió nada." in dialog.error.text()
    page.confirm_served_change = lambda text: page.asked_served.append(text) or True  # agreed
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: len(page.asked_served) == 2)
    wait_idle()
    after = {(e.day, e.meal, e.level): e.recipe_id for e in _plan(ctx).entries}
    assert all(after[(b if d == a else a, m, lv)] == r for (d, m, lv), r in before.items() if d in (a, b))
    page.open_history()
    wait_idle()
    qtbot.waitUntil(lambda: getattr(page, "history_dialog", None) is not None)
    texts = page.history_dialog.texts()
    swapped = [t for t in texts if "Rosa, intercambió el 02/11/2026 y el 03/11/2026" in t]
    assert len(swapped) == len({k for k in before if k[0] in (a, b) and before[k] != after[k]})
    assert integrity.check_one(ctx.db, ctx.committee.id).ok
    # the swap puts Monday's api four school days before the next one: every day still meets the standard, but a
    # rule of the menu does not, and the month's line says so instead of «Todo el mes cumple… ya puede imprimir»
    failing = [r for r in _service_check(ctx).rules if r.status != "ok"]
    assert failing
    qtbot.waitUntil(lambda: page.check is not None and any(r.status != "ok" for r in page.check.rules))
    wait_idle()
    assert "Todo el mes cumple" not in page.summary.text()
    assert "del menú no se cumple" in page.summary.text() and failing[0].description in page.summary.text()


def test_copy_week_and_repeat_cycle(qtbot, page, ctx, wait_idle):
    dialog = page.open_copy_week()
    assert dialog.dates["from"].date().toString("dd/MM/yyyy") == "02/11/2026"  # the month's first week
    assert dialog.dates["to"].date().toString("dd/MM/yyyy") == "09/11/2026"
    dialog.dates["from"].setDate(dialog.dates["from"].date().fromString("04/11/2026", "dd/MM/yyyy"))
    dialog.dates["to"].setDate(dialog.dates["to"].date().fromString("18/11/2026", "dd/MM/yyyy"))
    dialog.ok_button.click()
    wait_idle()
    by_key = {(e.day, e.meal, e.level): e.recipe_id for e in _plan(ctx).entries}
    for n in range(5):
        for meal in ("desayuno", "almuerzo"):
            assert by_key[(date(2026, 11, 16 + n), meal, "primaria")] == by_key[(date(2026, 11, 2 + n), meal, "primaria")]

    dialog = page.open_repeat_cycle()
    dialog.dates["start"].setDate(dialog.dates["start"].date().fromString("02/11/2026", "dd/MM/yyyy"))
    dialog.number.setValue(3)
    dialog.ok_button.click()
    wait_idle()
    plan = _plan(ctx)
    days = sorted({e.day for e in plan.entries})
    by_key = {(e.day, e.meal, e.level): e.recipe_id for e in plan.entries}
    for n, day in enumerate(days):
        assert by_key[(day, "desayuno", "inicial")] == by_key[(days[n % 3], "desayuno", "inicial")]
    assert "Se repitió el ciclo de 3 días de clase hasta el 30/11/2026." in page.notice.text()


def test_a_refused_change_keeps_the_dialog_open_with_its_message(qtbot, page, ctx, wait_idle):
    before = _plan(ctx).entries
    dialog = page.open_copy_week()
    dialog.dates["from"].setDate(dialog.dates["from"].date().fromString("26/10/2026", "dd/MM/yyyy"))
    dialog.ok_button.click()
    wait_idle()
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "La semana del 26/10/2026 no tiene preparaciones para copiar." in dialog.error.text()
    assert _plan(ctx).entries == before
    dialog.reject()


def test_poster_and_dosing_sheet_are_saved_and_opened(qtbot, page, tmp_path, wait_idle):
    opened = []
    page.open_file = opened.append
    page.ask_save_path = lambda title, suggested, filters: str(tmp_path / suggested)
    page.poster_button.click()
    wait_idle()
    poster = tmp_path / "menu-noviembre-2026.pdf"
    assert poster.read_bytes()[:5] == b"%PDF-" and opened == [poster]
    page.select_day(date(2026, 11, 6))
    page.panel.editors[("almuerzo", "inicial")].dosing.click()
    wait_idle()
    assert opened[-1].name.startswith("dosificacion-") and opened[-1].read_bytes()[:5] == b"%PDF-"
    assert "Documento guardado" in page.notice.text()


def test_a_month_that_meets_the_standard_links_to_its_printing(qtbot, page, tmp_path, wait_idle):
    """«Ya puede imprimir el menú» is a link that prints it: the button below may be out of sight at 1366×768."""
    opened = []
    page.open_file = opened.append
    page.ask_save_path = lambda title, suggested, filters: str(tmp_path / suggested)
    assert "Todo el mes cumple el estándar" in page.summary.text()
    assert '<a href="#imprimir">imprimir el menú</a>' in page.summary.text()
    page.summary.linkActivated.emit("#imprimir")
    wait_idle()
    assert opened == [tmp_path / "menu-noviembre-2026.pdf"] and opened[0].read_bytes()[:5] == b"%PDF-"


def test_a_poster_cannot_be_written_where_there_is_no_folder(qtbot, page, tmp_path, wait_idle):
    (tmp_path / "archivo").write_text("no es una carpeta", encoding="utf-8")
    page.print_poster(tmp_path / "archivo" / "menu.pdf")
    wait_idle()
    assert "No se pudo guardar" in page.banner.text.text() and "Elija otra carpeta" in page.banner.text.text()


def test_without_a_committee_the_page_says_what_to_do(qtbot, demo_db, runner, wait_idle):
    widget = MenuPage(AppContext(demo_db, runner, None))
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    wait_idle()
    assert "Registre primero el comité en «Comité»" in widget.start.text.text()
    assert not widget.new_button.isEnabled() and not widget.start.create_button.isVisible()


def test_delete_a_plan_then_the_page_offers_to_create_one(qtbot, page, ctx, wait_idle):
    page.delete_plan()
    wait_idle()
    assert planning.list_plans(ctx.db, ctx.committee.id) == []
    assert page.stack.currentIndex() == 0
    assert page.start.create_button.text() == "Crear el plan de noviembre 2026"


def test_the_last_pick_can_be_undone(qtbot, page, ctx, wait_idle):
    day = date(2026, 11, 6)
    before = {(e.meal, e.level): e.recipe_id for e in _plan(ctx).entries if e.day == day}
    page.calendar.cell(day).clicked.emit(day)
    editor = page.panel.editors[("desayuno", "primaria")]
    editor.combo.setCurrentIndex(editor.combo.findData("sierra-avena-kiwicha-pan-sangrecita"))
    qtbot.waitUntil(page.undo_button.isVisible)
    assert page.notice.text().startswith("Se eligió «Avena con kiwicha y pan con sangrecita» para desayuno de "
                                         "primaria, 06/11")
    page.undo_button.click()
    wait_idle()
    qtbot.waitUntil(lambda: "Se deshizo la última elección" in page.notice.text())
    after = {(e.meal, e.level): e.recipe_id for e in _plan(ctx).entries if e.day == day}
    assert after == before  # the day is as it was, every meal and level
    assert not page.undo_button.isVisible()  # one undo, of the last pick only
    assert page.panel.editors[("desayuno", "primaria")].combo.currentData() == before[("desayuno", "primaria")]


def test_a_pick_and_its_undo_are_journaled_and_shown_in_the_history(qtbot, page, ctx, wait_idle):
    from qaliwarma.services import integrity, people

    ctx.user = people.signature(ctx.db, ctx.committee.id, "42345678")  # the secretary signed in
    day = date(2026, 11, 6)
    before = next(e.recipe_id for e in _plan(ctx).entries if (e.day, e.meal, e.level) == (day, "desayuno", "primaria"))
    page.calendar.cell(day).clicked.emit(day)
    editor = page.panel.editors[("desayuno", "primaria")]
    editor.combo.setCurrentIndex(editor.combo.findData("sierra-avena-kiwicha-pan-sangrecita"))
    qtbot.waitUntil(page.undo_button.isVisible)
    page.undo_button.click()
    wait_idle()
    qtbot.waitUntil(lambda: "Se deshizo la última elección" in page.notice.text())

    [undo, pick] = planning.pick_history(ctx.db, ctx.committee.id)[:2]
    assert (pick.recipe_id, pick.before, pick.undoes) == ("sierra-avena-kiwicha-pan-sangrecita", before, None)
    assert undo.undoes == pick.seq and undo.seq == pick.seq + 1 and undo.reason
    assert str(pick.user) == str(undo.user) == "Julio Ccanto Paucar (DNI 42345678)"

    page.open_history()
    wait_idle()
    qtbot.waitUntil(lambda: getattr(page, "history_dialog", None) is not None)
    texts = page.history_dialog.texts()
    names = page.data.names
    assert (f"n.º {undo.seq} — Julio Ccanto Paucar (DNI 42345678) deshizo la elección n.º {pick.seq} (desayuno de "
            f"primaria, 06/11/2026: volvió a «{names[before]}»)") in texts[0]
    assert (f"n.º {pick.seq} — Julio Ccanto Paucar (DNI 42345678) eligió «Avena con kiwicha y pan con "
            f"sangrecita» para desayuno de primaria, 06/11/2026 (antes: «{names[before]}»)") in texts[1]
    assert integrity.check_one(ctx.db, ctx.committee.id).ok  # the reversal is a proper journal correction


def test_changing_the_menu_of_a_day_already_served_is_asked_first(qtbot, page, ctx, wait_idle):
    """The 25th's breakfast changed from what was served with only a green line: the plan is what the month's
    report compares with what was served. The change is now asked about, naming what was served."""
    from qaliwarma.services import serving

    day = date(2026, 11, 25)
    [row] = [r for r in serving.services_in(ctx.db, ctx.committee.id, day, day)
             if (r.meal, r.level) == ("desayuno", "inicial")]
    before = {(e.meal, e.level): e.recipe_id for e in _plan(ctx).entries if e.day == day}
    page.confirm_served_change = lambda text: page.asked_served.append(text) or False  # declined
    page.calendar.cell(day).clicked.emit(day)
    editor = page.panel.editors[("desayuno", "inicial")]
    other = next(editor.combo.itemData(i) for i in range(1, editor.combo.count())
                 if editor.combo.itemData(i) != before[("desayuno", "inicial")])
    editor.combo.setCurrentIndex(editor.combo.findData(other))
    qtbot.waitUntil(lambda: len(page.asked_served) == 1)
    wait_idle()
    assert f"ya tiene raciones registradas ({row.rations} raciones de «" in page.asked_served[0]
    assert {(e.meal, e.level): e.recipe_id for e in _plan(ctx).entries if e.day == day} == before  # declined
    qtbot.waitUntil(lambda: page.panel.editors[("desayuno", "inicial")].combo.currentData() == before[
        ("desayuno", "inicial")])
    page.confirm_served_change = lambda text: page.asked_served.append(text) or True  # agreed
    editor = page.panel.editors[("desayuno", "inicial")]
    editor.combo.setCurrentIndex(editor.combo.findData(other))
    qtbot.waitUntil(lambda: {(e.meal, e.level): e.recipe_id for e in _plan(ctx).entries
                             if e.day == day}[("desayuno", "inicial")] == other)
    assert len(page.asked_served) == 2


def test_a_day_not_yet_served_is_changed_without_a_question(qtbot, page, ctx, wait_idle):
    day = date(2026, 11, 27)  # after the demo's today: nothing served
    page.calendar.cell(day).clicked.emit(day)
    editor = page.panel.editors[("desayuno", "inicial")]
    current = editor.combo.currentData()
    other = next(editor.combo.itemData(i) for i in range(1, editor.combo.count()) if editor.combo.itemData(i) != current)
    editor.combo.setCurrentIndex(editor.combo.findData(other))
    qtbot.waitUntil(lambda: {(e.meal, e.level): e.recipe_id for e in _plan(ctx).entries
                             if e.day == day}[("desayuno", "inicial")] == other)
    assert page.asked_served == []
