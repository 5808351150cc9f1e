"""Personas y copias (issue 13): sign-in dialog, a member refused what their role may not do (named who
may), PINs, backup to a chosen folder and restore after showing what it holds, the change of committee."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from qaliwarma.domain.treasury import Transfer
from qaliwarma.services import committee, people, setup, treasury
from ui.context import AppContext

PRESIDENT, VOCAL, TREASURER = "41234567", "43456789", "45678901"


@pytest.fixture
def school(ui_db):
    info = committee.register(ui_db, setup.demo_form(), user="prueba")
    treasury.record_transfer(ui_db, info.id, Transfer(date(2026, 11, 2), Decimal("1000.00"), "BN 1"), user="prueba")
    for dni in (PRESIDENT, VOCAL, TREASURER):
        people.set_pin(ui_db, info.id, dni, "1234", user=people.SETUP_USER)
    return info


def _count(db) -> int:
    with sqlite3.connect(db.url.removeprefix("sqlite:///")) as conn:
        return conn.execute("SELECT count(*) FROM journal_entries").fetchone()[0]


def test_the_sign_in_dialog_counts_wrong_pins_and_signs_the_member_in(qtbot, ui_db, runner, school, wait_idle):
    from ui.dialogs.sign_in import SignInDialog

    dialog = SignInDialog(None, ui_db, runner, school, people.active_members(ui_db, school.id))
    qtbot.addWidget(dialog)
    dialog.member.setCurrentIndex(dialog.member.findData(VOCAL))
    dialog.pin.setText("9999")
    dialog.try_sign_in()
    wait_idle()
    assert "Le quedan 4 intento" in dialog.message.text() and dialog.signature is None
    dialog.pin.setText("12")
    dialog.try_sign_in()
    assert "de 4 a 6 números" in dialog.message.text()
    dialog.pin.setText("1234")
    dialog.try_sign_in()
    wait_idle()
    assert dialog.signature == "Marcelina Taipe Soto (DNI 43456789)" and dialog.result() == dialog.DialogCode.Accepted


def test_a_vocal_is_refused_a_transfer_and_told_who_may(qtbot, ui_db, runner, school, wait_idle):
    from ui.pages.treasury import TreasuryPage

    vocal = people.sign_in(ui_db, school.id, VOCAL, "1234")
    page = TreasuryPage(AppContext(ui_db, runner, school, user=vocal))
    qtbot.addWidget(page)
    page.resize(1136, 700)
    page.show()
    page.set_month("2026-11")
    qtbot.waitUntil(lambda: page.view is not None)
    wait_idle()
    before = _count(ui_db)
    page.show_tab(3)
    form = page.transfers.transfer_form
    form.day.setDate(date(2026, 11, 15))
    form.amount.setText("250.00")
    form.reference.setText("BN op. 9")
    form.submit()
    wait_idle()
    shown = " ".join(w.text() for w in page.findChildren(type(form.message)) if w.isVisible())
    assert "no puede registrar dinero" in shown and "tesorero(a) (Yolanda Curi Ramos)" in shown
    assert _count(ui_db) == before
    assert treasury.balance(ui_db, school.id, "2026-11").transferred_in_month == Decimal("1000.00")


def _row(page, dni: str) -> int:
    return next(r for r in range(page.members_table.rowCount()) if page.members_table.item(r, 1).text() == dni)


@pytest.fixture
def people_page(qtbot, ui_db, runner, school, wait_idle):
    from ui.pages.people import PeoplePage

    def make(user):
        page = PeoplePage(AppContext(ui_db, runner, school, user=user))
        qtbot.addWidget(page)
        page.resize(1200, 800)
        page.show()
        wait_idle()
        return page

    return make


def test_the_page_lists_members_pins_and_what_each_role_may_do(ui_db, school, people_page):
    page = people_page(people.signature(ui_db, school.id, PRESIDENT))
    rows = {page.members_table.item(r, 1).text(): page.members_table.item(r, 5).text()
            for r in range(page.members_table.rowCount())}
    assert rows == {"41234567": "sí", "42345678": "no", "43456789": "sí", "44567890": "no", "45678901": "sí",
                    "46789012": "no"}  # the third vocal (a complete committee) has no PIN here
    roles = {page.roles_table.item(r, 0).text(): page.roles_table.item(r, 1).text()
             for r in range(page.roles_table.rowCount())}
    assert roles["Registrar dinero (transferencias, retiros, gastos) y presentar la rendición"] == "Tesorero(a)"
    assert "Firmó como Rosa Quispe Huamán" in page.signed_label.text()


def test_a_vocal_cannot_give_another_member_a_pin_but_the_president_can(ui_db, school, people_page, wait_idle,
                                                                          monkeypatch):
    from ui.pages.people import PeoplePage

    def fill(dialog):
        dialog.first.setText("5555")
        dialog.second.setText("5555")
        dialog.accept()
        return True

    monkeypatch.setattr(PeoplePage, "_ask", staticmethod(fill))
    page = people_page(people.signature(ui_db, school.id, VOCAL))
    page.members_table.selectRow(_row(page, "42345678"))  # the secretary
    page.change_pin()
    wait_idle()
    assert "solo puede cambiar su propio PIN" in page.members_message.text()
    page = people_page(people.signature(ui_db, school.id, PRESIDENT))
    page.members_table.selectRow(_row(page, "42345678"))
    page.change_pin()
    wait_idle()
    assert "PIN guardado para Julio Ccanto Paucar" in page.members_message.text()
    assert people.sign_in(ui_db, school.id, "42345678", "5555").role == "secretario"


def test_backup_to_a_chosen_folder_and_restore_after_showing_what_it_holds(qtbot, ui_db, school, people_page,
                                                                           wait_idle, tmp_path, monkeypatch):
    usb = tmp_path / "usb"
    usb.mkdir()
    page = people_page(people.signature(ui_db, school.id, PRESIDENT))
    monkeypatch.setattr(page, "ask_folder", lambda: str(usb))
    page.make_backup()
    wait_idle()
    made = list(usb.glob("*.qwcopia"))
    assert len(made) == 1 and "Copia guardada" in page.backup_message.text()
    entries = _count(ui_db)
    treasury.record_transfer(ui_db, school.id, Transfer(date(2026, 11, 3), Decimal("5.00"), "BN 2"), user="x")

    shown: list[str] = []
    monkeypatch.setattr(page, "ask_backup_file", lambda: str(made[0]))
    monkeypatch.setattr(page, "confirm_restore", lambda text: shown.append(text) or True)
    with qtbot.waitSignal(page.restored, timeout=20000):
        page.restore()
    assert "I.E. N.° 36009 Virgen de la Candelaria (0456789)" in shown[0] and f"n.º {entries}" in shown[0]
    # the transfer recorded after the copy: said first, before what the copy holds
    assert shown[0].startswith("ATENCIÓN: esta copia es más antigua que los datos actuales. Si la restaura:\n\n• "
                               "I.E. N.° 36009 Virgen de la Candelaria (0456789): los datos actuales tienen "
                               f"{entries + 1} asientos y la copia {entries}: el más reciente dejaría de verse.")
    database = Path(ui_db.url.removeprefix("sqlite:///"))
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM journal_entries").fetchone()[0] == entries
    assert list(database.parent.glob("*.antes-de-restaurar-*"))


def test_a_member_without_the_role_cannot_restore(ui_db, school, people_page, monkeypatch):
    page = people_page(people.signature(ui_db, school.id, VOCAL))
    asked = []
    monkeypatch.setattr(page, "ask_backup_file", lambda: asked.append(1) or "")
    page.restore()
    assert not asked and "Puede hacerlo: presidente(a) (Rosa Quispe Huamán)" in page.backup_message.text()


def test_the_change_of_committee_is_recorded_and_the_history_kept(ui_db, school, people_page, wait_idle):
    page = people_page(people.signature(ui_db, school.id, PRESIDENT))
    page.tabs.setCurrentIndex(2)
    page.handover_day.set_day(date(2026, 12, 1))
    next(b for b in page.leaving if b.property("dni") == TREASURER).setChecked(True)
    name, dni, role, kind, pin = page.joining[0]
    name.setText("Ana Pari Quispe")
    dni.setText("47890123")
    role.setCurrentIndex(role.findData("tesorero"))
    kind.setCurrentIndex(kind.findData("padre_madre"))
    pin.setText("2468")
    page.record_handover()
    wait_idle()
    assert "Cambio de comité registrado" in page.handover_message.text()
    history = {m.dni: m for m in people.history(ui_db, school.id)}
    assert history[TREASURER].end_date == date(2026, 11, 30) and history["47890123"].start_date == date(2026, 12, 1)


# ------------------------------------------------------------------ the window: sign-in on start, unsaved work
def _demo_with_pins(tmp_path):
    from qaliwarma.services.database import open_database
    from qaliwarma.services.setup import initialise

    path = tmp_path / "demo-pins.sqlite3"
    db = open_database(f"sqlite:///{path}")
    initialise(db, demo=True)  # the demo's members, all with PIN 1234
    db.dispose()
    return path


@pytest.fixture(scope="module")
def pins_template(tmp_path_factory):
    import os

    old = os.environ.get("QALIWARMA_RECIPES")
    os.environ["QALIWARMA_RECIPES"] = str(Path(__file__).resolve().parent / "data")
    try:
        return _demo_with_pins(tmp_path_factory.mktemp("pins"))
    finally:
        if old is None:
            os.environ.pop("QALIWARMA_RECIPES", None)
        else:
            os.environ["QALIWARMA_RECIPES"] = old


def _window(qtbot, runner, path):
    from ui.main_window import MainWindow

    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=60000) as signal:
        window.start(f"sqlite:///{path}")
    return window, signal.args[0]


def test_the_window_asks_who_signs_in_and_quits_when_nobody_does(qtbot, runner, pins_template, tmp_path,
                                                                  monkeypatch):
    import shutil

    from ui.main_window import MainWindow

    path = tmp_path / "qw.sqlite3"
    shutil.copy(pins_template, path)
    monkeypatch.delenv("QALIWARMA_MEMBER", raising=False)
    asked = []
    monkeypatch.setattr(MainWindow, "ask_sign_in", lambda self, loaded: asked.append(
        [m.name for m in loaded.members]) or None)
    window, ok = _window(qtbot, runner, path)
    assert not ok and asked and "Marcelina Taipe Soto" in asked[0]
    assert not window.isVisible() and "tesoreria" not in window.pages


def test_the_member_signed_in_records_in_their_name_and_is_refused_money(qtbot, runner, pins_template, tmp_path,
                                                                          monkeypatch, wait_idle):
    import shutil

    path = tmp_path / "qw.sqlite3"
    shutil.copy(pins_template, path)
    monkeypatch.setenv("QALIWARMA_MEMBER", VOCAL)
    monkeypatch.setenv("QALIWARMA_PIN", "1234")
    window, ok = _window(qtbot, runner, path)
    assert ok and window.ctx.user == "Marcelina Taipe Soto (DNI 43456789)"
    assert "Firmó: Marcelina Taipe Soto, Vocal" in window.member_label.text()
    page = window.pages["tesoreria"]
    window.show_area("tesoreria")
    wait_idle()
    page.show_tab(3)
    form = page.transfers.transfer_form
    from qaliwarma import clock

    form.day.setDate(clock.today())  # a day of the month the page shows (another month is refused by the form)
    form.amount.setText("100.00")
    before = _count(window.db)
    form.submit()
    wait_idle()
    shown = " ".join(w.text() for w in page.findChildren(type(form.message)) if w.isVisible())
    assert "Puede hacerlo: tesorero(a) (Yolanda Curi Ramos)" in shown
    assert _count(window.db) == before


def test_leaving_a_form_with_unsaved_changes_asks_first(qtbot, runner, pins_template, tmp_path, monkeypatch):
    import shutil

    path = tmp_path / "qw.sqlite3"
    shutil.copy(pins_template, path)
    window, ok = _window(qtbot, runner, path)
    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(window, "confirm_discard", lambda text: asked.append(text) or answer[0])
    window.show_area("comite")
    page = window.pages["comite"]
    assert not page.has_unsaved_changes()
    window._nav_clicked("inicio")
    assert not asked and window.current_area() == "inicio"  # nothing typed: no question
    window.show_area("comite")
    page.ugel.setText("UGEL Angaraes")
    window._nav_clicked("inicio")
    assert "cambios que no se guardaron" in asked[-1] and window.current_area() == "comite"
    from PySide6.QtGui import QCloseEvent

    event = QCloseEvent()
    window.closeEvent(event)
    assert not event.isAccepted() and len(asked) == 2  # closing asks too; «Cancelar» keeps the window
    answer[0] = True
    window._nav_clicked("inicio")
    assert window.current_area() == "inicio" and not page.has_unsaved_changes()  # the change was dropped


def test_the_supervisors_answer_is_imported_from_its_file_not_typed(qtbot, ui_db, runner, school, wait_idle,
                                                                     tmp_path, monkeypatch):
    import json

    from qaliwarma.persistence.journal import Journal
    from qaliwarma.services import answers
    from ui.pages.treasury import TreasuryPage

    treasurer = people.sign_in(ui_db, school.id, TREASURER, "1234")
    treasury.set_cycle_state(ui_db, school.id, "2026-11", "presentado", user=treasurer)
    with ui_db.session() as s:
        head = Journal(s, school.id).entries()[-1].hash
    doc = {"format": answers.FORMAT, "codigo_modular": "0456789", "month": "2026-11", "bundle_code": "x" * 64,
           "head": head, "state": "aprobado", "observations": "", "supervisor": "Ana Torres Quispe",
           "answered_at": "2026-12-03T10:00:00"}
    doc["sha256"] = answers._seal(doc)
    answer = tmp_path / "respuesta.json"
    answer.write_text(json.dumps(doc), encoding="utf-8")
    page = TreasuryPage(AppContext(ui_db, runner, school, user=treasurer))
    qtbot.addWidget(page)
    page.resize(1136, 700)
    page.show()
    page.set_month("2026-11")
    qtbot.waitUntil(lambda: page.view is not None)
    wait_idle()
    monkeypatch.setattr(page, "answer_file", lambda: str(answer))
    page._approve_clicked()  # «El supervisor la aprobó»: asks for the supervisor's file, no question to confirm
    wait_idle()
    assert treasury.cycle_state(ui_db, school.id, "2026-11") == "aprobado"
    with ui_db.session() as s:
        last = Journal(s, school.id).entries()[-1]
    assert last.user == "Ana Torres Quispe (supervisor), respuesta importada por Yolanda Curi Ramos (DNI 45678901)"


def test_the_backups_list_dates_read_as_every_other_date_on_screen():
    from ui.pages.people import _day_and_time

    assert _day_and_time("2026-12-06T04:43:10") == "06/12/2026 04:43"  # was «2026-12-06 04:43»
    assert _day_and_time("not a date, an edited manifest") == "not a date, an e"  # shown, never a traceback
