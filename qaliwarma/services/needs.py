"""What food a plan needs, and what it costs.

Per food: grams per child (as weighed) per level × children (enrolment × expected attendance) ×
servings → total kg, rounded up to whole commercial units of the committee's presentation; the
committee's price list gives the cost per ration and per period (exact Decimals). A ``stock``
callable (food code → grams on hand) lets the stock service compare needs with what is in store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from sqlalchemy import select

from ..domain.menus import Plan
from ..errors import InvalidInput, Problem
from ..i18n import _
from ..money import to_money
from ..persistence.engine import Database
from ..persistence.models import FoodPrice
from ..units import Presentation
from ..units import presentation as make_presentation
from . import recipes as recipe_service
from .catalog import food_names
from .committee import CommitteeInfo

CENT = Decimal("0.01")


@dataclass(frozen=True)
class PriceItem:
    food_code: str
    presentation: str
    net: str
    price: Decimal
    density_kg_per_l: Decimal | None = None
    source: str = ""

    def unit(self) -> Presentation:
        return make_presentation(self.presentation, self.net, self.density_kg_per_l)


@dataclass(frozen=True)
class NeedLine:
    code: str
    name: str
    grams_per_child: dict[str, Decimal]  # level → total grams per child over the plan
    total_grams: Decimal
    presentation: str | None
    units: int | None  # whole commercial units, rounded up
    cost: Decimal | None
    in_stock_grams: Decimal | None = None
    short_grams: Decimal | None = None

    @property
    def total_kg(self) -> Decimal:
        return (self.total_grams / 1000).quantize(Decimal("0.001"), ROUND_CEILING)


@dataclass(frozen=True)
class NeedsResult:
    lines: tuple[NeedLine, ...]
    children: dict[str, int]
    rations: int
    total_cost: Decimal | None  # None when a food has no price
    cost_per_ration: Decimal | None
    missing_prices: tuple[str, ...] = field(default_factory=tuple)


def price_list(db: Database, committee_id: int) -> dict[str, PriceItem]:
    with db.session() as s:
        rows = s.scalars(select(FoodPrice).where(FoodPrice.committee_id == committee_id)).all()
        return {r.food_code: PriceItem(r.food_code, r.presentation, r.net, Decimal(r.price),
                                       None if r.density_kg_per_l is None else Decimal(r.density_kg_per_l), r.source)
                for r in rows}


def set_prices(db: Database, committee_id: int, items: list[PriceItem]) -> None:
    """Add or replace prices (validated whole: a bad one saves nothing)."""
    problems = []
    codes = recipe_service.known_codes(db)
    for item in items:
        where = _("precio de {food_code}").format(food_code=item.food_code)
        if item.food_code not in codes:
            problems.append(Problem(where, _("el código «{food_code}» no está en la tabla de alimentos").format(food_code=item.food_code)))
        try:
            if item.unit().grams() <= 0:
                problems.append(Problem(where, _("el contenido neto debe ser mayor que cero")))
        except InvalidInput as exc:
            problems.append(Problem(where, getattr(exc, "summary", str(exc))))
        if item.price < 0:
            problems.append(Problem(where, _("el precio no puede ser negativo")))
    if problems:
        raise InvalidInput(_("La lista de precios tiene errores; no se guardó."), problems)
    with db.session() as s:
        for item in items:
            s.merge(FoodPrice(committee_id=committee_id, food_code=item.food_code, presentation=item.presentation,
                              net=item.net, density_kg_per_l=item.density_kg_per_l, price=to_money(item.price),
                              updated_at=datetime.now(), source=item.source))


def plan_needs(db: Database, plan: Plan, committee: CommitteeInfo, *, attendance: Decimal = Decimal(1),
               stock: Callable[[str], Decimal] | None = None, since: date | None = None,
               names: dict[str, str] | None = None) -> NeedsResult:
    """Needs of the plan (from ``since`` on, when given: what is still to be cooked). ``names``: the food table's
    names (``food_names``) when the caller has already read them."""
    if not Decimal(0) < attendance <= Decimal(1):
        raise InvalidInput(_("La asistencia esperada va de 0 a 1 (por ejemplo 0.9 para el 90 %)."))
    children = {lv: int((Decimal(committee.enrolment(lv)) * attendance).to_integral_value(ROUND_CEILING))
                for lv in committee.levels}
    per_child: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    recipes = recipe_service.require_recipes(db, {e.recipe_id for e in plan.entries})
    rations = 0
    for e in plan.entries:
        if since is not None and e.day < since:
            continue
        rations += children.get(e.level, 0)
        for ingredient, grams in recipes[e.recipe_id].gross_grams(e.level):
            per_child[ingredient.code][e.level] += grams
    prices = price_list(db, committee.id)
    names = names if names is not None else food_names(db)
    lines: list[NeedLine] = []
    total_cost: Decimal | None = Decimal(0)
    missing: list[str] = []
    for code in sorted(per_child, key=lambda c: names.get(c, c)):
        total = sum((g * children.get(lv, 0) for lv, g in per_child[code].items()), Decimal(0))
        price = prices.get(code)
        units = cost = None
        if price is not None:
            unit_grams = price.unit().grams()
            units = int((total / unit_grams).to_integral_value(ROUND_CEILING))
            cost = (price.price * units).quantize(CENT, ROUND_HALF_UP)
            total_cost = None if total_cost is None else total_cost + cost
        else:
            missing.append(code)
            total_cost = None
        on_hand = stock(code) if stock else None
        short = max(total - on_hand, Decimal(0)) if on_hand is not None else None
        lines.append(NeedLine(code, names.get(code, code), dict(per_child[code]), total,
                              price.presentation if price else None, units, cost, on_hand, short))
    per_ration = (total_cost / rations).quantize(CENT, ROUND_HALF_UP) if total_cost is not None and rations else None
    return NeedsResult(tuple(lines), children, rations, total_cost, per_ration, tuple(missing))
