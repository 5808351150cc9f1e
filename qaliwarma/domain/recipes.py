"""Preparations: ingredients by food code with grams per child per level."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .levels import LEVELS

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Dose:
    grams: Decimal  # per child, as weighed by the cook (gross)
    measure: str = ""  # household-measure hint


@dataclass(frozen=True)
class Ingredient:
    code: str
    label: str
    edible_factor: Decimal
    doses: dict[str, Dose]

    def edible_grams(self, level: str) -> float:
        dose = self.doses.get(level)
        return 0.0 if dose is None else float(dose.grams * self.edible_factor)


@dataclass(frozen=True)
class RecipeDef:
    id: str
    name: str
    region: str
    meal: str
    levels: tuple[str, ...]
    ingredients: tuple[Ingredient, ...]
    source: str = ""
    note: str = ""
    preparation: str = ""
    committee_own: bool = False
    file_path: str | None = None
    line_of: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def edible_items(self, level: str) -> list[tuple[str, float]]:
        return [(i.code, i.edible_grams(level)) for i in self.ingredients if level in i.doses]

    def gross_grams(self, level: str) -> list[tuple[Ingredient, Decimal]]:
        return [(i, i.doses[level].grams) for i in self.ingredients if level in i.doses]


@dataclass(frozen=True)
class RecipeSummary:
    id: str
    name: str
    region: str
    meal: str
    levels: tuple[str, ...]
    committee_own: bool


def ordered_levels(levels) -> tuple[str, ...]:
    wanted = set(levels)
    return tuple(level for level in LEVELS if level in wanted)


def slugify(text: str) -> str:
    from .foods import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "preparacion"
