"""The shipped breakfasts are dosed in units a cook can serve: bread and eggs in whole or half units of
the unit weight the household measures, the presentations and the demo's price list share (so the
purchase list buys what the recipes dose), and no food shrinks as the children grow."""

from __future__ import annotations

import csv
import tomllib
from decimal import Decimal
from fractions import Fraction

from qaliwarma.paths import resources_dir
from qaliwarma.units import default_presentations, household_measures

LEVELS = ("inicial", "primaria", "secundaria")
UNIT_FOODS = {"A49": "unidad-pan-frances", "A45": "unidad-pan-cebada", "A138": "unidad-pan-vico", "J4": "unidad-huevo"}


def _breakfasts() -> list[dict]:
    files = sorted((resources_dir().parent / "recipes").glob("*/*.toml"))
    docs = [tomllib.loads(f.read_text(encoding="utf-8")) for f in files]
    return [d for d in docs if d["meal"] == "desayuno"]


def _unit_grams(code: str) -> Decimal:
    (unit,) = [m.grams for m in household_measures(code) if m.name == "unidad"]
    return unit


def test_bread_and_egg_unit_weights_agree_in_measures_presentations_and_the_demo_price_list():
    presentations = default_presentations()
    with (resources_dir() / "demo" / "precios_sierra.csv").open(encoding="utf-8") as fh:
        prices = {row["codigo"]: row for row in csv.DictReader(fh)}
    for code, key in UNIT_FOODS.items():
        unit = _unit_grams(code)
        assert presentations[key].grams() == unit, code
        row = prices.get(code)
        if row is not None and row["presentacion"] == "UNIDAD":
            kg = Decimal(row["neto"].removesuffix(" kg"))
            assert kg * 1000 == unit, code
    assert _unit_grams("A49") == 40 and _unit_grams("J4") == 55  # pan francés 40 g, huevo mediano 55 g


def test_breakfast_bread_and_eggs_are_whole_or_half_units_at_every_level():
    seen = 0
    for recipe in _breakfasts():
        for ing in recipe["ingredients"]:
            if ing["code"] not in UNIT_FOODS:
                continue
            unit = _unit_grams(ing["code"])
            for level in recipe["levels"]:
                units = Fraction(Decimal(str(ing["grams"][level])) / unit)
                assert units > 0 and (2 * units).denominator == 1, (recipe["id"], ing["code"], level, units)
                seen += 1
    assert seen >= 3 * 15  # every breakfast has its bread


def test_breakfast_bread_is_at_least_the_ration_sheets_40_g_from_primaria_up():
    # Ficha técnica de raciones 2014: «pan común» 40 g (peso bruto mínimo) for inicial and primaria
    for recipe in _breakfasts():
        bread = sum(ing["grams"]["primaria"] for ing in recipe["ingredients"] if ing["code"] in ("A49", "A138"))
        if bread:
            assert bread >= 40, recipe["id"]
            assert sum(ing["grams"]["inicial"] for ing in recipe["ingredients"] if ing["code"] in ("A49", "A138")) >= 40


def test_no_breakfast_food_shrinks_as_children_grow_oil_included():
    for recipe in _breakfasts():
        for ing in recipe["ingredients"]:
            grams = [ing["grams"][lv] for lv in LEVELS if lv in recipe["levels"]]
            assert grams == sorted(grams), (recipe["id"], ing["code"], grams)
