"""Reception, stock and service: the facts a committee records and a supervisor audits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

CONFORMITY = ("conforme", "parcial", "rechazado")
PACKAGE_STATES = ("bueno", "abollado", "hinchado", "oxidado", "roto", "derramado", "humedo", "otro")
ADJUSTMENT_REASONS = {
    "perdida": "Pérdida",
    "deterioro": "Deterioro (malogrado)",
    "diferencia_conteo": "Diferencia de inventario",
    "devolucion": "Devolución al proveedor",
    "vencido": "Retiro por vencimiento",
}
INCIDENT_TYPES = {
    "producto_mal_estado": "Producto en mal estado",
    "ninos_enfermos": "Niños enfermos",
    "entrega_faltante": "Entrega faltante o incompleta",
    "entrega_tardia": "Entrega tardía",
    "otro": "Otro",
}
FRESH_GROUPS = ("B", "C", "U")  # fresh produce: no sanitary registration on the package


@dataclass(frozen=True)
class ReceptionLine:
    food_code: str
    product_name: str
    brand: str
    presentation: str  # e.g. "LATA 0.170 kg"
    unit: str  # LATA, BOLSA …
    net_grams_per_unit: Decimal
    quantity: Decimal  # units in the supplier's record
    accepted_units: Decimal  # units accepted (0 when rejected)
    lot: str
    production: date | None
    expiry: date | None
    sanitary_registration: str
    package_state: str
    conformity: str
    observation: str = ""

    @property
    def accepted_grams(self) -> Decimal:
        return self.accepted_units * self.net_grams_per_unit

    @property
    def rejected_units(self) -> Decimal:
        return self.quantity - self.accepted_units


@dataclass(frozen=True)
class Reception:
    day: date
    acta: str
    supplier_ruc: str
    supplier: str
    lines: tuple[ReceptionLine, ...]
    vehicle_clean: bool = True
    staff_protected: bool = True
    storage_ready: bool = True
    observation: str = ""
    arrival_time: str = ""  # "08:40", when the acta says when the truck arrived
    guide: str = ""  # the supplier's guía de remisión, when the acta names it

    @property
    def conformity(self) -> str:
        states = {ln.conformity for ln in self.lines}
        if states == {"conforme"}:
            return "conforme"
        if states == {"rechazado"}:
            return "rechazado"
        return "parcial"


@dataclass(frozen=True)
class LotInfo:
    id: int
    food_code: str
    product_name: str
    brand: str
    lot: str
    expiry: date | None
    production: date | None
    sanitary_registration: str
    presentation: str
    received_grams: Decimal
    balance_grams: Decimal
    suspended: bool
    suspension_reason: str = ""

    def days_to_expiry(self, today: date) -> int | None:
        return None if self.expiry is None else (self.expiry - today).days

    def expired(self, today: date) -> bool:
        return self.expiry is not None and self.expiry < today


@dataclass(frozen=True)
class KardexLine:
    day: date
    seq: int
    kind: str
    lot: str
    grams: Decimal
    balance: Decimal
    reason: str
    reference: str


@dataclass(frozen=True)
class IssueLine:
    food_code: str
    lot_id: int
    lot: str
    grams: Decimal


@dataclass(frozen=True)
class ServiceInput:
    day: date
    meal: str
    level: str
    recipe_id: str
    rations: int
    attendance: int
    leftovers: int = 0
    issued_override: dict[str, Decimal] | None = None  # food code → grams, when the cook corrects
    override_reason: str = ""
    # where the preparation's foods that never entered the store came from («aporte de padres»…): without
    # it a preparation with such a food is refused; with it they are recorded as food from outside the store
    outside_origin: str = ""


# Food from outside the store: the origins offered (any other short text is accepted as written)
OUTSIDE_ORIGINS = ("Aporte de padres", "Compra con dinero del comité", "Donación")
OUTSIDE_ORIGIN_MAX = 80


@lru_cache(maxsize=512)  # a file repeats one or two origins on every row
def outside_origin(text: str) -> str:
    """The origin as recorded: one of ``OUTSIDE_ORIGINS`` when it is one (whatever its case and accents),
    else the text as written, trimmed."""
    from .foods import fold

    text = " ".join((text or "").split())
    folded = fold(text)
    return next((o for o in OUTSIDE_ORIGINS if fold(o) == folded), text)


@dataclass(frozen=True)
class OutsideFood:
    """Food a service used that did not come from the store, with where it came from."""

    seq: int  # the service's journal entry
    day: date
    meal: str
    level: str
    food_code: str
    grams: Decimal
    origin: str


@dataclass(frozen=True)
class KitchenIssueLine:
    """One line of what left the store for the kitchen (salida de almacén), as the storekeeper records it."""

    day: date
    meal: str
    food_code: str
    lot: str  # the lot's code as printed on the package; blank: oldest expiry first
    grams: Decimal
    where: str = ""  # file and row, for messages
    note: str = ""


@dataclass(frozen=True)
class ServingOfLot:
    day: date
    meal: str
    level: str
    recipe_id: str
    rations: int
    grams: Decimal


@dataclass(frozen=True)
class Recall:
    lot: str
    lots: tuple[LotInfo, ...]
    servings: tuple[ServingOfLot, ...]
    children_served: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


def deviation_percent(expected_grams: Decimal, issued_grams: Decimal) -> Decimal | None:
    """How far what left the store is from what the rations needed, in per cent to one decimal (half up), from
    the two figures themselves: the one number every page prints. The report said «+11.3 %» and the supervisor's
    flag «+11.2 %» for the same quinoa, each rounding a deviation already rounded to four decimals its own way.
    None when nothing was needed."""
    if not expected_grams:
        return None
    return ((Decimal(issued_grams) - Decimal(expected_grams)) / Decimal(expected_grams) * 100).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)

