"""The portion caps file (resources/standards/datos/porciones.toml), read into domain.portions groups."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path

from ..domain.levels import LEVELS, MEALS
from ..domain.portions import PortionGroup
from ..paths import resources_dir


def read_portion_groups(path: Path) -> tuple[PortionGroup, ...]:
    """Every group of the file. A malformed file is a programming error of the shipped data: it raises."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    groups = []
    for raw in data["grupos"]:
        weight = raw.get("peso", "bruto")
        if weight not in ("bruto", "comestible"):
            raise ValueError(f"{path}: grupo {raw['clave']}: peso «{weight}» (bruto o comestible)")
        caps = {}
        for meal in MEALS:
            if meal in raw:
                unknown = set(raw[meal]) - set(LEVELS)
                if unknown:
                    raise ValueError(f"{path}: grupo {raw['clave']}: niveles desconocidos {sorted(unknown)}")
                caps[meal] = {level: Decimal(str(v)) for level, v in raw[meal].items()}
        groups.append(PortionGroup(
            key=raw["clave"], name=raw["nombre"], source=raw["fuente"],
            letters=frozenset(raw.get("letras", ())), codes=frozenset(c.upper() for c in raw.get("codigos", ())),
            exclude=frozenset(c.upper() for c in raw.get("excluir", ())), edible=weight == "comestible",
            factors={c.upper(): Decimal(str(v)) for c, v in raw.get("equivalencias", {}).items()}, caps=caps))
    return tuple(groups)


@cache
def shipped_portion_groups() -> tuple[PortionGroup, ...]:
    return read_portion_groups(resources_dir() / "standards" / "datos" / "porciones.toml")
