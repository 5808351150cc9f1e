"""The shipped recipe bank against the default standard, as `recipes show` reports it, and the
recipe-bank document that explains every target a preparation misses."""

from __future__ import annotations

import json
import re

import pytest

from qaliwarma import cli
from qaliwarma.paths import resources_dir
from qaliwarma.services import compliance, recipes, standards

MICRO = ("vitamin_a_ug", "calcium_mg", "zinc_mg", "vitamin_c_mg")


@pytest.fixture(scope="module")
def bank_db(template_sqlite):
    return f"sqlite:///{template_sqlite}"


def test_recipes_show_reports_the_four_micronutrients_against_targets_at_every_level(bank_db, db, capsys):
    for summary in recipes.list_recipes(db):
        for level in summary.levels:
            assert cli.main(["--db", bank_db, "recipes", "show", summary.id, "--level", level, "--json"]) == 0
            doc = json.loads(capsys.readouterr().out)
            targets = {t["metric"]: t for t in doc["targets"]}
            for metric in MICRO:
                assert targets[metric]["min"] is not None, (summary.id, level, metric)
                assert targets[metric]["status"] in ("ok", "low", "unknown"), (summary.id, level, metric)


def test_micronutrient_targets_are_a_quarter_of_the_fao_who_intakes():
    # FAO/WHO 2004: vit A 450/500/600 µg, Ca 600/700/1300 mg, Zn 5.1/5.6/9.7 mg, vit C 30/35/40 mg.
    from qaliwarma.io.standard_files import read_standard_file

    std = read_standard_file(resources_dir() / "standards" / "qw-2014.toml")
    daily = {"inicial": (450, 600, 5.1, 30), "primaria": (500, 700, 5.6, 35), "secundaria": (600, 1300, 9.7, 40)}
    for level, values in daily.items():
        for meal in ("desayuno", "almuerzo"):
            ranges = std.target_for(level, meal).ranges
            for metric, value in zip(MICRO, values, strict=True):
                assert ranges[metric].min == pytest.approx(value * 0.25)


def test_every_target_a_shipped_preparation_misses_is_explained_in_the_recipe_bank_doc(db):
    doc = (resources_dir().parent / "docs" / "recipe-bank.md").read_text(encoding="utf-8")
    section = doc.split("## Metas que no se alcanzan", 1)[1]
    std = standards.get_standard(db)
    missing = []
    for summary in recipes.list_recipes(db):
        recipe = recipes.get_recipe(db, summary.id)
        for level in recipe.levels:
            for m in compliance.judge_recipe(db, recipe, level, std):
                if m.status != "ok" or (m.message and "por debajo" in m.message):
                    line = next((ln for ln in section.splitlines() if f"`{recipe.id}`" in ln
                                 and re.search(rf"\b{level}\b", ln) and m.label.split(" (")[0] in ln), None)
                    if line is None:
                        missing.append(f"{recipe.id} {level} {m.label}: {m.status}")
    assert not missing, "\n".join(missing)


def test_lunches_carry_the_dosing_sheets_oil_and_more_starch_for_older_children(db):
    # CAE dosing sheet (Piura): oil 5 g inicial, 6 g primaria; secundaria keeps the sheet's 6 g
    oil_by_level = {"inicial": 5, "primaria": 6, "secundaria": 6}
    fresh = {"T2", "T47"}  # fresh peas and broad beans are vegetables here, not the dish's starch
    for summary in recipes.list_recipes(db):
        recipe = recipes.get_recipe(db, summary.id)
        if recipe.meal != "almuerzo":
            continue
        oils = [i for i in recipe.ingredients if i.code in ("D9", "D17")]
        for level in recipe.levels:
            assert sum(float(i.doses[level].grams) for i in oils) in (0, oil_by_level[level]), (recipe.id, level)
        for i in recipe.ingredients:
            starchy = i.code[0] in "AU" or (i.code[0] == "T" and i.code not in fresh) or i.code in ("C75", "C78")
            if starchy:
                grams = [i.doses[lv].grams for lv in ("inicial", "primaria", "secundaria")]
                assert grams[0] < grams[1] < grams[2], (recipe.id, i.code, grams)


def test_a_lunch_low_in_fat_at_the_sheets_oil_is_a_notice_that_names_where_the_fat_comes_from(bank_db, capsys):
    assert cli.main(["--db", bank_db, "recipes", "show", "selva-pescado-yuca", "--level", "primaria",
                     "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    fat = next(t for t in doc["targets"] if t["metric"] == "fat_pct_energy")
    share = doc["nutrients"]["fat_g"] * 9 / doc["nutrients"]["energy_kcal"] * 100
    assert fat["value"] == pytest.approx(share, abs=0.01) and share < 25
    assert fat["status"] == "ok"  # a notice, not a problem: 25–35 % is for the whole day
    assert "aviso" in fat["message"] and "5–6 g de aceite" in fat["message"]
    assert "agregue" not in fat["message"]  # no advice to add the oil the dosing sheet leaves out
    # 6 g of oil give 6 g of fat; 139 g of edible bagre at 1.7 g/100 g give 2.4 g
    assert "(hoy el aporte mayor es Aceite vegetal)" in fat["message"]
