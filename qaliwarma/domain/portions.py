"""Portion caps: the most a plate may carry of a food group per child, by meal and level
(resources/standards/datos/porciones.toml). A plausibility rule, not a nutrient target: a lunch that
reaches its energy with 157 g of dry pasta per child cannot be served. Shared by `recipes check` and the
committee's recipe editor."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..i18n import _
from .recipes import Ingredient, RecipeDef

PORTIONS_FILE = "resources/standards/datos/porciones.toml"


def food_group(code: str) -> str:
    """The TPCA group of a food code: its letters before the number («A» of A3, «U» of U19)."""
    return code.upper().rstrip("0123456789")


@dataclass(frozen=True)
class PortionGroup:
    key: str
    name: str  # plain Spanish, for the cook: «cereales, harinas y fideos»
    source: str
    letters: frozenset[str] = frozenset()
    codes: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    edible: bool = False  # counted as gross × edible factor (meat and fish with bones)
    factors: dict[str, Decimal] = field(default_factory=dict)  # 1 g of the food counts as N g of the group
    caps: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # meal -> level -> grams per child

    def holds(self, code: str) -> bool:
        code = code.upper()
        return code not in self.exclude and (code in self.codes or food_group(code) in self.letters)

    def counted(self, ingredient: Ingredient, level: str) -> Decimal:
        """The grams of ``ingredient`` that count against this group's cap at ``level``."""
        grams = ingredient.doses[level].grams
        if self.edible:
            grams *= ingredient.edible_factor
        return grams * self.factors.get(ingredient.code.upper(), Decimal(1))


@dataclass(frozen=True)
class Excess:
    """A group of a preparation over its cap at one level."""

    group: PortionGroup
    level: str
    grams: Decimal  # counted grams of the group in the plate
    cap: Decimal
    items: tuple[tuple[int, Ingredient, Decimal], ...]  # (ingredient index, ingredient, counted grams)

    def _part(self, ing: Ingredient, counted: Decimal) -> str:
        label = ing.label or ing.code
        shown = ing.doses[self.level].grams * (ing.edible_factor if self.group.edible else 1)
        if shown == counted:
            return f"{label} {_grams(counted)} g"
        return _("{food} {grams} g, que cuentan como {counted} g").format(
            food=label, grams=_grams(shown), counted=_grams(counted))

    def message(self, recipe: RecipeDef) -> str:
        parts = "; ".join(self._part(ing, g) for _i, ing, g in self.items)
        weight = _("comestibles") if self.group.edible else _("brutos")
        if len(self.items) == 1:
            what = _("{part} {weight} por niño").format(part=parts, weight=weight)
        else:
            what = _("{group}: {grams} g {weight} por niño ({parts})").format(
                group=self.group.name, grams=_grams(self.grams), weight=weight, parts=parts)
        return _("{recipe}, {level}: {what}; pasa el tope de {cap} g de {group} para {level} "
                 "({file}). Baje la porción o reparta la energía con otro acompañamiento").format(
            recipe=_named(recipe), level=self.level, what=what, cap=_grams(self.cap),
            group=self.group.name, file=PORTIONS_FILE)


# Of one food, per child, in one meal: more is not a portion but a slip of the comma or the point («1,500» typed
# for 1.5 g of salt). The bank's largest is 260 g (potatoes, secundaria); a glass of milk is about 260 g.
HEAVY_GRAMS = Decimal(500)


@dataclass(frozen=True)
class Heavy:
    """One food of a preparation weighed at more than HEAVY_GRAMS per child at one level, whatever the meal."""

    index: int  # the ingredient's position in the preparation (0-based)
    ingredient: Ingredient
    level: str
    grams: Decimal

    def message(self, recipe: RecipeDef) -> str:
        return _("{recipe}, {level}: {food} {grams} g por niño; más de {most} g de un solo alimento en una "
                 "comida no es una porción. Revise la cifra (¿una coma o un punto fuera de lugar?)").format(
            recipe=_named(recipe), level=self.level, food=self.ingredient.label or self.ingredient.code,
            grams=_grams(self.grams), most=_grams(HEAVY_GRAMS))


def heavy_doses(recipe: RecipeDef) -> list[Heavy]:
    """Every food of ``recipe`` over HEAVY_GRAMS per child, level by level (in the recipe's level order)."""
    return [Heavy(n, ing, level, ing.doses[level].grams) for level in recipe.levels
            for n, ing in enumerate(recipe.ingredients)
            if level in ing.doses and ing.doses[level].grams > HEAVY_GRAMS]


def _named(recipe: RecipeDef) -> str:
    """«Tallarín grande» (costa-tallarin-grande); a preparation being written has no id yet: its name alone."""
    return f"«{recipe.name}» ({recipe.id})" if recipe.id else f"«{recipe.name}»"


def _grams(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1')).normalize():f}"


def portion_excesses(recipe: RecipeDef, groups: tuple[PortionGroup, ...]) -> list[Excess]:
    """Every group of ``recipe`` over its cap, level by level (in the recipe's level order)."""
    found: list[Excess] = []
    for level in recipe.levels:
        for group in groups:
            cap = group.caps.get(recipe.meal, {}).get(level)
            if cap is None:
                continue
            items = tuple((n, ing, group.counted(ing, level)) for n, ing in enumerate(recipe.ingredients)
                          if level in ing.doses and group.holds(ing.code))
            total = sum((g for _n, _ing, g in items), Decimal(0))
            if items and total > cap:
                found.append(Excess(group, level, total, cap, items))
    return found
