"""What left the store for the kitchen (salida de almacén), recorded as its own journal entry.

Recording the rations of a meal issues its food by the dosing (FEFO), as a proposal. When the
storekeeper records what really left the store for that day and meal (product, lot, quantity), that
record replaces the proposal: in one unit of work the proposed issue goes back to its lots («retorno»)
and the recorded lines leave the store. The yield check then compares two independent figures: what
was issued against rations served × dosing. Reversing the recorded issue brings the proposal back.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select

from ..domain.stock import KitchenIssueLine
from ..errors import InvalidInput, JournalError, PeriodClosed, Problem
from ..i18n import _
from ..persistence.engine import Database
from ..persistence.journal import Journal
from ..persistence.models import JournalEntry, ServiceRecord, StockLot, StockMovement
from . import stock
from .committee import CommitteeInfo

KIND = "stock.salida"
MEALS = ("desayuno", "almuerzo")


@dataclass(frozen=True)
class IssueResult:
    seq: int
    day: date
    meal: str
    issued: dict[str, Decimal]  # food code → grams that left the store
    returned: dict[str, Decimal]  # food code → grams of the replaced proposal put back
    services: int  # service records of that day and meal


def _reversed(s, committee_id: int) -> set[int]:
    return set(s.scalars(select(JournalEntry.corrects_seq).where(
        JournalEntry.committee_id == committee_id, JournalEntry.correction_type == "reversal")))


def current_issue(s, committee_id: int, day: date, meal: str, food_code: str) -> list[StockMovement]:
    """The live «salida» movements that are the issue of ``food_code`` for ``day`` × ``meal`` now: the
    services' proposals and earlier recorded issues, unless reversed or already replaced."""
    gone = _reversed(s, committee_id)
    seqs = [r.journal_seq for r in s.scalars(select(ServiceRecord).where(
        ServiceRecord.committee_id == committee_id, ServiceRecord.active.is_(True), ServiceRecord.day == day,
        ServiceRecord.meal == meal))]
    seqs += [e.seq for e in s.scalars(select(JournalEntry).where(
        JournalEntry.committee_id == committee_id, JournalEntry.kind == KIND, JournalEntry.entry_date == day,
        JournalEntry.correction_type.is_(None))) if json.loads(e.payload).get("meal") == meal]
    replaced = set(s.scalars(select(StockMovement.reference).where(
        StockMovement.committee_id == committee_id, StockMovement.kind == "retorno",
        StockMovement.food_code == food_code)))
    return list(s.scalars(select(StockMovement).where(
        StockMovement.committee_id == committee_id, StockMovement.kind == "salida",
        StockMovement.food_code == food_code, StockMovement.journal_seq.in_(
            [q for q in seqs if q not in gone and _ref(q) not in replaced]))))


def replaced_ref(seq: int) -> str:
    """The reference of the «retorno» movements that put back what entry ``seq`` had issued."""
    return _ref(seq)


def _ref(seq: int) -> str:
    return f"reemplaza la salida del asiento n.º {seq}"


def record(db: Database, committee: CommitteeInfo, lines: list[KitchenIssueLine], *, user: str) -> list[IssueResult]:
    """Record the issues (all or nothing), one journal entry per day × meal."""
    problems = check(db, committee, lines)
    if problems:
        raise InvalidInput(_("La salida de almacén tiene errores; no se registró nada."), problems)
    with db.session() as s:
        return record_in(s, committee, lines, user=user)


def _place(line: KitchenIssueLine, column: str) -> str:
    """Where a line's mistake is: the file's row and column when it came from a file."""
    if line.where:
        return _("{where}, columna {column}").format(where=line.where, column=column)
    return f"{line.day:%d/%m/%Y} {line.meal} {line.food_code}"


def check(db: Database, committee: CommitteeInfo, lines: list[KitchenIssueLine]) -> list[Problem]:
    """Every problem of the lines, each naming the row and column when they came from a file: a meal
    that is not one, a product that never entered the store, a lot the store never had, no quantity."""
    problems: list[Problem] = []
    with db.session() as s:
        stocked = stock.stocked_codes(s, committee.id)
        held = {(code, lot.upper()) for code, lot in s.execute(select(StockLot.food_code, StockLot.lot).where(
            StockLot.committee_id == committee.id))}
    for line in lines:
        if line.meal not in MEALS:
            problems.append(Problem(_place(line, "comida"), _("comida «{meal}»: use desayuno o almuerzo").format(meal=line.meal)))
        if line.food_code not in stocked:
            problems.append(Problem(_place(line, "producto"),
                                    _("{food_code} nunca entró al almacén: no puede salir de él").format(food_code=line.food_code)))
        elif line.lot and (line.food_code, line.lot.upper()) not in held:
            problems.append(Problem(_place(line, "lote"),
                                    _("no hay un lote «{lot}» de {food_code} en el almacén").format(lot=line.lot, food_code=line.food_code)))
        if line.grams <= 0:
            problems.append(Problem(_place(line, "cantidad"), _("la cantidad debe ser mayor que 0")))
    return problems


class _Issues:
    """What ``current_issue`` reads, loaded once for a unit of work that records many days × meals (a file):
    the reversals, the services and recorded issues of those days, the «salida» and «retorno» movements, and
    the committee's lots (every one: a lot emptied by the proposal fills again when the proposal goes back).
    Each day × meal is recorded once per unit, so what it adds never changes what another one reads."""

    def __init__(self, s, committee_id: int, days: set[date]) -> None:
        first, last = min(days), max(days)
        self.gone = _reversed(s, committee_id)
        self.seqs: dict[tuple[date, str], list[int]] = defaultdict(list)
        self.services: dict[tuple[date, str], int] = defaultdict(int)
        for seq, day, meal in s.execute(select(ServiceRecord.journal_seq, ServiceRecord.day, ServiceRecord.meal).where(
                ServiceRecord.committee_id == committee_id, ServiceRecord.active.is_(True),
                ServiceRecord.day >= first, ServiceRecord.day <= last)):
            self.seqs[(day, meal)].append(seq)
            self.services[(day, meal)] += 1
        for seq, day, payload in s.execute(select(JournalEntry.seq, JournalEntry.entry_date, JournalEntry.payload).where(
                JournalEntry.committee_id == committee_id, JournalEntry.kind == KIND,
                JournalEntry.correction_type.is_(None), JournalEntry.entry_date >= first,
                JournalEntry.entry_date <= last)):
            self.seqs[(day, json.loads(payload).get("meal"))].append(seq)
        self.replaced = {tuple(r) for r in s.execute(select(StockMovement.food_code, StockMovement.reference).where(
            StockMovement.committee_id == committee_id, StockMovement.kind == "retorno"))}
        self.issued: dict[tuple[int, str], list] = defaultdict(list)
        for m in s.execute(select(StockMovement.id, StockMovement.journal_seq, StockMovement.food_code,
                                  StockMovement.lot_id, StockMovement.grams).where(
                StockMovement.committee_id == committee_id, StockMovement.kind == "salida",
                StockMovement.day >= first, StockMovement.day <= last)):
            self.issued[(m.journal_seq, m.food_code)].append(m)
        self.lots: dict[str, list[StockLot]] = defaultdict(list)
        for lot in s.scalars(select(StockLot).where(StockLot.committee_id == committee_id)):
            self.lots[lot.food_code].append(lot)
        for rows in self.lots.values():
            rows.sort(key=lambda r: (r.expiry or date.max, r.id))

    def current(self, day: date, meal: str, code: str) -> list:
        """As ``current_issue``: the live «salida» movements of ``code`` for ``day`` × ``meal``."""
        live = [q for q in self.seqs.get((day, meal), ()) if q not in self.gone and (code, _ref(q)) not in self.replaced]
        return sorted((m for q in live for m in self.issued.get((q, code), ())), key=lambda m: m.id)

    def plan(self, line: KitchenIssueLine, day: date) -> list[tuple[StockLot, Decimal]]:
        if not line.lot:
            return stock.plan_fefo(None, 0, line.food_code, line.grams, day, self.lots)
        rows = sorted((r for r in self.lots.get(line.food_code, ()) if r.lot.upper() == line.lot.upper()),
                      key=lambda r: r.id)
        return _plan_lot(rows, line, day)


def record_in(s, committee: CommitteeInfo, lines: list[KitchenIssueLine], *, user: str) -> list[IssueResult]:
    """Record checked lines (``check``) in the caller's unit of work, one journal entry per day × meal:
    what was proposed for those products goes back to its lots and the lines leave the store. A line that
    cannot leave (its lot expired, suspended or short) refuses the whole unit, naming its row."""
    groups: dict[tuple[date, str], list[KitchenIssueLine]] = defaultdict(list)
    for line in lines:
        groups[(line.day, line.meal)].append(line)
    if not groups:
        return []
    results = []
    journal = Journal(s, committee.id, batch=True)  # one unit: closed months and chain head read once
    state = _Issues(s, committee.id, {day for day, _ in groups})
    movements: list[dict] = []  # the kardex lines, inserted together after the loop
    for (day, meal), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] != "desayuno")):
        reference = f"{day:%d/%m/%Y} {meal}"
        codes = sorted({ln.food_code for ln in group})
        replaced_moves = [m for code in codes for m in state.current(day, meal, code)]
        payload = {"day": day, "meal": meal, "replaces": sorted({m.journal_seq for m in replaced_moves}),
                   "lines": [{"food_code": ln.food_code, "lot": ln.lot, "grams": ln.grams, "note": ln.note}
                             for ln in group]}
        place = group[0].where or reference
        try:
            entry = journal.append(KIND, day, payload, user=user)
            returned: dict[str, Decimal] = defaultdict(Decimal)
            for m in replaced_moves:  # the proposal (or an earlier record) of these products goes back
                lot = s.get(StockLot, m.lot_id)
                stock.move(s, committee.id, entry.seq, day, lot, -Decimal(m.grams), "retorno",
                           "vuelve al almacén: se registró lo que salió de verdad", _ref(m.journal_seq), movements)
                returned[m.food_code] += -Decimal(m.grams)
            issued: dict[str, Decimal] = defaultdict(Decimal)
            for ln in group:
                place = _place(ln, "lote" if ln.lot else "cantidad") if ln.where else reference
                for lot, take in state.plan(ln, day):
                    stock.move(s, committee.id, entry.seq, day, lot, -take, "salida",
                               "salida a cocina" + (f": {ln.note}" if ln.note else ""), reference, movements)
                    issued[ln.food_code] += take
        except PeriodClosed:
            raise
        except (InvalidInput, JournalError) as exc:
            raise InvalidInput(_("La salida de almacén no se pudo registrar; no se registró nada."),
                               [Problem(place, exc.message)]) from exc
        results.append(IssueResult(entry.seq, day, meal, dict(issued), dict(returned), state.services[(day, meal)]))
    s.flush()  # the lots' balances
    journal.write()  # the entries, then their kardex lines: one insert each
    if movements:
        s.connection().execute(insert(StockMovement.__table__), movements)
    return results


def _plan_lot(rows: list[StockLot], line: KitchenIssueLine, day: date) -> list[tuple[StockLot, Decimal]]:
    """The lot the storekeeper named (``rows``: its rows, in the order they entered)."""
    usable = [r for r in rows if not r.suspended and (r.expiry is None or r.expiry >= day)]
    if not usable:
        why = "suspendido" if rows and rows[0].suspended else "vencido"
        raise InvalidInput(_("El lote {lot} de {food_code} está {why}: no puede salir a cocina.").format(lot=line.lot, food_code=line.food_code, why=why))
    plan, left = [], line.grams
    for row in usable:
        take = min(Decimal(row.balance_grams), left)
        if take > 0:
            plan.append((row, take))
            left -= take
    if left > 0:
        have = sum((Decimal(r.balance_grams) for r in usable), Decimal(0))
        raise InvalidInput(_("No alcanza el lote {lot} de {food_code} el {day:%d/%m/%Y}: hay {fmt_grams} y se quiere sacar {fmt_grams2}.").format(lot=line.lot, food_code=line.food_code, day=day, fmt_grams=stock.fmt_grams(have), fmt_grams2=stock.fmt_grams(line.grams)))
    return plan


@dataclass(frozen=True)
class DayIssueRow:
    """One product of one meal of a day: what the rations × dosing say, and what left the store."""

    meal: str
    food_code: str
    name: str
    expected_grams: Decimal  # rations served × dosing
    issued_grams: Decimal  # what left the store for it now (proposal or recorded)
    lot: str  # the lot it left from (the first, when several)
    recorded: bool  # the storekeeper recorded it (stock.salida), rather than the dosing's proposal


def day_issue(db: Database, committee: CommitteeInfo, day: date) -> list[DayIssueRow]:
    """The day's issue to the kitchen per meal and product, pre-filled from the dosing: what the
    Raciones screen shows to confirm or edit."""
    from . import recipes as recipe_service
    from .catalog import food_names
    from .serving import _needs

    names = food_names(db)
    expected: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    with db.session() as s:
        stocked = stock.stocked_codes(s, committee.id)
        services = s.scalars(select(ServiceRecord).where(
            ServiceRecord.committee_id == committee.id, ServiceRecord.active.is_(True),
            ServiceRecord.day == day)).all()
        cache: dict[str, object] = {}
        for r in services:
            recipe = cache.get(r.recipe_id) or cache.setdefault(r.recipe_id, recipe_service.get_recipe(db, r.recipe_id))
            for code, grams in _needs(recipe, r.level, r.rations, stocked).items():
                expected[(r.meal, code)] += grams
        meals = {r.meal for r in services} | {json.loads(e.payload).get("meal") for e in s.scalars(select(JournalEntry).where(
            JournalEntry.committee_id == committee.id, JournalEntry.kind == KIND, JournalEntry.entry_date == day,
            JournalEntry.correction_type.is_(None)))}
        rows = []
        keys = set(expected)
        for meal in meals:
            for code in stocked:
                if (meal, code) not in keys and current_issue(s, committee.id, day, meal, code):
                    keys.add((meal, code))
        lots = {lot.id: lot.lot for lot in s.scalars(select(StockLot).where(StockLot.committee_id == committee.id))}
        for meal, code in keys:
            moves = current_issue(s, committee.id, day, meal, code)
            issued = -sum((Decimal(m.grams) for m in moves), Decimal(0))
            recorded = any(m.reference.count(" ") == 1 for m in moves)  # "dd/mm/yyyy meal": a recorded issue
            rows.append(DayIssueRow(meal, code, names.get(code, code), expected.get((meal, code), Decimal(0)),
                                    issued, lots.get(moves[0].lot_id, "") if moves else "", recorded))
    order = {"desayuno": 0, "almuerzo": 1}
    return sorted(rows, key=lambda r: (order.get(r.meal, 9), r.name.lower()))
