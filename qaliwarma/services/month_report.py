"""Everything the monthly accountability report prints, read once, as plain data (``reports/monthly.py``
lays it out and gathers nothing itself).

The month's ratings, flags and verification code come from ``services.month_review`` (the bundle
``qaliwarma export`` would write, measured by the supervisor's own checks); the deliveries and receipts
from ``services.month_supplies``; the rations from ``services.month_rations``; the money from
``services.treasury``. The store's month is read from the month's movements and each product's balance
carried into the month (one sum per product), not from each product's whole kardex.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import BigInteger, cast, func, select

from ..domain.flags import Flag
from ..domain.menus import Plan, PlanCheck, PlanEntry, PlanInfo
from ..errors import NotFound
from ..persistence.journal import CLOSING
from ..persistence.models import JournalEntry, StockLot, StockMovement
from . import compliance as compliance_service
from . import export, incidents, periods, serving, standards
from . import recipes as recipe_service
from . import treasury as treasury_service
from .catalog import food_names
from .month_rations import MonthRecord, month_record
from .month_review import MonthReview
from .month_review import review as review_month
from .month_supplies import MonthSupplies, month_supplies
from .receiving import recorded_day

QR_TAG = "QWCAE"
ZERO = Decimal(0)
MILLI = Decimal(1000)


@dataclass(frozen=True)
class StockRow:
    """One product's month in the store, in grams."""

    food_code: str
    name: str
    opening: Decimal
    received: Decimal
    used: Decimal
    losses: Decimal
    other: Decimal  # corrections and adjustments in (+) or out that are not losses
    closing: Decimal


@dataclass
class MonthFacts:
    """Everything the monthly report prints, read once."""

    month: str
    start: date
    end: date
    today: date
    closed: bool
    closing_seq: int | None  # the closing entry (periodo.cierre) of a closed month
    closing_day: date | None  # the day it was recorded
    bundle_code: str
    code: str  # the verification code, grouped for reading
    qr_payload: str
    record: MonthRecord
    plan: list[tuple]  # (day, meal, level, recipe, plan id, standard id) per day × meal × level
    check: PlanCheck | None
    recipe_names: dict[str, str]
    stock_rows: list[StockRow]
    yields: list
    expiring: list[dict]  # the bundle's por_vencer.csv rows
    incidents: list
    money: object | None  # treasury Balance, when the school manages money
    flags: list[Flag]
    review: MonthReview | None = None
    served: list[tuple] = field(default_factory=list)  # (day, meal, level, recipe) of each service
    names: dict[str, str] = field(default_factory=dict)
    supplies: MonthSupplies | None = None  # deliveries, receipts, programme food apart from food bought


def _closing(db, committee_id: int, month: str, end: date) -> tuple[int | None, date | None]:
    """The month's closing entry: its number and the day it was recorded."""
    with db.session() as s:
        rows = s.execute(select(JournalEntry.seq, JournalEntry.payload, JournalEntry.recorded_at).where(
            JournalEntry.committee_id == committee_id, JournalEntry.kind == CLOSING,
            JournalEntry.entry_date == end).order_by(JournalEntry.seq.desc())).all()
    for seq, payload, recorded_at in rows:
        if json.loads(payload).get("month") == month:
            return seq, recorded_day(SimpleNamespace(recorded_at=recorded_at))
    return None, None


def _grams(total) -> Decimal:
    """A sum of thousandths of a gram (an exact integer in the database) back in grams."""
    return Decimal(int(total or 0)) / MILLI


def stock_rows(db, committee_id: int, start: date, end: date, names: dict[str, str]) -> list[StockRow]:
    """Per product that was in the store during the month: opening balance (every movement before the
    month, summed in the database), what came in, went to the kitchen, was lost or corrected, and the
    closing balance. The same figures as each product's kardex cut to the month."""
    milli = cast(func.round(StockMovement.grams * 1000), BigInteger)
    with db.session() as s:
        lots = s.execute(select(StockLot.food_code, StockLot.product_name, StockLot.expiry, StockLot.id)
                         .where(StockLot.committee_id == committee_id)).all()
        opening = {code: _grams(total) for code, total in s.execute(
            select(StockMovement.food_code, func.sum(milli)).where(
                StockMovement.committee_id == committee_id, StockMovement.day < start)
            .group_by(StockMovement.food_code))}
        moves = s.execute(select(StockMovement.food_code, StockMovement.kind, StockMovement.grams).where(
            StockMovement.committee_id == committee_id, StockMovement.day >= start, StockMovement.day <= end)).all()
    products: dict[str, str] = {}
    for code, product_name, _expiry, _id in sorted(lots, key=lambda r: (r[0], r[2] or date.max, r[3])):
        products.setdefault(code, product_name or names.get(code, code))
    in_month: dict[str, list[tuple[str, Decimal]]] = {}
    for code, kind, grams in moves:
        in_month.setdefault(code, []).append((kind, Decimal(grams)))
    rows = []
    for code, name in products.items():
        lines = in_month.get(code, [])
        start_g = opening.get(code, ZERO)
        if not lines and start_g == 0:
            continue  # never in the store during the month
        received = used = losses = other = ZERO
        for kind, grams in lines:
            if kind == "recepcion":
                received += grams
            elif kind in ("salida", "retorno"):
                used -= grams
            elif kind == "ajuste" and grams < 0:
                losses -= grams
            else:
                other += grams
        closing = start_g + sum((g for _, g in lines), ZERO)
        rows.append(StockRow(code, name, start_g, received, used, losses, other, closing))
    return sorted(rows, key=lambda r: r.name.lower())


def plan_check(db, committee, plan_entries: list[tuple]) -> PlanCheck | None:
    """The month's plan entries checked as ``services.export`` checks them for the bundle."""
    if not plan_entries:
        return None
    plan = Plan(PlanInfo(0, "mes", plan_entries[0][0], plan_entries[-1][0], plan_entries[0][5], len(plan_entries)),
                tuple(PlanEntry(d, m, lv, r) for d, m, lv, r, _, _ in plan_entries))
    standard = standards.get_standard(db, plan_entries[0][5])
    return compliance_service.check_plan(db, plan, standard, committee)


def recipe_names(db, ids) -> dict[str, str]:
    out = {}
    for rid in sorted(set(ids)):
        try:
            out[rid] = recipe_service.get_recipe(db, rid).name
        except NotFound:  # a committee's own recipe deleted since: print its code
            out[rid] = rid
    return out


def month_facts(db, committee, month: str, *, today: date | None = None) -> MonthFacts:
    """Read the month: the bundle ``qaliwarma export`` would write (its code and flags) and the records."""
    from .committee import for_month

    committee = for_month(db, committee, month)  # a closed month: the data its closing found (the bundle's too)
    start, end = periods.month_bounds(month)
    today = today or date.today()
    review = review_month(db, committee, month, today=today)
    bundle, full_code, manifest = review.bundle, review.bundle_code, review.bundle.manifest
    codigo = committee.form.codigo_modular
    names = food_names(db)
    plan = export._plan_entries(db, committee.id, start, end)
    services = serving.services_in(db, committee.id, start, end)
    money = None
    closing_seq, closing_day = _closing(db, committee.id, month, end) if manifest["closed"] else (None, None)
    if bundle.json("tesoreria.json").get("manages_money"):
        money = treasury_service.balance(db, committee.id, month)
        if manifest["closed"]:  # the rendición as the bundle carries it: as it stood at the closing
            from dataclasses import replace

            money = replace(money, state=bundle.json("tesoreria.json").get("state", money.state))
    return MonthFacts(
        month=month, start=start, end=end, today=today, closed=bool(manifest["closed"]),
        closing_seq=closing_seq, closing_day=closing_day,
        bundle_code=full_code, code=export.verification_code(full_code),
        qr_payload=f"{QR_TAG}|{codigo}|{month}|{full_code}",
        record=month_record(db, committee, start.year, start.month), plan=plan,
        check=plan_check(db, committee, plan),
        recipe_names=recipe_names(db, [p[3] for p in plan] + [s.recipe_id for s in services]),
        stock_rows=stock_rows(db, committee.id, start, end, names),
        yields=serving.yield_check(db, committee, start, end),
        expiring=bundle.csv("por_vencer.csv"),
        incidents=sorted(incidents.list_incidents(db, committee.id, start, end),
                         key=lambda r: (r.incident.day, r.seq)),
        money=money, flags=list(review.flags), names=names, review=review,
        served=[(s.day, s.meal, s.level, s.recipe_id) for s in services],
        supplies=month_supplies(db, committee.id, month),
    )
