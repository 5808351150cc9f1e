"""Added sugar of a list of foods: the per-food table resources/standards/datos/azucar-anadida.toml
(estimates with their method) and the sugar group K counted whole (free sugars, WHO 2015)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from ..paths import resources_dir
from ..persistence.engine import Database


@dataclass(frozen=True)
class SugarEntry:
    code: str
    grams_per_100g: float
    method: str
    note: str


@dataclass(frozen=True)
class SugarTable:
    foods: dict[str, SugarEntry]
    whole_groups: tuple[str, ...]
    whole_source: str


@cache
def table() -> SugarTable:
    data = tomllib.loads((resources_dir() / "standards" / "datos" / "azucar-anadida.toml").read_text(encoding="utf-8"))
    foods = {code: SugarEntry(code, float(v["grams"]), v["method"], v["note"]) for code, v in data["foods"].items()}
    return SugarTable(foods, tuple(data.get("whole_groups", ())), data.get("whole_source", ""))


def _group(code: str) -> str:
    return code.rstrip("0123456789")


@dataclass(frozen=True)
class AddedSugar:
    grams: float | None  # None when a group-K food has no carbohydrate value and nothing else is known
    parts: list[tuple[str, float]]  # (food code, grams of added sugar), largest first
    estimated: list[str]  # codes whose value is an estimate of the per-food table
    incomplete: list[str]  # group-K codes without a carbohydrate value


def added_sugar(db: Database, items: list[tuple[str, float]]) -> AddedSugar:
    """Added sugar of ``items`` (food code, edible grams)."""
    from . import analysis

    t = table()
    parts: dict[str, float] = {}
    estimated: list[str] = []
    whole = [(c, g) for c, g in items if _group(c) in t.whole_groups and c not in t.foods and g > 0]
    incomplete: list[str] = []
    if whole:
        result = analysis.analyse_items(db, whole)
        for item in result.items:
            carb = item.nutrients.get("carbohydrate_g")
            if carb is None:
                incomplete.append(item.code)
            else:
                parts[item.code] = parts.get(item.code, 0.0) + carb
    for code, grams in items:
        entry = t.foods.get(code)
        if entry is not None and grams > 0:
            parts[code] = parts.get(code, 0.0) + grams * entry.grams_per_100g / 100
            estimated.append(code)
    total = sum(parts.values()) if parts or not incomplete else None
    ordered = sorted(parts.items(), key=lambda kv: -kv[1])
    return AddedSugar(total, ordered, list(dict.fromkeys(estimated)), list(dict.fromkeys(incomplete)))
