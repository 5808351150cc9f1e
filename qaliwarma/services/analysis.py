"""Nutrient analysis: nutrients per child of a preparation and level, or of an ad-hoc food list.

The food table is held once as a foods × nutrients matrix (NaN = unknown); an analysis is a matrix
product of grams by that matrix, and a mask product tells which nutrients are incomplete and because
of which foods. Many analyses at once (a year of menus) are one product of a menus × foods matrix.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

import numpy as np
from sqlalchemy import select

from ..domain.nutrients import NUTRIENT_KEYS
from ..domain.recipes import RecipeDef
from ..errors import InvalidInput, Problem
from ..i18n import _
from ..persistence.engine import Database
from ..persistence.models import Food


@dataclass(frozen=True)
class ItemResult:
    code: str
    name: str
    grams: float  # edible grams analysed
    nutrients: dict[str, float | None]


@dataclass(frozen=True)
class Analysis:
    """Nutrients of a list of foods. A nutrient is the sum of the known parts; ``incomplete`` maps a
    nutrient to the foods whose value is unknown (then the total is a lower bound, or None when no
    food has a value)."""

    nutrients: dict[str, float | None]
    incomplete: dict[str, list[str]] = field(default_factory=dict)
    items: list[ItemResult] = field(default_factory=list)

    def to_json(self) -> dict:
        doc: dict = {"nutrients": {k: (None if v is None else round(v, 4)) for k, v in self.nutrients.items()}}
        if self.incomplete:
            doc["incomplete"] = self.incomplete
        return doc


class FoodMatrix:
    def __init__(self, codes: list[str], names: list[str], values: np.ndarray) -> None:
        self.codes = codes
        self.names = names
        self.index = {c: i for i, c in enumerate(codes)}
        self.known = ~np.isnan(values)
        self.values = np.nan_to_num(values, nan=0.0)

    @classmethod
    def load(cls, db: Database) -> FoodMatrix:
        columns = [getattr(Food, k) for k in NUTRIENT_KEYS]
        with db.session() as s:
            rows = s.execute(select(Food.code, Food.name, *columns).order_by(Food.id)).all()
        values = np.array([[np.nan if v is None else v for v in r[2:]] for r in rows], dtype=float)
        return cls([r[0] for r in rows], [r[1] for r in rows], values.reshape(len(rows), len(NUTRIENT_KEYS)))

    def positions(self, codes: list[str]) -> list[int]:
        unknown = [c for c in codes if c not in self.index]
        if unknown:
            raise InvalidInput(
                _("Código de alimento desconocido en la tabla de composición."),
                [Problem(c, _("no existe en la tabla cargada")) for c in unknown],
            )
        return [self.index[c] for c in codes]

    def analyse(self, items: list[tuple[str, float]]) -> Analysis:
        codes = [c for c, _unused in items]
        rows = self.positions(codes)
        grams = np.array([g for _unused, g in items], dtype=float)
        sub = self.values[rows]
        known = self.known[rows]
        per_item = grams[:, None] * sub / 100.0
        totals = per_item.sum(axis=0)
        present = grams > 0
        missing = (~known) & present[:, None]
        any_known = (known & present[:, None]).any(axis=0)
        nutrients: dict[str, float | None] = {}
        incomplete: dict[str, list[str]] = {}
        for j, key in enumerate(NUTRIENT_KEYS):
            nutrients[key] = float(totals[j]) if any_known[j] else None
            lacking = [codes[i] for i in np.flatnonzero(missing[:, j])]
            if lacking:
                incomplete[key] = list(dict.fromkeys(lacking))
        result_items = [
            ItemResult(
                code,
                self.names[rows[i]],
                float(grams[i]),
                {k: (float(per_item[i, j]) if known[i, j] else None) for j, k in enumerate(NUTRIENT_KEYS)},
            )
            for i, code in enumerate(codes)
        ]
        return Analysis(nutrients, incomplete, result_items)

    def analyse_batch(self, grams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``grams``: menus × foods (edible grams, in this matrix's food order). Returns the
        menus × nutrients totals and a boolean menus × nutrients "incomplete" mask."""
        totals = grams @ self.values / 100.0
        incomplete = (grams > 0).astype(np.float32) @ (~self.known).astype(np.float32) > 0
        return totals, incomplete


_cache: WeakKeyDictionary[Database, FoodMatrix] = WeakKeyDictionary()
_lock = threading.Lock()


def matrix(db: Database) -> FoodMatrix:
    """The food matrix of this database, loaded once."""
    with _lock:
        m = _cache.get(db)
        if m is None:
            m = _cache[db] = FoodMatrix.load(db)
        return m


def forget_matrix(db: Database) -> None:
    with _lock:
        _cache.pop(db, None)


_ITEM = re.compile(r"^\s*([A-Za-z]{1,2}\d+)\s*:\s*(\d+(?:[.,]\d+)?)\s*$")


def parse_items(texts: list[str]) -> list[tuple[str, float]]:
    """Parse ``CODE:GRAMS`` items (``A3:25``, ``T52:20.5``); refuse malformed ones naming each."""
    items: list[tuple[str, float]] = []
    problems: list[Problem] = []
    for text in texts:
        m = _ITEM.match(text)
        if not m:
            problems.append(Problem(f"«{text}»", _("se espera CÓDIGO:GRAMOS, por ejemplo A3:25")))
            continue
        grams = float(m.group(2).replace(",", "."))
        items.append((m.group(1).upper(), grams))
    if not items and not problems:
        problems.append(Problem("", _("indique al menos un alimento como CÓDIGO:GRAMOS")))
    if problems:
        raise InvalidInput(_("Alimentos mal escritos."), problems)
    return items


def analyse_items(db: Database, items: list[tuple[str, float]]) -> Analysis:
    return matrix(db).analyse(items)


def analyse_recipe(db: Database, recipe: RecipeDef, level: str) -> Analysis:
    return matrix(db).analyse(recipe.edible_items(level))
