"""The Peruvian food table: what ships, what an import replaces, what it refuses."""

from __future__ import annotations

import re
import shutil

import pytest
from openpyxl import load_workbook

from qaliwarma.errors import InvalidInput
from qaliwarma.io.tpca import read_table
from qaliwarma.paths import food_table_file
from qaliwarma.services import analysis, catalog


@pytest.fixture(scope="module")
def shipped():
    table = read_table(food_table_file())
    return {f.code: f for f in table.foods}, table


@pytest.mark.parametrize(
    ("code", "name", "kcal", "protein", "fat", "iron"),
    [
        ("A1", "Achita, kiwicha o achis", 351, 12.8, 6.6, 7.32),
        ("A3", "Arroz blanco corriente", 358, 7.8, 0.7, 1.04),
        ("T52", "Lentejas chicas", 211, 22.6, 1.0, 7.6),
        ("D3", "Aceite vegetal de algodón", 884, 0, 100, 0),
    ],
)
def test_spot_values_of_the_data_readme(shipped, code, name, kcal, protein, fat, iron):
    foods, _ = shipped
    food = foods[code]
    assert food.name == name
    assert food.values["energy_kcal"] == kcal
    assert food.values["protein_g"] == protein
    assert food.values["fat_g"] == fat
    assert food.values["iron_mg"] == iron


def test_all_raw_foods_with_official_codes_and_groups(shipped):
    foods, table = shipped
    # The xlsx holds 928 raw foods; the data README's "929" counts a row broken by a quoting
    # error in the third-party CSV export (group "198"), which is not a food.
    assert len(foods) == 928
    assert table.skipped_prepared == 942  # prepared dishes (SE, SS) are not raw foods
    assert {f.group_code for f in foods.values()} == set("ABCDEFGHJKLQTU")


def test_unknown_values_stay_unknown_not_zero(shipped):
    foods, _ = shipped
    mackerel = foods["E34"]
    assert mackerel.values["iron_mg"] is None
    assert mackerel.values["protein_g"] == 24.8
    assert foods["D3"].values["iron_mg"] == 0  # a real zero stays zero


def _edited_copy(tmp_path, edit) -> str:
    target = tmp_path / "tpca_copia.xlsx"
    shutil.copy(food_table_file(), target)
    wb = load_workbook(target)
    edit(wb.worksheets[0])
    wb.save(target)
    return target


def test_import_of_another_edition_replaces_values_and_records_it(db, tmp_path):
    def edit(ws):
        for row in ws.iter_rows(min_row=3):
            if row[1].value == "A" and row[0].value == 3:
                row[3].value = 360  # a new edition's value for rice
    new = _edited_copy(tmp_path, edit)
    assert catalog.food(db, "A3").values["energy_kcal"] == 358
    info = catalog.import_table(db, new, edition="11.ª edición, 2025")
    assert info.food_count == 928 and info.edition == "11.ª edición, 2025"
    assert catalog.food(db, "A3").values["energy_kcal"] == 360
    assert catalog.active_source(db).edition == "11.ª edición, 2025"
    # the analysis sees the new edition at once
    assert analysis.analyse_items(db, [("A3", 100)]).nutrients["energy_kcal"] == 360


def test_a_file_of_another_layout_is_refused_and_nothing_changes(db, tmp_path):
    def drop_iron(ws):
        ws.cell(row=1, column=18).value = "Otra cosa"
    bad = _edited_copy(tmp_path, drop_iron)
    with pytest.raises(InvalidInput) as err:
        catalog.import_table(db, bad)
    assert "no tiene el formato" in str(err.value) and "Hierro <FE>" in str(err.value)
    assert catalog.active_source(db).edition == catalog.TPCA_EDITION
    assert catalog.food(db, "T52").values["iron_mg"] == 7.6


def test_a_bad_value_is_named_by_row_and_nothing_changes(db, tmp_path):
    def garbage(ws):
        ws.cell(row=5, column=4).value = "mucho"
    bad = _edited_copy(tmp_path, garbage)
    with pytest.raises(InvalidInput, match="fila 5, columna 4: valor «mucho» no es un número"):
        catalog.import_table(db, bad)
    assert len(catalog.search(db, "")) == 928


def test_a_table_lacking_a_food_the_recipes_use_is_refused(db, tmp_path):
    def remove_rice(ws):
        for row in ws.iter_rows(min_row=3):
            if row[1].value == "A" and row[0].value == 3:
                row[0].value = 9999
    bad = _edited_copy(tmp_path, remove_rice)
    with pytest.raises(InvalidInput, match="usa el alimento A3"):
        catalog.import_table(db, bad)
    assert catalog.food(db, "A3").name == "Arroz blanco corriente"


def test_csv_is_refused_with_a_message(db, tmp_path):
    csv = tmp_path / "tabla.csv"
    csv.write_text("codigo;grupo\n1;A\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="no es una hoja de cálculo .xlsx"):
        catalog.import_table(db, csv)


def test_search_ignores_accents_and_case(db):
    codes = {f.code for f in catalog.search(db, "LIMON")}
    names = {f.name for f in catalog.search(db, "limón")}
    assert codes and any("Limón" in n or "limón" in n for n in names)
    assert "T52" in {f.code for f in catalog.search(db, "lenteja")}
    assert [f.code for f in catalog.search(db, "t52")] == ["T52"]


def test_search_lists_the_foods_named_by_the_word_first_and_raw_before_cooked(db):
    """«azucar» listed a chicha and a tea before the sugars; «papa», the papayas before the potatoes; «arroz»,
    cooked rice first (preparations are weighed raw). The closest are never cut off by a limit."""
    from qaliwarma.domain.foods import fold, is_cooked_or_prepared

    sugar = [f.name for f in catalog.search(db, "azucar", limit=2)]
    assert sugar and all(fold(name).startswith("azucar") for name in sugar)
    potato = catalog.search(db, "papa")
    first_other = next(i for i, f in enumerate(potato) if not re.match(r"papa\b", fold(f.name)))
    assert first_other > 0 and all(not re.match(r"papa\b", fold(f.name)) for f in potato[first_other:])
    assert fold(potato[first_other].name).startswith("papaya")  # the letters, after the word
    rice = catalog.search(db, "arroz")
    starting = [f for f in rice if fold(f.name).startswith("arroz")]
    cooked = [is_cooked_or_prepared(f.code, f.name) for f in starting]
    assert True in cooked and False in cooked and cooked == sorted(cooked)  # raw, then cooked
    everything = catalog.search(db, "leche")
    assert {f.code for f in catalog.search(db, "leche", limit=5)} == {f.code for f in everything[:5]}
    assert len(everything) > 5 and all(fold(f.name).startswith("leche") for f in everything[:5])
    assert catalog.search(db, "G5")[0].code == "G5"  # a code typed comes first


def test_shipped_names_read_as_plain_spanish(shipped):
    foods, _ = shipped
    assert foods["E74"].name == "Pescado sardina desmenuzado, en conserva («grated»)"
    assert not [f.name for f in foods.values() if " en grated" in f.name]
