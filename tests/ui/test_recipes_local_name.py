"""Recetas: the selected preparation's name in the community's language, for the door poster."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from qaliwarma.persistence.journal import Journal
from qaliwarma.services import committee, local_names, setup
from ui.pages.recipes import RecipesPage

RECIPE = "sierra-prueba-lentejas"  # tests/ui/data/sierra/sierra-prueba-lentejas.toml


@pytest.fixture
def page(qtbot, ui_db, runner, wait_idle):
    widget = RecipesPage(ui_db, runner)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    widget.set_committee(None)
    wait_idle()
    return widget


def test_local_name_is_saved_shown_again_and_removed(qtbot, page, ui_db, wait_idle):
    # without a committee there is no one to name preparations for
    assert page.select_recipe(RECIPE)
    assert not page.local_name_edit.isEnabled() and not page.local_save_button.isEnabled()

    info = committee.register(ui_db, setup.demo_form(), user="prueba")
    page.set_committee(info.id, "sierra")
    wait_idle()
    assert page.select_recipe(RECIPE)
    assert page.local_name_edit.isEnabled() and page.local_name_edit.text() == ""
    assert not page.local_clear_button.isEnabled()  # nothing to remove yet

    qtbot.keyClicks(page.local_name_edit, "Lenteja lawa")
    qtbot.keyClicks(page.language_edit, "Quechua")
    qtbot.mouseClick(page.local_save_button, Qt.MouseButton.LeftButton)
    wait_idle()
    found = local_names.list_local_names(ui_db, info.id)
    assert found.as_dict() == {RECIPE: "Lenteja lawa"} and found.language == "quechua"
    assert "guardado" in page.local_status.text()
    assert page.language_edit.text() == "quechua" and page.local_clear_button.isEnabled()

    # another preparation shows its own (empty) name; coming back shows the saved one
    page.table.selectRow(0 if page.selected_id() != page.model.row_at(0).id else 1)
    assert page.selected_id() != RECIPE and page.local_name_edit.text() == ""
    assert page.select_recipe(RECIPE) and page.local_name_edit.text() == "Lenteja lawa"

    # a page opened afresh reads it from the database
    again = RecipesPage(ui_db, page._runner)
    qtbot.addWidget(again)
    again.set_committee(info.id, "sierra")
    wait_idle()
    assert again.select_recipe(RECIPE) and again.local_name_edit.text() == "Lenteja lawa"

    qtbot.mouseClick(page.local_clear_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert local_names.list_local_names(ui_db, info.id).as_dict() == {}
    assert page.local_name_edit.text() == "" and "quitado" in page.local_status.text()
    with ui_db.session() as s:
        kinds = [e.kind for e in Journal(s, info.id).entries() if e.kind.startswith("comite.")]
    assert kinds == ["comite.registro", "comite.lengua", "comite.nombre_local", "comite.nombre_local"]

