"""Every table model passes Qt's model checks, filled and empty, alone and behind its proxy."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qaliwarma.domain.foods import FoodSummary
from qaliwarma.domain.recipes import Dose, Ingredient, RecipeDef, RecipeSummary
from ui.models.base import RowsProxy
from ui.models.foods import FoodTableModel
from ui.models.nutrients import NutrientTableModel, nutrient_lines
from ui.models.recipe_edit import IngredientEditModel
from ui.models.recipes import IngredientLine, IngredientTableModel, RecipeListModel, format_grams

FOODS = [FoodSummary("A10", "Cañihua, hojuela de", "A", "Cereales y derivados"),
         FoodSummary("A3", "Arroz blanco corriente", "A", "Cereales y derivados"),
         FoodSummary("T52", "Lentejas chicas", "T", "Leguminosas y derivados")]
RECIPES = [RecipeSummary("sierra-x", "Patachi", "sierra", "almuerzo", ("primaria",), False),
           RecipeSummary("comite-y", "Mazamorra", "sierra", "desayuno", ("inicial", "primaria"), True)]
INGREDIENTS = [IngredientLine("E34", "Pescado caballa, en conserva", Decimal(25), Decimal("0.8"), ""),
               IngredientLine("A3", "Arroz blanco corriente", Decimal(25), Decimal(1), "1 cucharada colmada")]


@pytest.mark.parametrize("make, rows", [
    (lambda: FoodTableModel(), FOODS),
    (lambda: NutrientTableModel("En 100 g"), nutrient_lines({"iron_mg": 7.6, "energy_kcal": None})),
    (lambda: NutrientTableModel("Por niño", with_notes=True),
     nutrient_lines({"iron_mg": 1.78}, {"iron_mg": ["E34"]}, {"E34": "Pescado caballa, en conserva"})),
    (lambda: RecipeListModel(), RECIPES),
    (lambda: IngredientTableModel(), INGREDIENTS),
])
def test_read_only_models(qtmodeltester, make, rows):
    model = make()
    qtmodeltester.check(model)
    model.set_rows(rows)
    qtmodeltester.check(model)
    proxy = RowsProxy()
    proxy.setSourceModel(model)
    proxy.sort(0)
    qtmodeltester.check(proxy)


def test_food_codes_sort_by_number(qtmodeltester):
    model = FoodTableModel()
    model.set_rows(FOODS)
    proxy = RowsProxy()
    proxy.setSourceModel(model)
    proxy.sort(0)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["A3", "A10", "T52"]


def test_unknown_nutrients_read_sin_dato_and_incomplete_ones_name_the_food():
    lines = {li.key: li for li in nutrient_lines(
        {"iron_mg": 1.78, "folate_ug": None}, {"iron_mg": ["E34"], "folate_ug": ["E34"]},
        {"E34": "Pescado caballa, en conserva"})}
    assert lines["iron_mg"].amount == "1.78 mg"
    assert lines["iron_mg"].note == "incompleto: sin dato en E34 (Pescado caballa, en conserva)"
    assert lines["folate_ug"].amount == "sin dato" and not lines["folate_ug"].known
    assert lines["energy_kcal"].amount == "sin dato"  # absent is unknown, never 0


def test_grams_are_written_in_the_applications_one_number_style():
    assert format_grams(25) == "25 g"
    assert format_grams(1234.5) == "1,234.5 g"
    assert format_grams(Decimal("12.5")) == "12.5 g"
    assert format_grams(2.64) == "2.64 g"


def test_editable_ingredients(qtmodeltester):
    model = IngredientEditModel()
    qtmodeltester.check(model)
    recipe = RecipeDef("comite-x", "X", "sierra", "desayuno", ("inicial", "primaria"), (
        Ingredient("E34", "Caballa", Decimal("0.875"), {"inicial": Dose(Decimal(20)), "primaria": Dose(Decimal(25))}),
    ))
    model.load(recipe, {"E34": "Pescado caballa, en conserva"})
    model.add("A3", "Arroz blanco corriente")
    qtmodeltester.check(model)
    assert model.columnCount() == 6
    assert model.index(1, 2).data() == "escriba"  # no grams yet
    assert model.setData(model.index(1, 4), "25,5")  # primaria grams
    assert not model.setData(model.index(1, 4), "-3")
    assert not model.setData(model.index(0, 1), 0)  # 0 % edible is refused
    assert model.setData(model.index(0, 1), 88)  # the same rounded value keeps 0.875
    ingredients = model.ingredients()
    assert ingredients[0].edible_factor == Decimal("0.875")
    assert ingredients[1].doses == {"primaria": Dose(Decimal("25.5"))}
    model.set_levels(("primaria",))
    qtmodeltester.check(model)
    assert model.columnCount() == 4
    assert [set(i.doses) for i in model.ingredients()] == [{"primaria"}, {"primaria"}]
    model.remove(0)
    assert [r.code for r in model.rows()] == ["A3"]
