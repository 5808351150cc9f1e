"""The application as started from its command: window first, data after, problems in plain words."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def test_screenshot_writes_the_recipe_browser_as_png(db_file, tmp_path):
    out = tmp_path / "ventana.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "ui.app", "--db", str(db_file), "--demo", "--screenshot", str(out),
         "--page", "recetas"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)
    db = sqlite3.connect(db_file)  # --demo registered the demo committee
    assert db.execute("SELECT count(*) FROM committees").fetchone()[0] == 1


def test_screenshot_of_a_committee_whose_members_sign_in_saves_the_sign_in_dialog(demo_template, tmp_path):
    """Nobody signed in (no QALIWARMA_MEMBER/PIN): the first thing a user sees is «Elija su nombre y escriba su
    PIN»; the screenshot saves that dialog at once instead of an empty window after the time-out."""
    import shutil

    from qaliwarma.persistence.engine import open_database
    from qaliwarma.services import committee, people

    db_file = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, db_file)
    db = open_database(f"sqlite:///{db_file}")
    info = committee.current(db)
    people.set_pin(db, info.id, "41234567", "1234", user="prueba")  # the president's PIN, as at registration
    db.dispose()
    out = tmp_path / "ingreso.png"
    env = {k: v for k, v in os.environ.items() if k not in ("QALIWARMA_MEMBER", "QALIWARMA_PIN")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run([sys.executable, "-m", "ui.app", "--db", str(db_file), "--screenshot", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=50)  # the time-out is 60 s
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert 0 < image.width() < 1366 and 0 < image.height() < 768  # the dialog, not the 1366×768 window


def test_the_window_appears_before_the_data_is_loaded(qtbot, db_file, runner):
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    window.start(f"sqlite:///{db_file}")
    assert window.isVisible()
    assert not any(b.isVisible() for b in window.nav_buttons.values())  # areas come with the data
    qtbot.waitSignal(window.loaded, timeout=20000).wait()
    from ui.main_window import NAVIGATION

    shown = [b.text() for b in window.nav_buttons.values() if b.isVisible()]
    # every area whose page exists is shown, in the navigation's order; none without its page
    assert shown == [label for key, label, _icon, target in NAVIGATION if target is None or key in window.pages]
    assert {"Alimentos y recetas", "Comité"} <= set(shown)
    assert "928 alimentos" in window.source_label.text()


def test_a_database_from_a_newer_version_is_explained_not_crashed(qtbot, db_file, runner):
    db = sqlite3.connect(db_file)
    db.execute("UPDATE alembic_version SET version_num = '9999_del_futuro'")
    db.commit()
    db.close()
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=20000) as loaded:
        window.start(f"sqlite:///{db_file}")
    assert loaded.args == [False]
    assert window.banner.isVisible()
    assert "versión más nueva" in window.banner.text.text()
    assert "Instale la versión más reciente" in window.banner.text.text()
    assert window.db is None and not window.pages


def test_screenshot_of_a_broken_database_still_saves_and_says_so(db_file, tmp_path):
    db = sqlite3.connect(db_file)
    db.execute("UPDATE alembic_version SET version_num = '9999_del_futuro'")
    db.commit()
    db.close()
    out = tmp_path / "error.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "ui.app", "--db", str(db_file), "--screenshot", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert out.exists()


def test_every_area_of_the_navigation_has_its_page():
    from ui.main_window import NAVIGATION, _page_class

    for _key, _label, _icon, target in NAVIGATION:
        if target:
            assert isinstance(_page_class(target), type), target


def test_a_missing_page_module_stops_the_window_with_its_name(qtbot, db_file, runner, monkeypatch):
    """An installation that lost a page must not open with that area silently gone."""
    import ui.main_window as main_window
    from ui.main_window import MainWindow, PageMissing

    broken = tuple((k, label, icon, "ui.pages.no_such_page:NoSuchPage" if k == "almacen" else target)
                   for k, label, icon, target in main_window.NAVIGATION)
    monkeypatch.setattr(main_window, "NAVIGATION", broken)
    with pytest.raises(PageMissing, match="ui.pages.no_such_page"):
        main_window._page_class("ui.pages.no_such_page:NoSuchPage")
    with pytest.raises(PageMissing, match="NoSuchPage"):
        main_window._page_class("ui.pages.store:NoSuchPage")
    window = MainWindow(runner)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=20000) as signal:
        window.start(f"sqlite:///{db_file}")
    assert signal.args == [False]
    assert "ui.pages.no_such_page" in window.banner.text.text()
    assert "almacen" not in window.pages


def test_the_window_title_names_the_application_once(qtbot, runner):
    """Qt adds the application's display name to every window title (« — Qali Warma CAE»): the title itself must
    not say it again («Qali Warma CAE — Comité… — Qali Warma CAE» on the taskbar of the committee's laptop)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    before = app.applicationDisplayName()
    app.setApplicationDisplayName("Qali Warma CAE")  # as qaliwarma-gui sets it
    try:
        window = MainWindow(runner)
        qtbot.addWidget(window)
        assert window.windowTitle() == "Comité de Alimentación Escolar"
        assert app.applicationDisplayName() not in window.windowTitle()
    finally:
        app.setApplicationDisplayName(before)


def test_qts_own_folder_dialog_speaks_spanish_where_qt_left_english(qtbot):
    """«Copia en otra carpeta» opens Qt's folder dialog (outside Windows): Qt's Spanish leaves «Look in:»,
    «Files of type:» and «Folder» in English among Spanish words."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

    from ui.app import _install_translators

    app = QApplication.instance()
    installed = _install_translators(app, "es")
    try:
        dialog = QFileDialog(None, "Elija la carpeta")
        qtbot.addWidget(dialog)
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        labels = [label.text() for label in dialog.findChildren(QLabel)]
        assert "&Ver en:" in labels and "Archivos de &tipo:" in labels and not any("Look" in t for t in labels)
        assert QCoreApplication.translate("QAbstractFileIconProvider", "Folder") == "Carpeta"
        assert QCoreApplication.translate("QFileDialog", "Detail View") == "Vista detallada"  # Qt's own, still
    finally:
        for translator in installed:
            app.removeTranslator(translator)
