"""Every table model passes Qt's model checks, filled and empty, alone and behind its proxy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from qaliwarma.domain.foods import FoodSummary, fold
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


# ---------------------------------------------------------------------------------------------- sorting
class _Counted(RowsProxy):
    """Counts the comparisons Qt's sort asks for."""

    calls = 0

    def lessThan(self, left, right):  # noqa: N802 - Qt naming
        type(self).calls += 1
        return super().lessThan(left, right)


def _shown(proxy) -> list:
    model = proxy.sourceModel()
    return [model.row_at(proxy.mapToSource(proxy.index(r, 0)).row()) for r in range(proxy.rowCount())]


def test_rows_already_in_order_are_shown_without_qts_sort():
    """A month's 1,000 expenses come by number: the table sorted by number shows them without a comparison."""
    from PySide6.QtCore import Qt

    from ui.models.treasury_rows import ExpenseRow, ExpenseTableModel

    rows = [ExpenseRow(n, n, date(2027, 12, 1 + n % 28), "gas", "Gas", "boleta", f"B-{n}", "", "Gas SAC", "gas",
                       Decimal(n % 7), "efectivo") for n in range(1, 1001)]
    model = ExpenseTableModel()
    proxy = _Counted()
    proxy.setSourceModel(model)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    _Counted.calls = 0
    model.set_rows(rows)
    assert _shown(proxy) == rows and _Counted.calls == 0
    assert proxy.sortColumn() == 0 and proxy.sortOrder() == Qt.SortOrder.AscendingOrder
    proxy.sort(7, Qt.SortOrder.DescendingOrder)  # by amount: Qt sorts them
    assert _Counted.calls > 0
    assert [r.amount for r in _shown(proxy)] == sorted((r.amount for r in rows), reverse=True)
    model.set_rows(rows[::-1])  # a reload out of order: sorted again, by amount
    assert [r.amount for r in _shown(proxy)] == sorted((r.amount for r in rows), reverse=True)
    proxy.sort(0, Qt.SortOrder.DescendingOrder)  # now in order by number, descending: the model's order
    _Counted.calls = 0
    model.set_rows(rows[::-1])
    assert _shown(proxy) == rows[::-1] and _Counted.calls == 0


@pytest.mark.parametrize("seed", range(20))
def test_the_proxy_shows_what_qts_sort_would(seed):
    """Random reloads (some in order, some not), sorts and filters: the rows shown are those Qt's own sort
    shows, in the order of their sort keys (rows with equal keys may come in another order: Qt's own order
    of equal rows depends on the sorts before)."""
    import random

    from PySide6.QtCore import QSortFilterProxyModel, Qt

    from ui.models.treasury_rows import TransferRow, TransferTableModel

    class QtSorted(QSortFilterProxyModel):
        def __init__(self) -> None:
            super().__init__()
            self._accept = None

        def set_filter(self, accept) -> None:
            self.beginFilterChange()
            self._accept = accept
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

        def lessThan(self, left, right):  # noqa: N802 - Qt naming
            model = self.sourceModel()
            return model.sort_value(left.row(), left.column()) < model.sort_value(right.row(), right.column())

        def filterAcceptsRow(self, row, _parent):  # noqa: N802 - Qt naming
            return self._accept is None or self._accept(self.sourceModel().row_at(row))

    def keys(proxy) -> list:
        column = proxy.sortColumn()
        model = proxy.sourceModel()
        return [model.sort_value(proxy.mapToSource(proxy.index(r, 0)).row(), column)
                for r in range(proxy.rowCount())] if column >= 0 else []

    rng = random.Random(seed)
    reference, proxy, m1, m2 = QtSorted(), RowsProxy(), TransferTableModel(), TransferTableModel()
    reference.setSourceModel(m1)
    proxy.setSourceModel(m2)
    orders = (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder)
    for _step in range(30):
        action = rng.random()
        if action < 0.4:
            rows = [TransferRow(rng.randrange(4), date(2026, 11, rng.randrange(1, 4)), Decimal(rng.randrange(3)),
                                rng.choice(["BN 1", "bn 1", "Ñ", "a"]), date(2026, 12, rng.randrange(1, 3)))
                    for _ in range(rng.randrange(12))]
            if rng.random() < 0.6:
                column = rng.randrange(4)
                rows.sort(key=lambda r, c=column: m2.columns[c].sort_key(r) if m2.columns[c].sort_key
                          else fold(r.reference), reverse=rng.random() < 0.5)
            m1.set_rows(rows)
            m2.set_rows(rows)
        elif action < 0.8:
            column, order = rng.randrange(-1, 4), rng.choice(orders)
            reference.sort(column, order)
            proxy.sort(column, order)
        else:
            cut = rng.choice([None, 0, 1, 2])
            accept = None if cut is None else (lambda r, cut=cut: r.amount != cut)
            reference.set_filter(accept)
            proxy.set_filter(accept)
        shown, expected = _shown(proxy), _shown(reference)
        assert sorted(map(repr, shown)) == sorted(map(repr, expected))
        if proxy.sortColumn() < 0:
            assert shown == expected
        else:
            assert keys(proxy) == keys(reference)
