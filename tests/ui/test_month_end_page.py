"""Cierre de mes: the month's checklist, closing it (nothing of it can change afterwards), the monthly
report and the supervisor's package, each showing the month's verification code."""

from __future__ import annotations

from datetime import date

import pytest

from qaliwarma.errors import PeriodClosed
from qaliwarma.io.bundle import read_bundle
from qaliwarma.persistence.journal import Journal
from qaliwarma.services import calendar, committee, export, incidents, periods, serving, treasury
from tests.ui.conftest import DEMO_TODAY
from ui.context import AppContext
from ui.pages import month_end
from ui.pages.month_end import MonthEndPage

TODAY = DEMO_TODAY  # the demo committee's records run up to the day before
MONTH = "2026-11"


@pytest.fixture
def info(demo_db):
    return committee.current(demo_db)


@pytest.fixture
def page(qtbot, demo_db, info, runner, wait_idle, monkeypatch):
    monkeypatch.setattr(month_end, "today", lambda: TODAY)
    ctx = AppContext(demo_db, runner, info, user="prueba")
    widget = MonthEndPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1136, 700)
    widget.show()
    widget.refresh()
    wait_idle()
    return widget


def _journal_count(db, info) -> int:
    with db.session() as s:
        return Journal(s, info.id).count()


def test_the_checklist_says_what_the_month_has(page, demo_db, info):
    assert page.month_combo.currentData() == MONTH
    start, end = periods.month_bounds(MONTH)
    past = [d for d in calendar.school_days(demo_db, info.id, start, end) if d < TODAY]
    served = {r.day for r in serving.services_in(demo_db, info.id, start, end)}
    expected_days = f"Raciones anotadas en {sum(1 for d in past if d in served)} de {len(past)} días de clase"
    expenses = len(treasury.balance(demo_db, info.id, MONTH).expenses)
    with demo_db.session() as s:
        entries = Journal(s, info.id).verify().entries
    texts = page.checklist.texts()
    assert expected_days in texts
    assert "Recepciones de alimentos: 1 acta" in texts
    assert any(t.startswith(f"Gastos: {expenses} comprobantes por S/ ") for t in texts)
    assert "Incidencias: 2" in texts
    assert f"Diario íntegro: {entries} asientos verificados" in texts
    # what the supervisor will flag, before it is sent: the demo's seeded anomalies
    assert "Por revisar: Raciones por encima de la matrícula" in texts
    assert "Por revisar: Servicio en día sin clases" in texts
    assert "abierto" in page.state_label.text()
    assert page.close_button.isEnabled()
    assert page.closed_list.text() == "Todavía no se cerró ningún mes."


def test_the_code_shown_is_the_months_verification_code(page, demo_db, info):
    assert page.code_card.text() == export.verification_code(export.month_code(demo_db, info, MONTH))


AFTER_THE_MONTH = date(2026, 12, 1)  # the day after November's last school day (Monday 30)


def _no_dialog(*_args, **_kwargs):
    pytest.fail("after the month's last school day no reason is asked for")


def test_closing_the_month_freezes_it(page, demo_db, info, wait_idle, monkeypatch):
    monkeypatch.setattr(month_end, "today", lambda: AFTER_THE_MONTH)
    monkeypatch.setattr(month_end, "ask_reason", _no_dialog)
    page.refresh()
    wait_idle()
    asked = []
    monkeypatch.setattr(month_end, "confirm", lambda _parent, _title, text, action: asked.append((text, action)) or True)
    page.close_button.click()
    wait_idle()
    text, action = asked[0]
    assert action == "Cerrar el mes"
    assert "nada de ese mes se podrá cambiar" in text and "diciembre de 2026" in text  # where corrections go
    assert periods.closed_months(demo_db, info.id) == [MONTH]
    assert "CERRADO" in page.state_label.text()
    assert not page.close_button.isEnabled() and page.close_button.text() == "Mes cerrado"
    assert page.closed_list.text().startswith("noviembre de 2026 — cerrado el ")
    assert "quedó cerrado" in page.banner.text.text()
    # the code now includes the closing entry, and is what the export and the report will carry
    assert page.code_card.text() == export.verification_code(export.month_code(demo_db, info, MONTH))

    before = _journal_count(demo_db, info)
    with pytest.raises(PeriodClosed, match="está cerrado"):
        incidents.record(demo_db, info.id, incidents.Incident(date(2026, 11, 27), "otro", "Se cayó el techo de la "
                                                                                           "cocina"), user="prueba")
    service = serving.services_in(demo_db, info.id, date(2026, 11, 2), date(2026, 11, 2))[0]
    from qaliwarma.domain.stock import ServiceInput

    with pytest.raises(PeriodClosed, match="El mes 2026-11 está cerrado"):
        serving.record(demo_db, info, [ServiceInput(date(2026, 11, 26), "almuerzo", "primaria", service.recipe_id,
                                                    100, 100, outside_origin="Aporte de padres")], user="prueba")
    assert _journal_count(demo_db, info) == before  # nothing was written


def test_cancelling_the_close_changes_nothing(page, demo_db, info, wait_idle, monkeypatch):
    monkeypatch.setattr(month_end, "today", lambda: AFTER_THE_MONTH)
    page.refresh()
    wait_idle()
    monkeypatch.setattr(month_end, "confirm", lambda *_args: False)
    page.close_button.click()
    wait_idle()
    assert periods.closed_months(demo_db, info.id) == []
    assert page.close_button.isEnabled()


def test_a_close_before_the_last_school_day_is_refused_without_a_reason(page, demo_db, info, wait_idle,
                                                                         monkeypatch):
    """On the 26th, four school days are still to come: a plain close is refused; only an early close
    with its reason is offered, and cancelling it closes nothing."""
    asked = []
    monkeypatch.setattr(month_end, "confirm", lambda *_a: pytest.fail("a plain close is never offered early"))
    monkeypatch.setattr(month_end, "ask_reason", lambda _p, title, text, action, **_k: asked.append(
        (title, text, action)) or None)
    before = _journal_count(demo_db, info)
    page.close_button.click()
    wait_idle()
    title, text, action = asked[0]
    assert title == "Cierre anticipado" and "30/11/2026" in text and "motivo" in action
    assert periods.closed_months(demo_db, info.id) == []
    assert _journal_count(demo_db, info) == before
    assert "no se cerró" in page.banner.text.text() and page.close_button.isEnabled()


def test_an_early_close_keeps_its_reason(page, demo_db, info, wait_idle, monkeypatch):
    asked = []
    monkeypatch.setattr(month_end, "ask_reason", lambda _p, _title, text, *_a, **_k: asked.append(text) or
                        "La directiva del comité cambia el lunes")
    page.close_button.click()
    wait_idle()
    assert periods.closed_months(demo_db, info.id) == [MONTH]
    with demo_db.session() as s:
        closing = Journal(s, info.id).entries("periodo.cierre")[-1]
    assert closing.payload["early"] is True
    assert closing.payload["reason"] == "La directiva del comité cambia el lunes"
    assert closing.payload["closed_on"] == TODAY.isoformat()
    # closed, the month asks for nothing it can no longer take (the days still to come, the rations missing)
    page.refresh()
    wait_idle()
    details = " ".join(item.detail for item in page.status().items)
    assert "Anote las raciones" not in details and "por venir" not in details
    # the question said what the close takes away, and the days the close leaves without rations are still named
    assert "nada de noviembre de 2026 se podrá cambiar ni agregar" in asked[0]
    start, end = periods.month_bounds(MONTH)
    days = calendar.school_days(demo_db, info.id, start, end)
    served = {r.day for r in serving.services_in(demo_db, info.id, start, end)}
    unserved = [d for d in days if d not in served]
    assert any(d >= TODAY for d in unserved)  # the days after the close are among them
    texts = page.checklist.texts()
    assert f"Raciones anotadas en {len(days) - len(unserved)} de {len(days)} días de clase" in texts
    assert "Sin registro: " + ", ".join(f"{d:%d/%m}" for d in unserved[:6]) in details


def test_exporting_an_open_month_reminds_to_close_it_first(page, tmp_path, wait_idle, monkeypatch):
    asked = []
    monkeypatch.setattr(month_end, "confirm", lambda _p, _t, text, _a: asked.append(text) or False)
    monkeypatch.setattr(month_end.QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: pytest.fail("no file is asked for when the user goes back to close"))
    page.export_button.click()
    assert "Cerrar el mes" in asked[0]  # the reminder names the button to use

    out = tmp_path / "paquete.zip"
    page.write_bundle_to(out)  # exported anyway
    wait_idle()
    assert read_bundle(out).manifest["closed"] is False
    assert "NO está cerrado" in page.banner.text.text()


def test_exporting_a_closed_month(page, demo_db, info, tmp_path, wait_idle, monkeypatch):
    monkeypatch.setattr(month_end, "confirm", lambda *_args: True)
    monkeypatch.setattr(month_end, "ask_reason", lambda *_a, **_k: "Fin de año escolar adelantado")
    page.close_button.click()
    wait_idle()
    out = tmp_path / "noviembre"
    monkeypatch.setattr(month_end.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), ""))
    page.export_button.click()  # closed: no reminder; ".zip" is added to the name
    wait_idle()
    bundle = read_bundle(out.with_name("noviembre.zip"))
    code = export.verification_code(bundle.manifest["bundle_code"])
    assert code == export.verification_code(export.month_code(demo_db, info, MONTH))
    assert page.code_card.text() == code
    assert "Envíelo al supervisor" in page.banner.text.text()


def test_printing_the_monthly_report(page, demo_db, info, tmp_path, wait_idle):
    out = tmp_path / "informe.pdf"
    page.write_report_to(out)
    wait_idle(60000)
    assert out.read_bytes()[:5] == b"%PDF-"
    assert page.code_card.text() == export.verification_code(export.month_code(demo_db, info, MONTH))
    assert "Informe guardado" in page.banner.text.text()


def test_a_report_printed_before_the_month_changed_is_said_to_be_old(page, demo_db, info, tmp_path, wait_idle):
    """«Informe guardado… imprímalo para que lo firme el comité» stayed after a change gave the month another code:
    the committee would sign a paper that no longer matches the month."""
    from qaliwarma.services import planning

    out = tmp_path / "informe.pdf"
    page.write_report_to(out)
    wait_idle(60000)
    printed = page.code_card.text()
    plan = planning.get_plan(demo_db, planning.list_plans(demo_db, info.id)[0].id)
    day = date(2026, 11, 27)  # a day not served yet: changed without a question
    entry = next(e for e in plan.entries if e.day == day and e.meal == "desayuno")
    other = next(e.recipe_id for e in plan.entries if e.meal == "desayuno" and e.recipe_id != entry.recipe_id)
    planning.pick(demo_db, info, plan.info.id, day, "desayuno", entry.level, other, user="prueba")
    now = export.verification_code(export.month_code(demo_db, info, MONTH))
    assert now != printed  # what the test is about
    page.refresh()
    wait_idle(60000)
    text = page.banner.text.text()
    assert "cambiaron después de guardar el informe informe.pdf" in text and printed in text and now in text
    assert "Informe guardado" not in text
    page.write_report_to(out)  # printed again: the note goes back to saying it was saved
    wait_idle(60000)
    assert "Informe guardado" in page.banner.text.text() and page.code_card.text() == now


def test_a_file_that_cannot_be_written_says_what_to_do(page, tmp_path, wait_idle):
    page.write_bundle_to(tmp_path / "no-existe" / "paquete.zip")
    wait_idle()
    assert "No se pudo guardar «paquete.zip»" in page.banner.text.text()
    assert page.export_button.isEnabled()  # the user can try again


def test_an_ended_month_left_open_comes_first(qtbot, demo_db, info, runner, wait_idle, monkeypatch):
    incidents.record(demo_db, info.id, incidents.Incident(date(2026, 10, 15), "entrega_tardia",
                                                          "La entrega llegó dos días tarde"), user="prueba")
    monkeypatch.setattr(month_end, "today", lambda: TODAY)
    page = MonthEndPage(AppContext(demo_db, runner, info, user="prueba"))
    qtbot.addWidget(page)
    page.refresh()
    wait_idle()
    assert [page.month_combo.itemData(i) for i in range(page.month_combo.count())] == ["2026-11", "2026-10"]
    assert page.status().month == "2026-10"  # ended and still open: the one to close
    assert "Octubre de 2026 ya terminó y sigue abierto" in page.next_step.text()
    assert "Incidencias: 1" in page.checklist.texts()
    days = next(t for t in page.checklist.texts() if t.startswith("Raciones anotadas"))
    assert days.startswith("Raciones anotadas en 0 de ")  # the demo has no services in October

    page.month_combo.setCurrentIndex(page.month_combo.findData(MONTH))
    page.month_combo.activated.emit(page.month_combo.currentIndex())
    wait_idle()
    assert page.status().month == MONTH
    assert "Incidencias: 2" in page.checklist.texts()


def test_a_journal_altered_behind_the_programs_back_is_shown(qtbot, demo_db, info, runner, wait_idle, monkeypatch):
    from sqlalchemy import text

    with demo_db.engine.begin() as conn:  # as someone with a database tool could
        conn.execute(text("DROP TRIGGER journal_no_update"))
        conn.execute(text("UPDATE journal_entries SET reason = 'nadie lo sabrá' WHERE seq = 40"))
    monkeypatch.setattr(month_end, "today", lambda: TODAY)
    page = MonthEndPage(AppContext(demo_db, runner, info, user="prueba"))
    qtbot.addWidget(page)
    page.refresh()
    wait_idle()
    state, text_shown, detail = page.checklist.lines[-1]
    assert state == "error"
    assert text_shown.startswith("Diario alterado en el asiento n.º 40")
    assert "No cierre el mes: avise al supervisor" in detail


def test_a_journal_altered_after_a_visit_is_shown_on_the_next_one(page, demo_db, wait_idle):
    """Each visit verifies the chain again: one found intact, then edited behind the program's back, is shown
    altered when the page is shown again (nothing of the first visit's check is kept)."""
    from sqlalchemy import text

    assert any(t.startswith("Diario íntegro") for t in page.checklist.texts())
    code = page.code_card.text()
    with demo_db.engine.begin() as conn:  # as someone with a database tool could
        conn.execute(text("DROP TRIGGER journal_no_update"))
        conn.execute(text("UPDATE journal_entries SET reason = 'nadie lo sabrá' WHERE seq = 40"))
    page.refresh()
    wait_idle()
    texts = page.checklist.texts()
    assert not any(t.startswith("Diario íntegro") for t in texts), texts
    assert any(t.startswith("Diario alterado en el asiento n.º 40") for t in texts), texts
    assert page.code_card.text() != code  # the code of the altered journal, not the one remembered


def test_without_a_committee(qtbot, ui_db, runner):
    page = MonthEndPage(AppContext(ui_db, runner, None))
    qtbot.addWidget(page)
    page.refresh()
    assert page.stack.currentWidget() is page.empty
    assert "Registre primero el comité en «Comité»" in page.empty.text()
    assert not page.close_button.isEnabled()


def test_a_table_edited_behind_the_apps_back_shows_red_not_intact(qtbot, demo_db, info, runner, wait_idle,
                                                                   monkeypatch):
    """What `qaliwarma verify` finds (an expense amount edited with sqlite3) shows in the checklist too."""
    from qaliwarma.persistence.engine import sqlite_file
    from tests.forgery import edit_behind_the_back

    edit_behind_the_back(sqlite_file(demo_db.url), "UPDATE treasury_expenses SET amount = amount + 100 WHERE id = "
                                                     "(SELECT MIN(id) FROM treasury_expenses)")
    monkeypatch.setattr(month_end, "today", lambda: TODAY)
    widget = MonthEndPage(AppContext(demo_db, runner, info, user="prueba"))
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    wait_idle()
    texts = widget.checklist.texts()
    assert not any(t.startswith("Diario íntegro") for t in texts), texts
    assert any("no coinciden con el diario" in t for t in texts), texts


def test_the_check_made_when_the_window_opens_serves_the_page_until_the_data_changes(
        qtbot, demo_db, info, runner, wait_idle, monkeypatch):
    """Issue 17: the window checks the whole history on its worker, in steps, once it has opened; the Cierre
    page then shows that check instead of reading the history again. An edit with the sqlite3 shell behind
    the open application's back is still on the page at its next visit."""
    from qaliwarma.persistence.engine import sqlite_file
    from qaliwarma.services import integrity
    from tests.forgery import count_full_checks, edit_behind_the_back
    from ui.startup import check_in_background

    runs = count_full_checks(monkeypatch)
    monkeypatch.setattr(integrity, "STEP_ENTRIES", 10)  # the demo's journal in several turns of the worker
    check_in_background(runner, demo_db, info.id)
    wait_idle()
    assert len(runs) == 1
    monkeypatch.setattr(month_end, "today", lambda: TODAY)
    widget = MonthEndPage(AppContext(demo_db, runner, info, user="prueba"))
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    wait_idle()
    assert any(t.startswith("Diario íntegro: ") for t in widget.checklist.texts())
    assert len(runs) == 1  # the window's check, not a second reading of the history

    edit_behind_the_back(sqlite_file(demo_db.url), "UPDATE treasury_expenses SET amount = amount + 100 "
                                                     "WHERE id = (SELECT MIN(id) FROM treasury_expenses)")
    widget.refresh()
    wait_idle()
    assert len(runs) == 2
    texts = widget.checklist.texts()
    assert "1 dato(s) no coinciden con el diario" in texts, texts
    assert not any(t.startswith("Diario íntegro") for t in texts)


def test_a_training_day_set_for_the_application_is_the_pages_today_too(qtbot, demo_db, info, runner, wait_idle,
                                                                      monkeypatch):
    """QALIWARMA_TODAY (training, demos) is the day of the core's rules (which days are past, whether a month
    may be closed): the page reads the same day instead of the computer's date."""
    monkeypatch.setenv("QALIWARMA_TODAY", "2026-11-20")
    widget = MonthEndPage(AppContext(demo_db, runner, info, user="prueba"))
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    wait_idle()
    assert widget.month_combo.currentData() == MONTH
    assert "Noviembre de 2026 todavía no termina" in widget.next_step.text()


def test_a_member_who_may_not_close_is_told_so_before_being_asked_anything(page, demo_db, info, wait_idle,
                                                                         monkeypatch):
    """The secretary was asked for an early close's reason, typed it, and only then was refused by role."""
    from qaliwarma.services import people

    for member in info.form.members:
        people.set_pin(demo_db, info.id, member.dni, "1234", user=people.SETUP_USER)
    page.ctx.user = people.signature(demo_db, info.id, "42345678")  # the secretary
    monkeypatch.setattr(month_end, "ask_reason", lambda *_a, **_k: pytest.fail("no reason is asked of her"))
    monkeypatch.setattr(month_end, "confirm", lambda *_a: pytest.fail("no close is offered to her"))
    before = _journal_count(demo_db, info)
    page.close_button.click()
    wait_idle()
    assert "Puede hacerlo: presidente(a) (Rosa Quispe Huamán)" in page.banner.text.text()
    assert periods.closed_months(demo_db, info.id) == [] and _journal_count(demo_db, info) == before
