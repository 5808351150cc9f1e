"""Daily service: rations served per day × meal × level; the food used leaves the store by the
dosing (FEFO), unless the cook corrects it with a reason. Also the yield check."""

from __future__ import annotations

from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select

from ..domain.stock import OUTSIDE_ORIGIN_MAX, OutsideFood, ServiceInput, outside_origin
from ..errors import InvalidInput, JournalError, PeriodClosed, Problem
from ..i18n import _
from ..persistence.engine import Database
from ..persistence.journal import Journal, lock_committee
from ..persistence.models import JournalEntry, ServiceRecord, StockMovement
from . import recipes as recipe_service
from . import stock
from .committee import CommitteeInfo

ZERO = Decimal(0)


@dataclass(frozen=True)
class ServiceResult:
    seq: int
    issued: dict[str, Decimal]
    warnings: tuple[str, ...]
    outside: dict[str, Decimal] = field(default_factory=dict)  # food code → grams from outside the store


def _needs(recipe, level: str, rations: int, stocked: set[str]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(Decimal)
    for ingredient, grams in recipe.gross_grams(level):
        if ingredient.code in stocked:
            out[ingredient.code] += grams * rations
    return dict(out)


def outside_needs(recipe, level: str, rations: int, stocked: set[str]) -> dict[str, Decimal]:
    """The preparation's foods that never entered the store (grams for ``rations``): they cannot leave it,
    so the service names where they came from, or it is refused."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    for ingredient, grams in recipe.gross_grams(level):
        if ingredient.code not in stocked and grams > 0:
            out[ingredient.code] += grams * rations
    return dict(out)


def _outside_problem(item: ServiceInput, recipe, codes, names: dict[str, str]) -> str:
    listed = ", ".join(names.get(c, c) for c in codes)
    meal = {"desayuno": _("el desayuno"), "almuerzo": _("el almuerzo")}.get(item.meal, item.meal)
    tail = _("Registre primero su ingreso al almacén, o anote de dónde vino (origen de lo que no sale del almacén: "
             "aporte de padres, compra con dinero del comité, donación…)")
    if len(codes) == 1:
        head = _("el {day:%d/%m/%Y}, en {meal}, «{recipe_id}» lleva {listed}, que nunca entró al almacén: no puede "
                 "salir de él.")
    else:
        head = _("el {day:%d/%m/%Y}, en {meal}, «{recipe_id}» lleva {listed}, que nunca entraron al almacén: no "
                 "pueden salir de él.")
    return head.format(day=item.day, meal=meal, recipe_id=recipe.name, listed=listed) + " " + tail


def validate(db: Database, committee: CommitteeInfo, items: list[ServiceInput],
             where: list[str] | None = None) -> tuple[list[Problem], list[str]]:
    problems, warnings, _recipes = _validate(db, committee, items, where)
    return problems, warnings


def _validate(db: Database, committee: CommitteeInfo, items: list[ServiceInput],
              where: list[str] | None = None) -> tuple[list[Problem], list[str], dict]:
    """Problems, warnings and the preparations the items name (read once, in one query)."""
    problems: list[Problem] = []
    warnings: list[str] = []
    from . import calendar
    from .catalog import food_names

    with db.session() as s:
        active = {tuple(r) for r in s.execute(select(ServiceRecord.day, ServiceRecord.meal, ServiceRecord.level).where(
            ServiceRecord.committee_id == committee.id, ServiceRecord.active.is_(True)))}
        stocked = stock.stocked_codes(s, committee.id)
    names: dict[str, str] | None = None
    # raciones modality: the day's ready rations come from the programme's supplier (rations_received), not
    # from a store, so its preparations have no food «from outside the store»
    ready_rations = committee.form.modality == "raciones"
    seen: set = set()
    recipe_cache: dict[str, object] = dict(recipe_service.get_recipes(db, {i.recipe_id for i in items}))
    calendars: dict[int, object] = {}
    for n, item in enumerate(items):
        place = where[n] if where else f"{item.day:%d/%m/%Y} {item.meal} {item.level}"
        key = (item.day, item.meal, item.level)
        if key in active or key in seen:
            problems.append(Problem(place, _("ya hay un registro de servicio para ese día, comida y nivel "
                                           "(para corregirlo, revierta el registro anterior)")))
        seen.add(key)
        if item.level not in committee.levels:
            problems.append(Problem(place, _("la escuela no tiene el nivel «{level}»").format(level=item.level)))
        if item.meal not in ("desayuno", "almuerzo"):
            problems.append(Problem(place, _("comida «{meal}»: use desayuno o almuerzo").format(meal=item.meal)))
        if item.rations < 0 or item.attendance < 0 or item.leftovers < 0:
            problems.append(Problem(place, _("raciones, asistentes y sobras no pueden ser negativos")))
        recipe = recipe_cache.get(item.recipe_id)
        if recipe is None:
            problems.append(Problem(place, _("preparación desconocida «{recipe_id}»").format(recipe_id=item.recipe_id)))
        elif item.level not in recipe.levels:
            problems.append(Problem(place, _("«{recipe_id}» no tiene dosificación para {level}").format(recipe_id=item.recipe_id, level=item.level)))
        elif not ready_rations:  # food never in the store is never «used» from nothing: refused, or its origin named
            outside = outside_needs(recipe, item.level, 1, stocked)
            if outside and not item.outside_origin.strip():
                names = names if names is not None else food_names(db)
                problems.append(Problem(place, _outside_problem(item, recipe, sorted(outside), names)))
        if len(item.outside_origin.strip()) > OUTSIDE_ORIGIN_MAX:
            problems.append(Problem(place, _("el origen de lo que no sale del almacén es muy largo (más de {OUTSIDE_ORIGIN_MAX} letras)").format(OUTSIDE_ORIGIN_MAX=OUTSIDE_ORIGIN_MAX)))
        if item.issued_override is not None and not item.override_reason.strip():
            problems.append(Problem(place, _("si corrige lo que salió del almacén, escriba el motivo")))
        enrolled = committee.enrolment(item.level)
        if item.level in committee.levels and item.rations > enrolled:
            warnings.append(_("{place}: {rations} raciones para {enrolled} matriculados en {level}").format(place=place, rations=item.rations, enrolled=enrolled, level=item.level))
        if item.day.year not in calendars:
            calendars[item.day.year] = calendar.school_calendar(db, committee.id, item.day.year)
        reason = calendars[item.day.year].why_not(item.day)
        if reason:
            warnings.append(_("{place}: servicio en un día que no es de clases ({reason})").format(place=place, reason=reason))
    return problems, warnings, recipe_cache


def record(db: Database, committee: CommitteeInfo, items: list[ServiceInput], *, user: str,
           where: list[str] | None = None, session=None,
           declared: set[tuple[date, str, str]] | None = None) -> list[ServiceResult]:
    """Record services (all or nothing), in date order, issuing food from the store by FEFO.
    ``session``: the caller's unit of work (a file that also records the day's issue), else its own.
    ``declared``: (day, meal, food code) whose real issue the same unit records next (``kitchen_issue``): the
    dosing's proposal of that product is issued only when the store holds it (the declared lines replace it);
    when it does not — the kitchen used less because stock was short — the store is checked on the declared
    lines alone, and the service's entry names the products it did not propose («issue_declared»)."""
    problems, warnings, recipes = _validate(db, committee, items, where)
    if problems:
        raise InvalidInput(_("El registro de raciones tiene errores; no se registró nada."), problems)
    results: list[ServiceResult] = []
    order = sorted(range(len(items)), key=lambda i: (items[i].day, items[i].meal != "desayuno", items[i].level))
    with nullcontext(session) if session is not None else db.session() as s:
        lock_committee(s, committee.id)  # before the checks that read existing rows
        journal = Journal(s, committee.id, batch=True)  # one unit: closed months and chain head read once
        stocked = stock.stocked_codes(s, committee.id)
        open_lots = stock.open_lots(s, committee.id)  # no lot is created while serving: read them once
        movements: list[dict] = []  # kardex lines and service rows: inserted together after the loop
        service_rows: list[dict] = []
        shortages: list[Problem] = []  # every cell the store cannot serve, each product short: said together
        for i in order:
            item = items[i]
            needs = _needs(recipes[item.recipe_id], item.level, item.rations, stocked)
            if item.issued_override is not None:
                needs = {**needs, **{c: g for c, g in item.issued_override.items()}}
            reference = f"{item.day:%d/%m/%Y} {item.meal} {item.level}"
            payload = {"day": item.day, "meal": item.meal, "level": item.level, "recipe_id": item.recipe_id,
                       "rations": item.rations, "attendance": item.attendance, "leftovers": item.leftovers,
                       "issued_override": item.issued_override, "override_reason": item.override_reason}
            if declared:
                short = _short_declared(s, committee.id, item, needs, declared, open_lots)
                if short:
                    needs = {c: g for c, g in needs.items() if c not in short}
                    payload["issue_declared"] = short
            # what it takes from the store, per product: the journal states it (`verify` rebuilds the kardex
            # from it even after the preparation's dosage changed)
            payload["from_store"] = {c: g for c, g in sorted(needs.items()) if g > 0}
            outside = ({} if committee.form.modality == "raciones" else
                       outside_needs(recipes[item.recipe_id], item.level, item.rations, stocked))
            if outside:  # recorded as such, with its origin (only then: older entries read the same)
                origin = outside_origin(item.outside_origin)
                payload["outside"] = [{"food_code": c, "grams": g, "origin": origin} for c, g in sorted(outside.items())]
            short: list[str] = []
            try:
                entry = journal.append("servicio", item.day, payload, user=user)
                reasons = ({c: (stock.CORRECTED + item.override_reason.strip())[:200] for c in item.issued_override}
                           if item.issued_override else None)
                lines = stock.issue(s, journal, entry.seq, item.day, needs, reference, open_lots, movements,
                                    reasons, short)
            except PeriodClosed:
                raise
            except (InvalidInput, JournalError) as exc:
                place = where[i] if where else reference
                raise InvalidInput(_("El registro de raciones no se pudo hacer; no se registró nada."),
                                   [Problem(place, exc.message)]) from exc
            if short or shortages:  # the unit is refused below: the rest is only read for what else is short
                shortages += [Problem(where[i] if where else reference, message) for message in short]
                continue
            service_rows.append(dict(committee_id=committee.id, journal_seq=entry.seq, day=item.day, meal=item.meal,
                                     level=item.level, recipe_id=item.recipe_id, rations=item.rations,
                                     attendance=item.attendance, leftovers=item.leftovers, active=True))
            issued: dict[str, Decimal] = defaultdict(Decimal)
            for ln in lines:
                issued[ln.food_code] += ln.grams
            place = where[i] if where else reference
            results.append(ServiceResult(entry.seq, dict(issued), tuple(w for w in warnings
                                                                        if w.startswith(place + ":")), outside))
        if shortages:
            raise InvalidInput(_("El registro de raciones no se pudo hacer; no se registró nada."), shortages)
        s.flush()  # the lots' balances, once for the file
        journal.write()  # the journal's entries, then the kardex lines and service rows: one insert each
        if movements:
            s.connection().execute(insert(StockMovement.__table__), movements)
        if service_rows:
            s.connection().execute(insert(ServiceRecord.__table__), service_rows)
    return results


def _short_declared(s, committee_id: int, item: ServiceInput, needs: dict[str, Decimal],
                    declared: set[tuple[date, str, str]], open_lots) -> list[str]:
    """The products of ``needs`` whose issue the unit declares for the item's day and meal and that the store
    cannot give by the dosing now: their proposal is not issued (the declared lines are checked instead)."""
    short = []
    for code, grams in sorted(needs.items()):
        if grams <= 0 or (item.day, item.meal, code) not in declared:
            continue
        try:
            stock.plan_fefo(s, committee_id, code, grams, item.day, open_lots)
        except InvalidInput:
            short.append(code)
    return short


def reverse(db: Database, committee_id: int, seq: int, *, user: str, reason: str, day: date) -> int:
    """Correct a reception, a service or an adjustment by reversing it (see services.corrections)."""
    from .corrections import reverse as reverse_entry

    return reverse_entry(db, committee_id, seq, user=user, reason=reason, day=day)


@dataclass(frozen=True)
class YieldLine:
    food_code: str
    name: str
    expected_grams: Decimal  # rations served × dosing
    issued_grams: Decimal  # what left the store for the kitchen
    losses_grams: Decimal  # adjustments out (loss, spoilage, count difference)
    deviation: Decimal | None  # (issued − expected) / expected
    flagged: bool
    days: tuple[date, ...] = ()  # the days whose own issue deviates beyond the threshold
    by_day: tuple[tuple[date, Decimal, Decimal], ...] = ()  # those days: (day, expected, issued) grams

    @property
    def difference_grams(self) -> Decimal:
        return self.issued_grams - self.expected_grams


def yield_threshold() -> Decimal:
    """The yield check's tolerance as a fraction (``resources/checks/ratings.toml``)."""
    from ..domain.flags import threshold

    return threshold("rendimiento", "threshold_pct") / 100


def _off(issued: Decimal, expected: Decimal, threshold: Decimal) -> bool:
    if not expected:
        return issued > 0
    return abs(issued - expected) / expected > threshold


def yield_check(db: Database, committee: CommitteeInfo, start: date, end: date,
                threshold: Decimal | None = None) -> list[YieldLine]:
    """Food issued vs rations served × dosing, per product, over a period; deviations over the
    threshold (``ratings.toml``, 5 %) are flagged with the days that deviate."""
    from .catalog import food_names

    threshold = yield_threshold() if threshold is None else threshold

    names = food_names(db)
    with db.session() as s:
        stocked = stock.stocked_codes(s, committee.id)
        services = s.scalars(select(ServiceRecord).where(ServiceRecord.committee_id == committee.id,
                                                         ServiceRecord.active.is_(True),
                                                         ServiceRecord.day >= start, ServiceRecord.day <= end)).all()
        movements = s.scalars(select(StockMovement).where(StockMovement.committee_id == committee.id,
                                                          StockMovement.day >= start, StockMovement.day <= end)).all()
        reversed_seqs = {e.corrects_seq for e in s.scalars(select(JournalEntry).where(
            JournalEntry.committee_id == committee.id, JournalEntry.correction_type == "reversal"))}
    expected: dict[str, Decimal] = defaultdict(Decimal)
    by_day: dict[tuple[str, date], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])  # (expected, issued)
    recipes = {}
    came_from_outside: dict[int, set[str]] = defaultdict(set)  # a product the store took in later stays outside
    for o in outside_food(db, committee.id, start, end):
        came_from_outside[o.seq].add(o.food_code)
    for r in services:
        recipe = recipes.get(r.recipe_id) or recipes.setdefault(r.recipe_id, recipe_service.get_recipe(db, r.recipe_id))
        for code, grams in _needs(recipe, r.level, r.rations, stocked).items():
            if code in came_from_outside.get(r.journal_seq, ()):
                continue
            expected[code] += grams
            by_day[(code, r.day)][0] += grams
    issued: dict[str, Decimal] = defaultdict(Decimal)
    losses: dict[str, Decimal] = defaultdict(Decimal)
    for m in movements:
        if m.journal_seq in reversed_seqs or m.kind == "correccion":
            continue
        if m.kind in ("salida", "retorno"):  # a «retorno» puts back a proposal the recorded issue replaced
            issued[m.food_code] += -Decimal(m.grams)
            by_day[(m.food_code, m.day)][1] += -Decimal(m.grams)
        elif m.kind == "ajuste" and m.grams < 0:
            losses[m.food_code] += -Decimal(m.grams)
    lines = []
    for code in sorted(set(expected) | set(issued) | set(losses), key=lambda c: names.get(c, c)):
        exp, out = expected.get(code, ZERO), issued.get(code, ZERO)
        deviation = ((out - exp) / exp).quantize(Decimal("0.0001")) if exp else None
        days = tuple(sorted(d for (c, d), (e, i) in by_day.items() if c == code and _off(i, e, threshold)))
        flagged = _off(out, exp, threshold) or bool(days)  # a month that evens out hides no day
        by = tuple((d, by_day[(code, d)][0], by_day[(code, d)][1]) for d in days)
        lines.append(YieldLine(code, names.get(code, code), exp, out, losses.get(code, ZERO), deviation, flagged,
                               days, by))
    return lines


@dataclass(frozen=True)
class ServiceRow:
    """A service record as it stands (reversed ones excluded)."""

    journal_seq: int
    day: date
    meal: str
    level: str
    recipe_id: str
    rations: int
    attendance: int
    leftovers: int


def services_in(db: Database, committee_id: int, start: date, end: date) -> list[ServiceRow]:
    with db.session() as s:
        rows = s.scalars(select(ServiceRecord).where(ServiceRecord.committee_id == committee_id,
                                                     ServiceRecord.active.is_(True), ServiceRecord.day >= start,
                                                     ServiceRecord.day <= end)
                         .order_by(ServiceRecord.day, ServiceRecord.meal, ServiceRecord.level)).all()
        return [ServiceRow(r.journal_seq, r.day, r.meal, r.level, r.recipe_id, r.rations, r.attendance, r.leftovers)
                for r in rows]


def outside_food(db: Database, committee_id: int, start: date, end: date, food_code: str | None = None) -> list[OutsideFood]:
    """Food from outside the store the services of ``start``..``end`` used, with its origin, as recorded
    on each service's journal entry (reversed services excluded)."""
    with db.session() as s:
        entries = Journal(s, committee_id).entries("servicio", start=start, end=end)
        reversed_seqs = set(s.scalars(select(JournalEntry.corrects_seq).where(
            JournalEntry.committee_id == committee_id, JournalEntry.correction_type == "reversal")))
    out = []
    for e in entries:
        if e.correction_type is not None or e.seq in reversed_seqs:
            continue
        for line in e.payload.get("outside") or ():
            if food_code is None or line["food_code"] == food_code:
                out.append(OutsideFood(e.seq, date.fromisoformat(e.payload["day"]), e.payload["meal"],
                                       e.payload["level"], line["food_code"], Decimal(str(line["grams"])),
                                       line["origin"]))
    return sorted(out, key=lambda o: (o.day, o.meal != "desayuno", o.level, o.food_code))
