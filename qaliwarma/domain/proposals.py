"""A proposed menu (services/propose.py): the plan, what it costs, what it could not meet and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .menus import PlanEntry

STATUS_OPTIMAL, STATUS_CLOSEST = "optimal", "closest"


@dataclass(frozen=True)
class Unmet:
    """One requirement the proposal does not meet: which, on which days, by how much, in plain words."""

    requirement: str  # e.g. "iron_mg desayuno inicial", "haem_iron_per_week inicial", "almacen A52"
    days: tuple[date, ...]
    shortfall: float
    text: str
    kind: str = "nutrient"  # nutrient | rule | store | budget | variety | bank


@dataclass(frozen=True)
class LotUse:
    lot_id: int
    food_code: str
    lot: str
    expiry: date | None
    balance_grams: Decimal
    used_grams: Decimal


@dataclass(frozen=True)
class Purchase:
    food_code: str
    name: str
    grams: Decimal
    cost: Decimal
    estimated_price: bool = False  # the food has no price in the committee's list


@dataclass(frozen=True)
class Change:
    """A day × meal × level whose preparation the proposal changes (and why)."""

    day: date
    meal: str
    level: str
    current: str | None
    proposed: str
    reason: str


@dataclass(frozen=True)
class Proposal:
    status: str
    name: str
    start: date
    end: date
    standard_id: str
    entries: tuple[PlanEntry, ...]
    fixed: tuple[PlanEntry, ...]
    unmet: tuple[Unmet, ...]
    cost_total: Decimal | None
    cost_per_ration: Decimal | None
    rations: int
    purchases: tuple[Purchase, ...]
    lots: tuple[LotUse, ...]
    missing_prices: tuple[str, ...]
    seconds: float
    gap: float
    names: dict[str, str] = field(default_factory=dict)  # recipe id → name; food code → name of those without price
    adjusted: tuple[tuple[str, str, int], ...] = ()  # (own preparation id, base id, percent) for --portions
    # (recipe id, its region) of the proposed preparations from another region than the school's: the bank of the
    # school's region lacked enough that meet the standard for the week's rules, and the committee is told so
    foreign: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OPTIMAL

    def unmet_days(self) -> set[date]:
        return {d for u in self.unmet for d in u.days}
