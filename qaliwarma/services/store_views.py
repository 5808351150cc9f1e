"""What the store's screens show (store, kardex, recall, reception form, rations, incidents, home),
read in one go from the other services; the desktop app runs these on its worker thread.

Each function returns plain dataclasses; the pages hand them to their models and widgets on the GUI
thread. reportlab (behind the reports' helpers) is imported only inside these functions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from qaliwarma.domain.attention import Attention
from qaliwarma.domain.stock import LotInfo, Recall
from qaliwarma.errors import NotFound
from qaliwarma.persistence.engine import Database
from qaliwarma.services import stock
from qaliwarma.services.committee import CommitteeInfo

from ..i18n import _
from ..vocab import WEEKDAYS, format_date
from ..vocab import format_kg as fmt_kg

ZERO = Decimal(0)
EVER = (date(1900, 1, 1), date(2999, 12, 31))


def fmt_date(day: date | None) -> str:
    return format_date(day, "—")


# ---------------------------------------------------------------------------------------------- the store
@dataclass(frozen=True)
class ProductStock:
    code: str
    name: str
    lots: tuple[LotInfo, ...]  # lots with stock, oldest expiry first

    @property
    def total_grams(self) -> Decimal:
        return sum((lot.balance_grams for lot in self.lots), ZERO)

    def usable_grams(self, today: date) -> Decimal:
        return sum((lot.balance_grams for lot in self.lots if not lot.suspended and not lot.expired(today)), ZERO)

    def first_expiry(self) -> date | None:
        return min((lot.expiry for lot in self.lots if lot.expiry), default=None)


def load_store(db: Database, committee_id: int) -> list[ProductStock]:
    """Every product the store ever held (an empty one keeps its kardex), with its lots in stock."""
    from qaliwarma.services.catalog import food_names

    names = food_names(db)
    grouped: dict[str, list[LotInfo]] = defaultdict(list)
    for lot in stock.lots(db, committee_id, with_empty=True):
        grouped[lot.food_code].append(lot)
    rows = []
    for code, lots in grouped.items():
        held = tuple(lot for lot in lots if lot.balance_grams > 0)
        rows.append(ProductStock(code, names.get(code) or lots[0].product_name or code, held))
    return sorted(rows, key=lambda p: (p.total_grams <= 0, p.name.lower()))


@dataclass(frozen=True)
class KardexRow:
    day: date
    seq: int
    label: str
    lot: str
    grams: Decimal
    balance: Decimal


def load_kardex(db: Database, committee_id: int, code: str) -> list[KardexRow]:
    from qaliwarma.services.stock import movement_label

    return [KardexRow(k.day, k.seq, movement_label(k), k.lot, k.grams, k.balance)
            for k in stock.kardex(db, committee_id, code)]


@dataclass(frozen=True)
class RecallView:
    recall: Recall
    product_names: dict[str, str]
    recipe_names: dict[str, str]

    @property
    def days(self) -> int:
        return len({s.day for s in self.recall.servings})


def load_recall(db: Database, committee_id: int, lot: str) -> RecallView:
    from qaliwarma.services import recipes
    from qaliwarma.services.catalog import food_names

    found = stock.recall(db, committee_id, lot)
    recipe_names = {r.id: r.name for r in recipes.list_recipes(db, committee_id=committee_id)}
    return RecallView(found, food_names(db), recipe_names)


# ---------------------------------------------------------------------------------------------- reception
@dataclass(frozen=True)
class ReceptionForm:
    """What the reception form needs: product names to search, known codes, densities, usual presentations."""

    resolver: object  # qaliwarma.services.products.ProductResolver
    choices: tuple[str, ...]  # "Quinua blanca (Puno) (A52)", "arroz (A3)"…
    codes: frozenset[str]
    densities: dict[str, str]
    presentations: dict[str, tuple[str, str]]  # code → (unit, net) from the price list and earlier receptions


def load_reception_form(db: Database, committee_id: int) -> ReceptionForm:
    from qaliwarma import units
    from qaliwarma.services import needs, recipes
    from qaliwarma.services.products import ProductResolver, _aliases, densities

    resolver = ProductResolver(db)
    units.unit_kind("kg")  # build the table of units here, not on the GUI thread at the first keystroke
    choices = [f"{name} ({code})" for code, name in resolver.names.items()]
    choices += [f"{alias} ({code})" for alias, code in _aliases().items()]
    usual: dict[str, tuple[str, str]] = {}
    for code, item in needs.price_list(db, committee_id).items():
        usual[code] = (item.presentation.upper(), item.net)
    for lot in stock.lots(db, committee_id, with_empty=True):
        unit, _unused, net = lot.presentation.partition(" ")
        if unit and net:
            usual[lot.food_code] = (unit.upper(), net)
    return ReceptionForm(resolver, tuple(sorted(choices, key=str.lower)), frozenset(recipes.known_codes(db)),
                         dict(densities()), usual)


@dataclass(frozen=True)
class ReceptionSummary:
    acta: str
    day: date
    supplier: str
    conformity: str
    lines: int
    accepted_grams: Decimal
    rejected_grams: Decimal
    voided: bool
    seq: int


def load_receptions(db: Database, committee_id: int) -> list[ReceptionSummary]:
    from qaliwarma.services import receiving
    from qaliwarma.services.receiving import find_acta, reception_of

    out = []
    for payload in receiving.received_summary(db, committee_id, *EVER):
        rec = reception_of(payload)
        entry, reversal = find_acta(db, committee_id, rec.acta)
        out.append(ReceptionSummary(
            rec.acta, rec.day, rec.supplier, rec.conformity, len(rec.lines),
            sum((ln.accepted_grams for ln in rec.lines), ZERO),
            sum((ln.rejected_units * ln.net_grams_per_unit for ln in rec.lines), ZERO),
            reversal is not None, entry.seq))
    return sorted(out, key=lambda r: (r.day, r.seq), reverse=True)


# ---------------------------------------------------------------------------------------------- rations
@dataclass(frozen=True)
class ServiceView:
    seq: int
    recipe_id: str
    rations: int
    attendance: int
    leftovers: int


@dataclass(frozen=True)
class DayData:
    day: date
    meals: tuple[str, ...]
    levels: tuple[str, ...]
    enrolment: dict[str, int]
    recipes: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]]  # meal → (id, name, levels)
    planned: dict[tuple[str, str], str]  # (meal, level) → recipe id
    recorded: dict[tuple[str, str], ServiceView]
    why_not: str  # "" on a school day
    modality: str
    plan_name: str = ""
    outside_foods: tuple[str, ...] = ()  # names of the planned preparations' foods that never entered the store
    closed: bool = False  # the day's month is closed: nothing of it is recorded again


def meals_served(committee: CommitteeInfo) -> tuple[str, ...]:
    from qaliwarma.domain.committee import serves_lunch

    return ("desayuno", "almuerzo") if serves_lunch(committee.form.quintile, committee.form.amazonian_indigenous) else ("desayuno",)


def planned_entries(db: Database, committee_id: int, start: date, end: date) -> tuple[dict, str]:
    """What the menu plans say from ``start`` to ``end``: (day, meal, level) → recipe id (the newest
    plan wins where two overlap), and the name of the plan that covers ``start``."""
    from qaliwarma.services import planning

    entries: dict[tuple[date, str, str], str] = {}
    name = ""
    for info in sorted(planning.list_plans(db, committee_id), key=lambda p: p.id):
        if info.end < start or info.start > end:
            continue
        if info.start <= start <= info.end:
            name = info.name
        for e in planning.get_plan(db, info.id, committee_id).entries:
            if start <= e.day <= end:
                entries[(e.day, e.meal, e.level)] = e.recipe_id
    return entries, name


def load_day(db: Database, committee: CommitteeInfo, day: date) -> DayData:
    from qaliwarma.services import calendar, periods, recipes, serving

    meals = meals_served(committee)
    levels = tuple(committee.levels)
    listed: dict[str, list] = defaultdict(list)
    for r in recipes.list_recipes(db, committee_id=committee.id, region=committee.form.region or None):
        listed[r.meal].append((r.id, r.name, tuple(r.levels)))
    entries, plan_name = planned_entries(db, committee.id, day, day)
    planned = {(meal, level): rid for (_d, meal, level), rid in entries.items()}
    known = {rid for group in listed.values() for rid, _n, _l in group}
    for (meal, _level), rid in planned.items():  # a planned preparation from another region stays choosable
        if rid not in known:
            recipe = recipes.get_recipe(db, rid)
            listed[meal].append((recipe.id, recipe.name, tuple(recipe.levels)))
            known.add(rid)
    recorded = {}
    for r in serving.services_in(db, committee.id, day, day):
        recorded[(r.meal, r.level)] = ServiceView(r.journal_seq, r.recipe_id, r.rations, r.attendance, r.leftovers)
        if r.recipe_id not in known:
            recipe = recipes.get_recipe(db, r.recipe_id)
            listed[r.meal].append((recipe.id, recipe.name, tuple(recipe.levels)))
            known.add(r.recipe_id)
    return DayData(day, meals, levels, {lv: committee.enrolment(lv) for lv in levels},
                   {m: tuple(sorted(v, key=lambda x: x[1].lower())) for m, v in listed.items()}, planned, recorded,
                   calendar.why_not_school_day(db, committee.id, day), committee.form.modality, plan_name,
                   _outside_foods(db, committee.id, planned) if committee.form.modality != "raciones" else (),
                   f"{day:%Y-%m}" in periods.closed_months(db, committee.id))


def _outside_foods(db: Database, committee_id: int, planned: dict[tuple[str, str], str]) -> tuple[str, ...]:
    """The foods of the day's planned preparations that never entered the store (they need an origin)."""
    from qaliwarma.services import recipes
    from qaliwarma.services.catalog import food_names
    from qaliwarma.services.serving import outside_needs

    if not planned:
        return ()
    with db.session() as s:
        stocked = stock.stocked_codes(s, committee_id)
    codes: set[str] = set()
    cache: dict[str, object] = {}
    for (_meal, level), rid in planned.items():
        try:
            recipe = cache.get(rid) or cache.setdefault(rid, recipes.get_recipe(db, rid))
        except NotFound:
            continue
        if level in recipe.levels:
            codes |= set(outside_needs(recipe, level, 1, stocked))
    if not codes:
        return ()
    names = food_names(db)
    return tuple(sorted((names.get(c, c) for c in codes), key=str.lower))


@dataclass(frozen=True)
class IssueLine:
    code: str
    name: str
    grams: Decimal  # rations × dosing


def issue_preview(db: Database, committee_id: int, recipe_id: str, level: str, rations: int) -> list[IssueLine]:
    """What leaves the store for a cell by the dosing (products the store manages only)."""
    from qaliwarma.services import recipes
    from qaliwarma.services.catalog import food_names

    recipe = recipes.get_recipe(db, recipe_id)
    stocked = set(stock.on_hand(db, committee_id))
    names = food_names(db)
    total: dict[str, Decimal] = defaultdict(Decimal)
    for ingredient, grams in recipe.gross_grams(level):
        if ingredient.code in stocked:
            total[ingredient.code] += grams * rations
    return [IssueLine(code, names.get(code, code), grams) for code, grams in sorted(total.items())]


@dataclass(frozen=True)
class MonthDay:
    day: date
    school_day: bool
    why_not: str
    recorded: int  # cells with a record
    expected: int  # cells the school serves
    rations: int


def load_month(db: Database, committee: CommitteeInfo, year: int, month: int) -> list[MonthDay]:
    import calendar as month_calendar

    from qaliwarma.services import calendar, serving

    start = date(year, month, 1)
    end = date(year, month, month_calendar.monthrange(year, month)[1])
    school = set(calendar.school_days(db, committee.id, start, end))
    cells = len(meals_served(committee)) * len(committee.levels)
    recorded: dict[date, int] = defaultdict(int)
    rations: dict[date, int] = defaultdict(int)
    for r in serving.services_in(db, committee.id, start, end):
        recorded[r.day] += 1
        rations[r.day] += r.rations
    out = []
    for day in sorted(school | set(recorded)):
        why = "" if day in school else calendar.why_not_school_day(db, committee.id, day)
        out.append(MonthDay(day, day in school, why, recorded.get(day, 0), cells, rations.get(day, 0)))
    return out


# ---------------------------------------------------------------------------------------------- incidents
@dataclass(frozen=True)
class IncidentsData:
    records: list  # qaliwarma.services.incidents.IncidentRecord, newest first
    products: list[tuple[str, str]]  # (code, name) of products the store holds or held
    lots: dict[str, list[str]]  # code → lot numbers


def load_incidents(db: Database, committee_id: int) -> IncidentsData:
    from qaliwarma.services import incidents

    records = sorted(incidents.list_incidents(db, committee_id), key=lambda r: (r.incident.day, r.seq), reverse=True)
    names = {p.code: p.name for p in load_store(db, committee_id)}
    lots: dict[str, list[str]] = defaultdict(list)
    for lot in stock.lots(db, committee_id, with_empty=True):
        if lot.lot not in lots[lot.food_code]:
            lots[lot.food_code].append(lot.lot)
    # what was rejected at a reception never entered the store, yet it is the first thing reported to the
    # programme («producto en mal estado»): its product and lot are offered too
    rejected = _rejected_lines(db, committee_id)
    if rejected:
        from qaliwarma.services.catalog import food_names

        known = food_names(db)
        for line in rejected:
            names.setdefault(line.food_code, known.get(line.food_code) or line.product_name or line.food_code)
            if line.lot and line.lot not in lots[line.food_code]:
                lots[line.food_code].append(line.lot)
    return IncidentsData(records, sorted(names.items(), key=lambda x: x[1].lower()), dict(lots))


def _rejected_lines(db: Database, committee_id: int) -> list:
    """The lines of the committee's receptions (acta not annulled) with units rejected, oldest first."""
    from qaliwarma.persistence.journal import REVERSAL, Journal
    from qaliwarma.services.receiving import reception_of

    with db.session() as s:
        entries = Journal(s, committee_id).entries("recepcion")
    annulled = {e.corrects_seq for e in entries if e.correction_type == REVERSAL}
    return [line for e in entries if e.correction_type is None and e.seq not in annulled
            for line in reception_of(e.payload).lines if line.rejected_units > 0]


# ---------------------------------------------------------------------------------------------- home
def _lot_phrase(lot: LotInfo, name: str) -> str:
    if lot.brand:
        return _("{name}, {brand} (lote {lot})").format(name=name, brand=lot.brand, lot=lot.lot)
    return _("{name} (lote {lot})").format(name=name, lot=lot.lot)


def attention(db: Database, committee: CommitteeInfo, today: date, days_ahead: int = 30) -> list[Attention]:
    """What needs the committee's attention today, in plain sentences, most urgent first."""
    from qaliwarma.services import incidents

    names = _names(db)
    items: list[Attention] = []
    lots = stock.lots(db, committee.id)

    def phrase(lot: LotInfo) -> str:
        return _lot_phrase(lot, names.get(lot.food_code, lot.product_name))

    expired = [lot for lot in lots if lot.expired(today)]
    if expired:
        items.append(Attention("almacen", (
            _("Hay 1 lote vencido en el almacén. No lo use: sáquelo del almacén con «Ajustar» (retiro por "
              "vencimiento).") if len(expired) == 1 else
            _("Hay {n} lotes vencidos en el almacén. No los use: sáquelos del almacén con «Ajustar» (retiro por "
              "vencimiento).").format(n=len(expired))), "critical",
            tuple(_("{lot}: venció el {day}; quedan {kg}.").format(lot=phrase(lot), day=fmt_date(lot.expiry),
                                                                  kg=fmt_kg(lot.balance_grams)) for lot in expired),
            tuple((lot.food_code, lot.id) for lot in expired)))
    soon = [lot for lot in stock.expiring(db, committee.id, today, days_ahead) if not lot.expired(today)]
    if soon:
        def when(lot: LotInfo) -> str:
            n = (lot.expiry - today).days
            return _("hoy") if n == 0 else _("mañana") if n == 1 else _("en {n} días").format(n=n)

        items.append(Attention("almacen", (
            _("1 lote vence en los próximos {days} días: úselo primero.").format(days=days_ahead) if len(soon) == 1
            else _("{n} lotes vencen en los próximos {days} días: úselos primero.").format(n=len(soon),
                                                                                       days=days_ahead)),
            "warning",
            tuple(_("{lot}: vence el {day} ({when}); quedan {kg}.").format(
                lot=phrase(lot), day=fmt_date(lot.expiry), when=when(lot), kg=fmt_kg(lot.balance_grams))
                for lot in soon), tuple((lot.food_code, lot.id) for lot in soon)))
    suspended = [lot for lot in lots if lot.suspended]
    if suspended:
        items.append(Attention("almacen", _(
            "Hay lotes suspendidos por el programa en el almacén. No los use; guárdelos aparte hasta que el "
            "programa diga qué hacer."), "critical",
            tuple(f"{phrase(lot)}: {fmt_kg(lot.balance_grams)}"
                  + (f" — {lot.suspension_reason}" if lot.suspension_reason else "") for lot in suspended),
            tuple((lot.food_code, lot.id) for lot in suspended)))
    from qaliwarma.services import periods

    closed = set(periods.closed_months(db, committee.id))  # read once for both (the first page's queries)
    items += _month_to_close(db, committee, today, closed)
    items += _missing_days(db, committee, today, closed)
    items += _short_stock(db, committee, today, lots, names)
    pending = [r for r in incidents.list_incidents(db, committee.id) if not r.incident.reported_to_programme]
    if pending:
        items.append(Attention("incidencias", (
            _("1 incidencia no se ha reportado al programa. Repórtela a la Unidad Territorial o a la línea gratuita "
              "y anote la referencia.") if len(pending) == 1 else
            _("{n} incidencias no se han reportado al programa. Repórtelas a la Unidad Territorial o a la línea "
              "gratuita y anote la referencia.").format(n=len(pending))), "warning",
            tuple(f"{fmt_date(r.incident.day)}: {r.incident.description}" for r in pending)))
    return items


def _names(db: Database) -> dict[str, str]:
    from qaliwarma.services.catalog import food_names

    return food_names(db)


def _month_to_close(db: Database, committee: CommitteeInfo, today: date, closed: set[str]) -> list[Attention]:
    """A month that has ended and is still open: its report is not signed nor its package sent until it closes."""
    from qaliwarma.services.month_end import months_to_close
    from qaliwarma.vocab import period_label

    months = months_to_close(db, committee.id, today, closed)
    if not months:
        return []
    label = period_label(months[0])
    text = _("{month} ya terminó y todavía no está cerrado: revise su lista en «Cierre de mes» y ciérrelo; después "
             "imprima su informe para que lo firme el comité y envíe el paquete al supervisor.").format(
        month=label[:1].upper() + label[1:])
    later = tuple(_("También sigue abierto {month}.").format(month=period_label(m)) for m in months[1:])
    return [Attention("cierre", text, "warning", later)]


def _missing_days(db: Database, committee: CommitteeInfo, today: date, closed: set[str]) -> list[Attention]:
    """School days of this month, up to yesterday, without any service record."""
    from qaliwarma.services import calendar, serving

    first = today.replace(day=1)
    yesterday = today - timedelta(days=1)
    if yesterday < first or f"{first:%Y-%m}" in closed:
        return []  # a closed month (closed early) takes no more records: nothing to ask for
    done = {r.day for r in serving.services_in(db, committee.id, first, yesterday)}
    missing = [d for d in calendar.school_days(db, committee.id, first, yesterday) if d not in done]
    if not missing:
        return []
    listed = ", ".join(f"{_(WEEKDAYS[d.weekday()])} {d:%d/%m}" for d in missing[:8])
    if len(missing) > 8:
        listed += " " + _("y {n} más").format(n=len(missing) - 8)
    if len(missing) == 1:
        text = _("Falta registrar las raciones de 1 día de clases de este mes ({days}).").format(days=listed)
    else:
        text = _("Falta registrar las raciones de {n} días de clases de este mes: {days}.").format(
            n=len(missing), days=listed)
    return [Attention("raciones", text)]


def _short_stock(db: Database, committee: CommitteeInfo, today: date, lots: list[LotInfo],
                 names: dict[str, str]) -> list[Attention]:
    """Products the store manages whose usable stock (not expired, not suspended) won't last the plan."""
    from qaliwarma.domain.menus import Plan, PlanEntry, PlanInfo
    from qaliwarma.services import needs

    entries, _name = planned_entries(db, committee.id, today, date(today.year + 1, 12, 31))
    if not entries:
        return []
    usable: dict[str, Decimal] = defaultdict(Decimal)
    for lot in lots:
        if not lot.suspended and not lot.expired(today):
            usable[lot.food_code] += lot.balance_grams
    stocked = set(stock.on_hand(db, committee.id))
    last = max(d for d, _m, _l in entries)
    plan = Plan(PlanInfo(0, "", today, last, None, len(entries)),
                tuple(PlanEntry(d, m, lv, rid) for (d, m, lv), rid in sorted(entries.items())))
    result = needs.plan_needs(db, plan, committee, stock=lambda code: usable.get(code, ZERO), names=names)
    short = [ln for ln in result.lines if ln.code in stocked and ln.short_grams and ln.short_grams > 0]
    if not short:
        return []
    return [Attention("menu", _(
        "Lo que hay en el almacén no alcanza para el menú planificado hasta el {day}. Avise al programa o ajuste "
        "el menú.").format(day=fmt_date(last)), "warning",
        tuple(_("{name}: faltan {short} (hay {held}, el menú necesita {need}).").format(
            name=ln.name, short=fmt_kg(ln.short_grams), held=fmt_kg(ln.in_stock_grams or 0),
            need=fmt_kg(ln.total_grams)) for ln in short))]
