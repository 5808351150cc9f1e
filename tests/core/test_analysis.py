"""Nutrient analysis: values from the table, missing data reported, never silently zero."""

from __future__ import annotations

import numpy as np
import pytest

from qaliwarma.domain.nutrients import NUTRIENT_KEYS
from qaliwarma.errors import InvalidInput
from qaliwarma.services import analysis, recipes


def test_analyse_items_gives_the_table_values_and_marks_iron_incomplete(db):
    result = analysis.analyse_items(db, [("A3", 25), ("T52", 20), ("E34", 25)])
    n = result.nutrients
    assert n["energy_kcal"] == pytest.approx(25 * 3.58 + 20 * 2.11 + 25 * 2.25)
    assert n["protein_g"] == pytest.approx(25 * 0.078 + 20 * 0.226 + 25 * 0.248)
    assert n["iron_mg"] == pytest.approx(25 * 0.0104 + 20 * 0.076)  # E34 has no iron value
    assert result.incomplete["iron_mg"] == ["E34"]
    assert "energy_kcal" not in result.incomplete and "protein_g" not in result.incomplete


def test_a_nutrient_no_food_has_is_none_not_zero(db):
    result = analysis.analyse_items(db, [("E34", 50)])
    assert result.nutrients["iron_mg"] is None
    assert result.to_json()["nutrients"]["iron_mg"] is None


def test_zero_grams_of_a_food_does_not_make_a_nutrient_incomplete(db):
    result = analysis.analyse_items(db, [("A3", 25), ("E34", 0)])
    assert "iron_mg" not in result.incomplete


def test_bad_items_are_refused_naming_each():
    with pytest.raises(InvalidInput) as err:
        analysis.parse_items(["A3:25", "lentejas", "T52:-3"])
    text = str(err.value)
    assert "«lentejas»" in text and "«T52:-3»" in text


def test_unknown_code_is_refused_naming_it(db):
    with pytest.raises(InvalidInput, match="ZZ9"):
        analysis.analyse_items(db, [("A3", 10), ("ZZ9", 10)])


def test_batch_product_equals_single_analyses(db):
    m = analysis.matrix(db)
    bank = [recipes.get_recipe(db, r.id) for r in recipes.list_recipes(db)[:6]]
    grams = np.zeros((len(bank), len(m.codes)))
    for row, recipe in enumerate(bank):
        for code, g in recipe.edible_items(recipe.levels[0]):
            grams[row, m.index[code]] += g
    totals, incomplete = m.analyse_batch(grams)
    for row, recipe in enumerate(bank):
        single = analysis.analyse_recipe(db, recipe, recipe.levels[0])
        for j, key in enumerate(NUTRIENT_KEYS):
            assert totals[row, j] == pytest.approx(single.nutrients[key] or 0.0)
            assert bool(incomplete[row, j]) == (key in single.incomplete)
