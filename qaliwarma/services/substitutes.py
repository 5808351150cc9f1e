"""Substitute values for table values the food table leaves blank (resources/standards/datos/
sustitutos.toml): an estimate and its plausible range, each with its published source. Used by the
compliance judgement, always shown as «estimado»."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from ..paths import resources_dir


@dataclass(frozen=True)
class Substitute:
    code: str
    nutrient: str
    value: float
    low: float
    high: float
    source: str


@cache
def table() -> dict[tuple[str, str], Substitute]:
    path = resources_dir() / "standards" / "datos" / "sustitutos.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = {}
    for v in data.get("values", []):
        s = Substitute(v["code"], v["nutrient"], float(v["value"]), float(v["low"]), float(v["high"]), v["source"])
        out[(s.code, s.nutrient)] = s
    return out


@dataclass(frozen=True)
class Estimated:
    value: float  # known part + substitutes' estimates
    low: float  # known part + substitutes' lowest plausible values
    high: float  # known part + substitutes' highest plausible values
    codes: tuple[str, ...]  # the foods whose value is substituted
    still_missing: tuple[str, ...]  # foods without value and without substitute


def estimate(known: float | None, missing: list[str], grams_of: dict[str, float], nutrient: str) -> Estimated:
    """The nutrient's total with the substitutes of the ``missing`` foods (``grams_of``: edible grams)."""
    subs = table()
    base = known or 0.0
    value = low = high = base
    codes, still = [], []
    for code in missing:
        s = subs.get((code, nutrient))
        if s is None:
            still.append(code)
            continue
        g = grams_of.get(code, 0.0) / 100
        value += g * s.value
        low += g * s.low
        high += g * s.high
        codes.append(code)
    return Estimated(value, low, high, tuple(codes), tuple(still))


def fill(nutrients: dict[str, float | None], incomplete: dict[str, list[str] | tuple[str, ...]],
         grams_of: dict[str, float]) -> dict[str, Estimated]:
    """For each incomplete nutrient whose missing foods have substitutes, the Estimated total: what the
    compliance judgement uses and what every screen shows (never the known part alone beside a verdict
    that used more)."""
    out = {}
    for key, missing in incomplete.items():
        est = estimate(nutrients.get(key), list(missing), grams_of, key)
        if est.codes:
            out[key] = est
    return out


def shown_value(est: Estimated) -> float:
    """The figure a judgement and a screen take: the estimate, or its lowest plausible value while some food
    still has neither a value nor a substitute (then the total can only be larger)."""
    return est.value if not est.still_missing else est.low
