"""Which food of the table a product name in an acta means (resources/products.toml + the table)."""

from __future__ import annotations

import tomllib
from functools import cache

from ..domain.foods import fold
from ..paths import resources_dir
from ..persistence.engine import Database
from .catalog import food_names


@cache
def _aliases() -> dict[str, str]:
    data = tomllib.loads((resources_dir() / "products.toml").read_text(encoding="utf-8"))
    return {fold(k): v for k, v in data.get("aliases", {}).items()}


@cache
def densities() -> dict[str, str]:
    data = tomllib.loads((resources_dir() / "products.toml").read_text(encoding="utf-8"))
    return {k: str(v) for k, v in data.get("density_kg_per_l", {}).items()}


class ProductResolver:
    def __init__(self, db: Database) -> None:
        self.names = food_names(db)
        self.by_name = {fold(n): c for c, n in self.names.items()}

    def code(self, text: str) -> str | None:
        """A food code for ``text``: the code itself, a known product name, or the table's name."""
        t = text.strip()
        if t.upper() in self.names:
            return t.upper()
        key = fold(t)
        return _aliases().get(key) or self.by_name.get(key)
