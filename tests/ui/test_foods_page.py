"""Alimentos: what a committee member sees when searching the food table."""

from __future__ import annotations

from ui.pages.foods import FoodsPage


def _nutrient(page: FoodsPage, label: str) -> str:
    for line in page.nutrient_model.rows():
        if line.label == label:
            return line.amount
    raise AssertionError(f"{label} no se muestra")


def _listed_codes(page: FoodsPage) -> list[str]:
    return [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]


def test_typing_lenteja_lists_t52_and_shows_its_iron(qtbot, ui_db, runner, wait_idle):
    page = FoodsPage(ui_db, runner)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    wait_idle()
    assert page.proxy.rowCount() > 900  # the whole table before anything is typed
    qtbot.keyClicks(page.search_field, "lenteja")
    qtbot.waitUntil(lambda: "«lenteja»" in page.count_label.text())
    wait_idle()
    assert "T52" in _listed_codes(page)
    assert all("lenteja" in page.proxy.index(r, 1).data().lower() for r in range(page.proxy.rowCount()))

    assert page.select_code("T52")
    qtbot.waitUntil(lambda: page.food_title.text() == "Lentejas chicas")
    assert _nutrient(page, "Hierro") == "7.60 mg"
    assert len(page.nutrient_model.rows()) == 17
    assert "T52" in page.food_subtitle.text()


def test_search_ignores_accents_and_case(qtbot, ui_db, runner, wait_idle):
    page = FoodsPage(ui_db, runner)
    qtbot.addWidget(page)
    page.search_field.setText("LENTÉJAS CHÍCAS")
    qtbot.waitUntil(lambda: _listed_codes(page) == ["T52", "T53"])


def test_unknown_value_reads_sin_dato_not_zero(qtbot, ui_db, runner, wait_idle):
    page = FoodsPage(ui_db, runner)
    qtbot.addWidget(page)
    page.search_field.setText("caballa, en conserva")
    page.search_field.flush()
    qtbot.waitUntil(lambda: "E34" in _listed_codes(page))
    assert page.select_code("E34")
    qtbot.waitUntil(lambda: "E34" in page.food_subtitle.text())
    assert _nutrient(page, "Hierro") == "sin dato"
    iron = next(line for line in page.nutrient_model.rows() if line.key == "iron_mg")
    assert not iron.known


def test_a_search_with_no_result_says_what_to_try(qtbot, ui_db, runner, wait_idle):
    page = FoodsPage(ui_db, runner)
    qtbot.addWidget(page)
    page.search_field.setText("zzzz")
    page.search_field.flush()
    qtbot.waitUntil(lambda: "Ningún alimento" in page.count_label.text())
    assert "Pruebe" in page.count_label.text()
