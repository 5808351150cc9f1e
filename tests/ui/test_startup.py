"""Start-up (issue 17): the PIN is checked while the first page is prepared behind «Preparando los datos…»,
nothing of the committee is shown before the PIN is accepted, the «first page filled» mark fires when the
page really shows its data, and the other pages are built, and filled, on their first visit."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import DEMO_TODAY, REAL_RECIPES
from ui.main_window import MainWindow

PRESIDENT = "41234567"
SCHOOL = "I.E. N.° 36009 Virgen de la Candelaria"


def _what_is_shown(window: MainWindow) -> dict:
    home = window.pages.built().get("inicio")
    return {"notice": window.stack.currentWidget() is window.loading,
            "areas": [key for key, button in window.nav_buttons.items() if button.isVisible()],
            "school": window.school_label.text(),
            "home": home is not None and home.isVisible()}


def _failed_tries(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT failed_tries FROM member_credentials WHERE dni = ?", (PRESIDENT,)).fetchone()[0]


def test_a_wrong_pin_is_refused_before_anything_of_the_committee_is_shown(qtbot, runner, demo_file, monkeypatch):
    monkeypatch.setenv("QALIWARMA_MEMBER", PRESIDENT)
    monkeypatch.setenv("QALIWARMA_PIN", "9999")
    seen = {}

    def ask(self, loaded):  # the window asks who signs in: what is on screen behind the question?
        seen.update(_what_is_shown(self), warnings=list(loaded.warnings))
        return None  # «Salir»

    monkeypatch.setattr(MainWindow, "ask_sign_in", ask)
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=30000) as signal:
        window.start(f"sqlite:///{demo_file}")
    assert signal.args == [False]
    assert seen["notice"] and not seen["home"]  # «Preparando los datos…», not the committee's page
    assert seen["areas"] == [] and SCHOOL not in seen["school"]
    assert any("PIN equivocado" in w for w in seen["warnings"])
    assert _failed_tries(demo_file) == 1  # the PIN was really checked, and the wrong try counted
    assert not window.isVisible() and "inicio" not in window.pages


def _when_asked_to_sign_in(act) -> None:
    """``act(dialog)`` once the sign-in dialog is the window the user answers (it opens modally, later)."""
    from ui.dialogs.sign_in import SignInDialog

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignInDialog):
            QTimer.singleShot(50, answer)
            return
        act(dialog)

    QTimer.singleShot(0, answer)


def _shown_window(qtbot, runner) -> MainWindow:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def test_the_sign_in_dialog_refuses_a_wrong_pin_and_shows_the_page_only_after_the_right_one(
        qtbot, runner, demo_file, monkeypatch):
    monkeypatch.delenv("QALIWARMA_MEMBER", raising=False)
    monkeypatch.delenv("QALIWARMA_PIN", raising=False)
    window = _shown_window(qtbot, runner)
    seen = {}

    def answer(dialog) -> None:  # as a user would: the wrong PIN first, then the right one
        dialog.member.setCurrentIndex(dialog.member.findData(PRESIDENT))
        dialog.pin.setText("4321")
        dialog.try_sign_in()
        qtbot.waitUntil(lambda: "PIN equivocado" in dialog.message.text(), timeout=20000)
        qtbot.waitUntil(lambda: not runner.is_busy(), timeout=20000)  # the first page is ready behind the notice
        seen.update(_what_is_shown(window))
        dialog.pin.setText("1234")
        dialog.try_sign_in()

    _when_asked_to_sign_in(answer)
    asked = []  # the mark `make bench` times («pedido de PIN visible»): said once, with the dialog on screen
    window.sign_in_asked.connect(lambda dialog: asked.append((type(dialog).__name__, dialog.isVisible())))
    with qtbot.waitSignal(window.loaded, timeout=60000) as signal:
        window.start(f"sqlite:///{demo_file}")
    assert asked == [("SignInDialog", True)]
    assert seen["notice"] and not seen["home"] and seen["areas"] == [] and SCHOOL not in seen["school"]
    assert signal.args == [True]
    assert window.school_label.text() == SCHOOL
    assert "Firmó: Rosa Quispe Huamán, Presidente(a)" in window.member_label.text()
    assert window.current_area() == "inicio" and window.pages["inicio"].isVisible()


def test_the_first_page_is_marked_filled_only_when_it_shows_its_data(qtbot, runner, demo_file, monkeypatch):
    from qaliwarma.persistence.engine import open_database
    from qaliwarma.services import committee
    from qaliwarma.services.store_views import attention

    monkeypatch.setenv("QALIWARMA_MEMBER", PRESIDENT)
    monkeypatch.setenv("QALIWARMA_PIN", "1234")
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    at_mark = {}

    def filled() -> None:
        home = window.pages["inicio"]
        at_mark.update(_what_is_shown(window), checking=home.loading.isVisible(),
                       cards=[card.text.text() for card in home.cards], all_good=home.all_good.isVisible(),
                       steps=home.steps.rows.keys() and True, member=window.member_label.text())

    window.first_page_filled.connect(filled)
    with qtbot.waitSignal(window.first_page_filled, timeout=60000):
        window.start(f"sqlite:///{demo_file}")
    db = open_database(f"sqlite:///{demo_file}")
    try:
        expected = [item.text for item in attention(db, committee.current(db), DEMO_TODAY, 30)]
    finally:
        db.dispose()
    assert at_mark["home"] and not at_mark["notice"] and at_mark["school"] == SCHOOL
    assert not at_mark["checking"]  # «Revisando el almacén…» is gone: the answer is on screen
    assert at_mark["cards"] == expected and (expected or at_mark["all_good"])
    assert at_mark["steps"]  # «El mes, paso a paso» has its steps
    assert "Rosa Quispe Huamán" in at_mark["member"]


def test_other_pages_are_built_on_their_first_visit_and_show_their_data(qtbot, runner, demo_template, tmp_path,
                                                                         monkeypatch, wait_idle):
    from ui.widgets import stock_common

    monkeypatch.setattr(stock_common, "today", lambda: DEMO_TODAY)
    monkeypatch.setenv("QALIWARMA_RECIPES", str(REAL_RECIPES))  # the bank its menus were made from, as installed
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, path)  # no PINs: nobody has to sign in
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.first_page_filled, timeout=60000):
        window.start(f"sqlite:///{path}")
    assert set(window.pages.built()) == {"inicio"}  # only the first page was built at start
    loads: list[str] = []
    run = runner.run
    monkeypatch.setattr(runner, "run", lambda fn, *a, **k: loads.append(k.get("key")) or run(fn, *a, **k))

    window._nav_clicked("incidencias")
    wait_idle()
    page = window.pages["incidencias"]
    assert page.isVisible()
    assert [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())] == ["18/11/2026", "10/11/2026"]
    assert "1 sin reportar al programa" in page.list_hint.text()
    assert loads.count("incidents.list") == 1  # read once on its first visit, not once per way of being shown

    window._nav_clicked("personas")
    wait_idle()
    people_page = window.pages["personas"]
    shown = {people_page.members_table.item(r, 1).text() for r in range(people_page.members_table.rowCount())}
    assert {"41234567", "42345678", "43456789", "44567890", "45678901", "46789012"} <= shown

    loads.clear()
    window._nav_clicked("incidencias")  # coming back reads it again (records may have changed meanwhile)
    wait_idle()
    assert loads.count("incidents.list") == 1


def test_a_module_imported_after_the_window_does_not_keep_its_text_in_memory(tmp_path, monkeypatch):
    """PySide6 asks of every imported module whether it uses PySide6; the answer is the same as PySide6's
    own, but the module's text is no longer kept (about 25 MB of the window's memory)."""
    import linecache
    import math
    import sys

    import qaliwarma.units
    import ui.main_window  # sets PySide6 up
    from ui.qt_setup import _mentions_pyside

    assert _mentions_pyside(ui.main_window) and not _mentions_pyside(qaliwarma.units)
    assert not _mentions_pyside(sys) and not _mentions_pyside(math)  # no source file: as PySide6 decides
    from qaliwarma.deferred import StandIn

    assert "tabnanny" not in sys.modules
    waiting = StandIn("tabnanny")  # a module not imported yet (qaliwarma/deferred.py): the question does not wake it
    assert not _mentions_pyside(waiting) and "tabnanny" not in sys.modules
    (tmp_path / "modulo_de_prueba_qw.py").write_text("from PySide6.QtCore import QObject\nVALUE = 1\n",
                                                     encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    linecache.clearcache()
    module = __import__("modulo_de_prueba_qw")  # as an import statement does (PySide6 hooks the statement)
    assert module.VALUE == 1
    assert str(tmp_path / "modulo_de_prueba_qw.py") not in linecache.cache
    from shibokensupport.feature import pyside_feature_dict  # PySide6 still knows the module uses it

    assert pyside_feature_dict.get("modulo_de_prueba_qw") == 0


def test_libraries_answered_without_reading_never_mention_pyside6_and_are_not_read(monkeypatch):
    """The modules of the libraries in WITHOUT_QT get PySide6's own answer («does not use PySide6») without their
    file being read: true of every module file of the versions installed here (a version that starts mentioning
    PySide6 fails this test), and no file of theirs is opened by the question."""
    import builtins
    import importlib.util
    from pathlib import Path

    import sqlalchemy.orm

    import ui.main_window  # noqa: F401 - sets PySide6 up
    from ui.qt_setup import WITHOUT_QT, _mentions_pyside

    checked = 0
    for name in sorted(WITHOUT_QT):
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue  # not installed here (an optional library)
        root = Path(spec.origin).parent if spec.submodule_search_locations else Path(spec.origin)
        for source in ([root] if root.is_file() else root.rglob("*.py")):
            assert b"PySide6" not in source.read_bytes(), f"{source} menciona PySide6: quítelo de WITHOUT_QT"
            checked += 1
    assert checked > 500  # SQLAlchemy alone has more: the libraries were really read here
    opened = []
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda file, *a, **k: opened.append(str(file)) or real_open(file, *a, **k))
    assert not _mentions_pyside(sqlalchemy.orm) and not _mentions_pyside(sqlalchemy)
    assert not opened
    assert _mentions_pyside(ui.main_window) and opened  # the program's own modules are still read


def test_the_window_opens_the_committees_month_without_importing_asyncio_nor_importlib_metadata(demo_file, tmp_path):
    """The whole start (window, database, PIN, first page, the pages' warm-up), watched from outside with Python's
    import log: SQLAlchemy imports both modules, the window never uses them, and they stay unimported (25 ms of
    every start, qaliwarma/deferred.py), PySide6's check of each imported module included."""
    import os
    import subprocess
    import sys

    shot = tmp_path / "inicio.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QALIWARMA_DATA_DIR": str(tmp_path),
           "QALIWARMA_MEMBER": PRESIDENT, "QALIWARMA_PIN": "1234"}
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "ui.app", "--db", str(demo_file), "--screenshot",
                          str(shot)], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert shot.stat().st_size > 10_000  # the window with its first page was drawn
    imported = {line.rsplit("|", 1)[1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")}
    assert {"sqlalchemy.orm", "PySide6.QtWidgets", "ui.widgets.stock_common"} <= imported  # the log is complete
    # a module imported with importlib.import_module is not in the log, but what it imports is (asyncio.events…)
    assert not [name for name in imported if name.startswith(("asyncio", "importlib.metadata"))]


def test_the_food_table_is_built_when_its_tab_is_first_opened_and_lists_every_food(qtbot, runner, db_file,
                                                                                    wait_idle):
    from sqlite3 import connect

    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.first_page_filled, timeout=60000):
        window.start(f"sqlite:///{db_file}")
    window._nav_clicked("alimentos_recetas")
    wait_idle()
    tabs = window.food_tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Preparaciones por niño", "Tabla de alimentos"]
    assert "recetas" in window.pages.built() and "alimentos" not in window.pages.built()
    tabs.setCurrentIndex(1)  # the user opens the food table
    wait_idle()
    foods = window.pages.built()["alimentos"]
    assert tabs.currentWidget() is foods and foods.isVisible() and tabs.count() == 2
    with connect(db_file) as conn:
        expected = conn.execute("SELECT count(*) FROM foods").fetchone()[0]
    assert foods.proxy.rowCount() == expected  # the whole table before anything is typed
    assert window.current_area() == "alimentos"
    tabs.setCurrentIndex(0)
    assert window.current_area() == "recetas"


def test_the_store_and_the_recipes_read_what_they_show_once_on_their_first_visit(qtbot, runner, demo_template,
                                                                                   tmp_path, monkeypatch, wait_idle):
    """Almacén shows the first product's kardex and «Alimentos y recetas» the first preparation, each read
    once (selecting the first row, then showing it, read them twice)."""
    from ui.widgets import stock_common

    monkeypatch.setattr(stock_common, "today", lambda: DEMO_TODAY)
    monkeypatch.setenv("QALIWARMA_RECIPES", str(REAL_RECIPES))  # the bank its menus were made from, as installed
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, path)
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.first_page_filled, timeout=60000):
        window.start(f"sqlite:///{path}")
    wait_idle()
    loads: list[str] = []
    run = runner.run
    monkeypatch.setattr(runner, "run", lambda fn, *a, **k: loads.append(k.get("key")) or run(fn, *a, **k))

    window._nav_clicked("almacen")
    wait_idle()
    store = window.pages["almacen"]
    product = store.selected_product()
    assert product is not None and store.kardex_product.currentData() == product.code
    assert store.kardex_model.rowCount() > 0  # its movements are on screen
    assert loads.count("store.kardex") == 1

    window._nav_clicked("alimentos_recetas")
    wait_idle()
    recipes_page = window.pages["recetas"]
    assert recipes_page.view.detail is not None and recipes_page.view.detail.recipe.id == recipes_page.selected_id()
    assert loads.count("recipes.detail") == 1


@pytest.mark.parametrize("edited", [False, True], ids=["untouched", "edited"])
def test_records_changed_outside_the_program_are_said_when_the_window_opens(qtbot, runner, demo_file, monkeypatch,
                                                                            edited):
    """The whole check the window makes once it has opened says at once, in the banner, that the committee's
    records were changed outside the program (before anyone opens «Cierre de mes»); untouched, it says
    nothing."""
    from tests.forgery import edit_behind_the_back
    from ui import main_window

    if edited:
        edit_behind_the_back(demo_file, "UPDATE service_records SET rations = rations + 40 "
                                         "WHERE id = (SELECT MIN(id) FROM service_records)")
    monkeypatch.setattr(main_window, "WARM_UP_DELAY_MS", 0)
    monkeypatch.setenv("QALIWARMA_MEMBER", PRESIDENT)
    monkeypatch.setenv("QALIWARMA_PIN", "1234")
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.first_page_filled, timeout=60000):
        window.start(f"sqlite:///{demo_file}")
    # the check's result is kept (memo) on the worker, then handed to the window: wait for both
    qtbot.waitUntil(lambda: ("integrity", window.committee.id) in window.db.memo and not window.runner.is_busy(),
                    timeout=30000)
    text = window.banner.text.text() if window.banner.isVisible() else ""
    if edited:
        assert "no coinciden con su diario" in text
        # in the committee's words: which record and what it says, not the file's table and column names
        assert "Servicio del día id " in text and ": raciones dice " in text and ", pero el asiento n.º " in text
        assert "service_records" not in text and "«rations»" not in text
    else:
        assert text == ""  # nothing to say: no finding, and nothing else went wrong opening the window


def _open_window(qtbot, runner, demo_file, monkeypatch, member: str = PRESIDENT) -> MainWindow:
    monkeypatch.setenv("QALIWARMA_MEMBER", member)
    monkeypatch.setenv("QALIWARMA_PIN", "1234")
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_first_page_of_the_day_does_not_wait_for_the_days_backup(qtbot, runner, demo_file, monkeypatch):
    """The first start of a day copies the whole database (issue 13: 0.3-0.4 s for a year of 10,000 expenses).
    The first page is filled without waiting for it (here the copy cannot even begin before the page is
    filled), and the copy is made right after, before anything else the worker is asked, and holds the
    committee."""
    import threading
    from datetime import date

    from qaliwarma.services import backup

    filled = threading.Event()
    real = backup.automatic
    waited = []

    def automatic(db, reason, **kwargs):
        waited.append(filled.wait(30))  # a start-up that waited for the copy would wait here, never filled
        return real(db, reason, **kwargs)

    monkeypatch.setattr(backup, "automatic", automatic)
    window = _open_window(qtbot, runner, demo_file, monkeypatch)
    window.first_page_filled.connect(filled.set)
    with qtbot.waitSignal(window.first_page_filled, timeout=20000):
        window.start(f"sqlite:///{demo_file}")
    qtbot.waitUntil(lambda: bool(waited) and not window.runner.is_busy(), timeout=30000)
    copies = list((demo_file.parent / "copias").glob(f"qaliwarma-diaria-{date.today():%Y%m%d}-*{backup.SUFFIX}"))
    assert waited == [True] and len(copies) == 1
    assert [c.school_name for c in backup.verify(copies[0]).committees] == [SCHOOL]
    assert not window.banner.isVisible()


def test_a_days_backup_that_fails_is_said_in_the_banner(qtbot, runner, demo_file, monkeypatch):
    from qaliwarma.services import backup

    def automatic(db, reason, **kwargs):
        raise OSError("No queda espacio en el disco")

    monkeypatch.setattr(backup, "automatic", automatic)
    window = _open_window(qtbot, runner, demo_file, monkeypatch)
    with qtbot.waitSignal(window.first_page_filled, timeout=20000):
        window.start(f"sqlite:///{demo_file}")
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=30000)
    assert window.banner.isVisible()
    assert window.banner.text.text() == "No se pudo hacer la copia de seguridad diaria: No queda espacio en el disco"
    assert window.pages.built()["inicio"].isVisible()  # the committee works on


def test_an_area_where_the_member_signed_in_may_not_record_says_so_at_its_top(qtbot, runner, demo_file,
                                                                             monkeypatch, wait_idle):
    """The treasurer filled in a whole reception record and was refused only at «Registrar recepción»: the
    area now says it when it opens, and who may record there; her own area says nothing."""
    window = _open_window(qtbot, runner, demo_file, monkeypatch, member="45678901")  # Yolanda, the treasurer
    window.resize(1366, 768)
    with qtbot.waitSignal(window.loaded, timeout=30000):
        window.start(f"sqlite:///{demo_file}")
    window.show_area("recepcion")
    wait_idle()
    assert window.role_note.isVisible()
    assert window.role_note.text() == (
        "Firmó Yolanda Curi Ramos, tesorero(a): aquí puede ver e imprimir, pero no registrar recepciones, salidas "
        "del almacén, raciones y ajustes. Puede hacerlo: almacenero(a) o secretario(a) (Julio Ccanto Paucar).")
    window.show_area("tesoreria")
    wait_idle()
    assert not window.role_note.isVisible()
    window.show_area("cierre")
    wait_idle()
    assert "pero no cerrar el mes. Puede hacerlo: presidente(a) (Rosa Quispe Huamán)" in window.role_note.text()
    window.show_area("incidencias")  # every member records incidents
    assert not window.role_note.isVisible()
    window.show_area("cierre")
    window._nav_clicked("alimentos_recetas")  # the navigation's button: Cierre's note stayed above the recipes
    wait_idle()
    assert not window.role_note.isVisible()


def test_another_member_signs_in_without_closing_the_program(qtbot, runner, demo_file, monkeypatch, themed):
    """On the shared laptop the treasurer, after the secretary, had to restart the program to sign in."""
    treasurer = "45678901"
    monkeypatch.setenv("QALIWARMA_MEMBER", "42345678")  # the secretary
    monkeypatch.setenv("QALIWARMA_PIN", "1234")
    window = _shown_window(qtbot, runner)
    with qtbot.waitSignal(window.loaded, timeout=60000):
        window.start(f"sqlite:///{demo_file}")
    assert "Julio Ccanto Paucar" in window.member_label.text()
    window.show_area("tesoreria")
    qtbot.waitUntil(lambda: window.role_note.isVisible(), timeout=20000)  # the secretary may not record money
    page = window.pages["tesoreria"]
    qtbot.waitUntil(lambda: page.view is not None, timeout=20000)
    page._present_clicked()  # the secretary tries to present the rendición: refused by role, in red
    assert page.banner.isVisible() and "Julio Ccanto Paucar" in page.banner.text.text()

    def answer(dialog) -> None:  # the treasurer picks their name and types their PIN, as a user does
        dialog.member.setCurrentIndex(dialog.member.findData(treasurer))
        dialog.pin.setText("1234")
        dialog.try_sign_in()

    _when_asked_to_sign_in(answer)
    window.switch_button.click()
    qtbot.waitUntil(lambda: "Yolanda Curi Ramos" in window.member_label.text(), timeout=30000)
    assert window.ctx.user.dni == treasurer  # what is recorded from now on is in the treasurer's name
    assert not window.role_note.isVisible() and window.current_area() == "tesoreria"
    # what was said to the secretary is not left under the treasurer's name («… secretario(a), no puede …»)
    assert not page.banner.isVisible()
    # «Ahora firma …» is not drawn under the food table's name in the status bar (it was, at 1366 pixels)
    bar = window.statusBar()
    assert bar.currentMessage().startswith("Ahora firma Yolanda Curi Ramos")
    message_ends = bar.mapTo(window, bar.rect().topLeft()).x() + bar.fontMetrics().horizontalAdvance(
        bar.currentMessage()) + 8
    source = window.source_label
    assert not source.isVisible() or source.mapTo(window, source.rect().topLeft()).x() >= message_ends
    bar.clearMessage()  # the message goes: the food table's name is back
    assert source.isVisible() and source.text().startswith("Tabla de alimentos")
