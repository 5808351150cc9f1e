"""Nutrition standard sets: ranges per level × meal, and rules over the week or period.

A standard set is DATA (resources/standards/*.toml, or a copy a committee edits in the app):
nothing here is a programme constant.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import _

# Metrics a standard can target: the 17 nutrients plus these, derived from them.
DERIVED_METRICS = {
    "fat_pct_energy": ("Grasa (% de la energía)", "%"),
    "protein_pct_energy": ("Proteínas (% de la energía)", "%"),
    "added_sugar_g": ("Azúcar añadida", "g"),
}

ABOVE_IS_PROBLEM = "problema"  # a value above max makes the entry "high"
ABOVE_IS_NOTICE = "aviso"  # above max is reported but the entry stays "ok" (e.g. iron)


@dataclass(frozen=True)
class Range:
    min: float | None = None
    max: float | None = None
    above: str = ABOVE_IS_PROBLEM
    below: str = ABOVE_IS_PROBLEM  # "aviso": below the minimum is reported but the entry stays "ok"

    def describe(self, unit: str, fmt) -> str:
        if self.min is not None and self.max is not None:
            return f"{fmt(self.min)}–{fmt(self.max)} {unit}"
        if self.min is not None:
            return _("al menos {fmt} {unit}").format(fmt=fmt(self.min), unit=unit)
        return _("como máximo {fmt} {unit}").format(fmt=fmt(self.max), unit=unit)


@dataclass(frozen=True)
class Target:
    level: str
    meal: str
    ranges: dict[str, Range]
    quintiles: tuple[int, ...] = ()  # empty = every quintile
    regions: tuple[str, ...] = ()  # empty = every region

    def applies(self, level: str, meal: str, quintile: int | None, region: str | None) -> bool:
        return (
            self.level == level
            and self.meal == meal
            and (not self.quintiles or quintile is None or quintile in self.quintiles)
            and (not self.regions or region is None or region in self.regions)
        )


@dataclass(frozen=True)
class Rule:
    """A rule over the plan. Kinds:

    - ``haem_iron_per_week``: at least ``times`` servings a week per level (any meal) whose
      preparation has ≥ ``min_grams`` of a haem-iron food (``foods``: codes or group patterns "E*").
    - ``no_repeat_within_days``: the same preparation not again within ``days`` school days
      (same meal and level).
    - ``same_base_cereal_per_week``: at most ``times`` days a week with the same base cereal
      (the group A ingredient with most grams) per meal and level.
    - ``vitamin_a_per_week``: the vitamin A (µg RE) of the ``foods`` (animal foods: preformed vitamin A)
      of every meal served to a level in one school week at most ``limits[level]`` (liver dishes: a
      weekly upper limit, not a daily target).
    """

    kind: str
    description: str
    times: int = 0
    days: int = 0
    min_grams: float = 0.0
    foods: tuple[str, ...] = ()
    meals: tuple[str, ...] = ()  # empty = every meal
    limits: tuple[tuple[str, float], ...] = ()  # (level, maximum) pairs, for per-level limits

    def limit_for(self, level: str) -> float | None:
        return dict(self.limits).get(level)


@dataclass(frozen=True)
class StandardSet:
    id: str
    name: str
    source: str
    targets: tuple[Target, ...]
    rules: tuple[Rule, ...] = ()
    note: str = ""
    committee_own: bool = False
    based_on: str | None = None

    def target_for(self, level: str, meal: str, quintile: int | None = None,
                   region: str | None = None) -> Target | None:
        """The most specific target that applies (region and quintile targets win)."""
        matches = [t for t in self.targets if t.applies(level, meal, quintile, region)]
        if not matches:
            return None
        return max(matches, key=lambda t: (bool(t.regions), bool(t.quintiles)))


@dataclass(frozen=True)
class StandardSummary:
    id: str
    name: str
    source: str
    committee_own: bool
    targets: int
    rules: int = 0
    extra: dict = field(default_factory=dict)
