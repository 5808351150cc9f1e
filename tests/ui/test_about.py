"""«Acerca de»: the committee sees which version runs, where its data is (and can open that folder),
which database, food table, standard and recipe bank are in use."""

from __future__ import annotations

import tomllib
from pathlib import Path

from PySide6.QtGui import QDesktopServices

from tests.ui.conftest import UI_RECIPES
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def _expected_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def _default_standard() -> dict:
    for path in sorted((ROOT / "resources" / "standards").glob("*.toml")):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        if doc.get("id") == "qw-2014":
            return doc
    raise AssertionError("the shipped default standard qw-2014 is missing")


def test_about_shows_version_data_folder_database_and_reference_data(qtbot, db_file, runner, tmp_path, monkeypatch):
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    assert not window.about_button.isVisible()  # nothing to tell before the data is open
    with qtbot.waitSignal(window.loaded, timeout=20000):
        window.start(f"sqlite:///{db_file}")
    assert window.about_button.isVisible()

    dialog = window.show_about()
    qtbot.waitUntil(lambda: dialog.info is not None, timeout=10000)
    assert dialog.version.text().startswith(f"Versión {_expected_version()} ")
    assert dialog.data_folder.text() == str(tmp_path / "datos")  # QALIWARMA_DATA_DIR of the test
    assert dialog.database.text() == f"SQLite: {db_file.resolve()}"
    assert dialog.food_table.text().endswith("(928 alimentos)")
    standard = _default_standard()
    assert dialog.standard.text().startswith(standard["name"])
    bank = sorted(UI_RECIPES.rglob("*.toml"))
    assert dialog.recipes.text().startswith(f"{len(bank)} preparaciones del recetario")
    assert str(UI_RECIPES) in dialog.recipes.text()

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    dialog.open_button.click()
    assert opened == [str(tmp_path / "datos")]
    assert not dialog.message.isVisible()

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    dialog.open_button.click()
    assert dialog.message.isVisible()
    assert str(tmp_path / "datos") in dialog.message.text()
