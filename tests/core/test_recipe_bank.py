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
