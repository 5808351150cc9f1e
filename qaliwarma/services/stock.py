"""The store: lots, FEFO issue, adjustments, counts, expiry alerts, suspensions, kardex and recall.

Every change is a journal entry first; the lot and movement tables are its projection, written in
the same unit of work. Stock never goes negative; expired or suspended lots are never issued.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.stock import ADJUSTMENT_REASONS, IssueLine, KardexLine, LotInfo, Recall, ServingOfLot
from ..errors import InvalidInput, NotFound, Problem
from ..i18n import _
from ..persistence.engine import Database
from ..persistence.journal import Journal, lock_committee
from ..persistence.models import JournalEntry, ServiceRecord, StockLot, StockMovement

ZERO = Decimal(0)


def lot_key(code: str, brand: str, lot: str, expiry: date | None) -> str:
    return "|".join([code, brand.strip().upper(), lot.strip().upper(), expiry.isoformat() if expiry else ""])


def _info(row: StockLot) -> LotInfo:
    return LotInfo(row.id, row.food_code, row.product_name, row.brand, row.lot, row.expiry, row.production,
                   row.sanitary_registration, row.presentation, Decimal(row.received_grams),
                   Decimal(row.balance_grams), row.suspended, row.suspension_reason)


def lots(db: Database, committee_id: int, *, food_code: str | None = None, with_empty: bool = False) -> list[LotInfo]:
    """Lots in store, oldest expiry first (FEFO order)."""
    with db.session() as s:
        query = select(StockLot).where(StockLot.committee_id == committee_id)
        if food_code:
            query = query.where(StockLot.food_code == food_code)
        if not with_empty:
            query = query.where(StockLot.balance_grams > 0)
        rows = s.scalars(query).all()
        return sorted((_info(r) for r in rows), key=lambda x: (x.food_code, x.expiry or date.max, x.id))


def on_hand(db: Database, committee_id: int) -> dict[str, Decimal]:
    with db.session() as s:
        rows = s.execute(select(StockLot.food_code, func.sum(StockLot.balance_grams))
                         .where(StockLot.committee_id == committee_id).group_by(StockLot.food_code)).all()
        return {code: Decimal(total or 0) for code, total in rows}


def usable_on(db: Database, committee_id: int, day: date) -> dict[str, Decimal]:
    """Grams per product that can still be cooked on ``day``: lots not suspended and not expired by
    then (a lot past its expiry is in the store but no longer available)."""
    held: dict[str, Decimal] = {}
    for lot in lots(db, committee_id):
        if not lot.suspended and not lot.expired(day):
            held[lot.food_code] = held.get(lot.food_code, Decimal(0)) + lot.balance_grams
    return held


def stocked_codes(s: Session, committee_id: int) -> set[str]:
    """Products the store manages (ever received): the others are local contributions (onion, salt…)."""
    return set(s.scalars(select(StockLot.food_code).where(StockLot.committee_id == committee_id).distinct()))


def move(s: Session, committee_id: int, seq: int, day: date, lot: StockLot, grams: Decimal, kind: str,
         reason: str = "", reference: str = "", rows: list[dict] | None = None) -> None:
    """Apply one movement to a lot (projection). Refuses a negative balance. ``rows``: the movement is
    collected there (the caller inserts them all at once in the same unit of work) instead of added."""
    new = Decimal(lot.balance_grams) + grams
    if new < 0:
        raise InvalidInput(
            _("No alcanza el stock de {product_name} (lote {lot}): hay {fmt_grams} y se quiere sacar {fmt_grams2}. El stock nunca puede quedar negativo.").format(product_name=lot.product_name, lot=lot.lot, fmt_grams=fmt_grams(Decimal(lot.balance_grams)), fmt_grams2=fmt_grams(-grams)))
    lot.balance_grams = new
    values = dict(committee_id=committee_id, journal_seq=seq, day=day, lot_id=lot.id, food_code=lot.food_code,
                  grams=grams, kind=kind, reason=reason, reference=reference)
    if rows is not None:
        rows.append(values)
    else:
        s.add(StockMovement(**values))


def fmt_grams(grams: Decimal) -> str:
    if abs(grams) >= 1000:
        return f"{(grams / 1000).quantize(Decimal('0.001')).normalize():f} kg"
    return f"{grams.quantize(Decimal('0.1')).normalize():f} g"


def open_lots(s: Session, committee_id: int) -> dict[str, list[StockLot]]:
    """The committee's lots with stock, by product, read (and locked) once for a unit of work that issues
    many times and creates no lot meanwhile (a file of services): ``plan_fefo(…, lots=…)`` then reads
    balances from these rows, which ``move`` keeps current. Each product's lots come in FEFO order
    (expiry, then the order they entered)."""
    out: dict[str, list[StockLot]] = defaultdict(list)
    for row in s.scalars(select(StockLot).where(StockLot.committee_id == committee_id,
                                                StockLot.balance_grams > 0).with_for_update()):
        out[row.food_code].append(row)
    for rows in out.values():
        rows.sort(key=_fefo)
    return out


def _fefo(row: StockLot) -> tuple[date, int]:
    return (row.expiry or date.max, row.id)


def _plan_from(lots: list[StockLot], grams: Decimal, day: date) -> tuple[list[tuple[StockLot, Decimal]], Decimal]:
    """Take ``grams`` from ``lots`` (already in FEFO order), skipping empty, suspended and expired ones:
    the plan and what is still missing."""
    plan: list[tuple[StockLot, Decimal]] = []
    left = grams
    for row in lots:
        if left <= 0:
            break
        balance = Decimal(row.balance_grams)
        if balance <= 0 or row.suspended or (row.expiry is not None and row.expiry < day):
            continue
        take = min(balance, left)
        plan.append((row, take))
        left -= take
    return plan, left


def plan_fefo(s: Session, committee_id: int, code: str, grams: Decimal, day: date,
              lots: dict[str, list[StockLot]] | None = None) -> list[tuple[StockLot, Decimal]]:
    """Which lots give ``grams`` of ``code`` on ``day``: oldest expiry first, never an expired or
    suspended lot. Refuses (naming the product and what is short) when there is not enough.
    ``lots``: from ``open_lots`` in the same unit of work (no query per call)."""
    if lots is not None:
        rows = lots.get(code, [])
        plan, left = _plan_from(rows, grams, day)
        if left <= 0:
            return plan
        rows = [r for r in rows if Decimal(r.balance_grams) > 0]
    else:
        rows = s.scalars(select(StockLot).where(StockLot.committee_id == committee_id, StockLot.food_code == code,
                                                StockLot.balance_grams > 0).with_for_update()).all()
        plan, left = _plan_from(sorted(rows, key=_fefo), grams, day)
    usable = [r for r in rows if not r.suspended and (r.expiry is None or r.expiry >= day)]
    blocked = [r for r in rows if r not in usable]
    if left > 0:
        name = rows[0].product_name if rows else code
        why = ""
        if blocked:
            why = " (" + "; ".join((_("lote {lot} suspendido").format(lot=r.lot) if r.suspended else
                                   _("lote {lot} vencido el {day:%d/%m/%Y}").format(lot=r.lot, day=r.expiry))
                                   for r in blocked) + _(" no se puede usar)")
        raise InvalidInput(_("No alcanza {name} ({code}) el {day:%d/%m/%Y}: faltan {fmt_grams}{why}.").format(name=name, code=code, day=day, fmt_grams=fmt_grams(left), why=why))
    return plan


def issue(s: Session, journal: Journal, seq: int, day: date, needs: dict[str, Decimal], reference: str,
          lots: dict[str, list[StockLot]] | None = None, rows: list[dict] | None = None,
          reasons: dict[str, str] | None = None, short: list[str] | None = None) -> list[IssueLine]:
    """FEFO issue of ``needs``. ``lots`` from ``open_lots`` and ``rows`` (movements collected for one insert)
    serve a unit of work that issues many times; ``reasons``: per product, the kardex reason when it is not
    plain «servicio» (a corrected quantity carries why). ``short``: given, a product the store cannot give is
    said there («No alcanza …») and the others are still issued, so that a unit that will be refused names
    every product short, not only the first; without it, the first refuses."""
    lines: list[IssueLine] = []
    for code, grams in sorted(needs.items()):
        if grams <= 0:
            continue
        try:
            plan = plan_fefo(s, journal.committee_id, code, grams, day, lots)
        except InvalidInput as refused:
            if short is None:
                raise
            short.append(refused.message)
            continue
        for lot, take in plan:
            move(s, journal.committee_id, seq, day, lot, -take, "salida", (reasons or {}).get(code, "servicio"),
                 reference, rows)
            lines.append(IssueLine(code, lot.id, lot.lot, take))
    return lines


def adjust(db: Database, committee_id: int, lot_id: int, grams: Decimal, reason: str, *, day: date, user: str,
           note: str = "") -> None:
    """A loss, spoilage, count difference or return: a journal entry with its reason."""
    if reason not in ADJUSTMENT_REASONS:
        raise InvalidInput(_("Motivo «{reason}» desconocido: use {join}.").format(reason=reason, join=', '.join(ADJUSTMENT_REASONS)))
    if grams == 0:
        raise InvalidInput(_("El ajuste no puede ser de 0 gramos."))
    with db.session() as s:
        lock_committee(s, committee_id)  # before the checks that read existing rows
        lot = s.get(StockLot, lot_id)
        if lot is None or lot.committee_id != committee_id:
            raise NotFound(_("No existe el lote n.º {lot_id}.").format(lot_id=lot_id))
        journal = Journal(s, committee_id)
        entry = journal.append("stock.ajuste", day, {"lot_id": lot_id, "lot": lot.lot, "food_code": lot.food_code,
                                                     "grams": grams, "reason": reason, "note": note}, user=user)
        move(s, committee_id, entry.seq, day, lot, grams, "ajuste", ADJUSTMENT_REASONS[reason], note)


@dataclass(frozen=True)
class CountLine:
    lot_id: int
    counted_grams: Decimal


def physical_count(db: Database, committee_id: int, counts: list[CountLine], *, day: date, user: str) -> list[tuple[LotInfo, Decimal]]:
    """Record a physical count (a «stock.conteo» entry: the month's count is part of closing it); each
    difference becomes a "count difference" adjustment. Returns (lot, difference) for the lots that differed."""
    differences = []
    by_id = {lot.id: lot for lot in lots(db, committee_id, with_empty=True)}
    problems = [Problem(_("lote n.º {lot_id}").format(lot_id=c.lot_id), _("no existe")) for c in counts if c.lot_id not in by_id]
    problems += [Problem(_("lote {lot}").format(lot=by_id[c.lot_id].lot), _("la cantidad contada no puede ser negativa"))
                 for c in counts if c.lot_id in by_id and c.counted_grams < 0]
    from ..numbers import GRAMS
    from ..vocab import format_kg

    problems += [Problem(_("lote {lot}").format(lot=by_id[c.lot_id].lot), _(  # 99,999,999 kg went in as a difference
        "se contaron {kg}: más de {limit} en un lote; revise lo escrito").format(
        kg=format_kg(c.counted_grams), limit=format_kg(GRAMS.high)))
        for c in counts if c.lot_id in by_id and c.counted_grams > GRAMS.high]
    if problems:
        raise InvalidInput(_("El conteo tiene errores; no se registró nada."), problems)
    with db.session() as s:
        lock_committee(s, committee_id)  # before the checks that read existing rows
        for c in counts:  # the difference against the balance on the count's day, under the lock
            now = Decimal(s.get(StockLot, c.lot_id).balance_grams)
            # a count dated before today (November's, typed on 2 December) is compared with what the lot held at
            # the end of that day, not with today's balance after December's issues
            on_day = Decimal(s.scalar(select(func.coalesce(func.sum(StockMovement.grams), 0)).where(
                StockMovement.committee_id == committee_id, StockMovement.lot_id == c.lot_id,
                StockMovement.day <= day)) or 0)
            diff = c.counted_grams - on_day
            if now + diff < 0:
                raise InvalidInput(_("El conteo tiene errores; no se registró nada."), [Problem(
                    _("lote {lot}").format(lot=by_id[c.lot_id].lot),
                    _("después del {day} salieron de este lote {kg} más de lo que se contó ese día: revise la fecha "
                      "del conteo o lo escrito").format(day=f"{day:%d/%m/%Y}", kg=format_kg(-(now + diff))))])
            if diff != 0:
                differences.append((by_id[c.lot_id], diff))
        journal = Journal(s, committee_id)
        # the count itself is a fact (part of closing the month), even when every lot agrees
        journal.append("stock.conteo", day, {"lots": len(counts), "differences": len(differences)}, user=user)
        for lot_info, diff in differences:
            entry = journal.append("stock.ajuste", day, {"lot_id": lot_info.id, "lot": lot_info.lot,
                                                         "food_code": lot_info.food_code, "grams": diff,
                                                         "reason": "diferencia_conteo", "note": "inventario físico"},
                                   user=user)
            move(s, committee_id, entry.seq, day, s.get(StockLot, lot_info.id), diff, "ajuste",
                 ADJUSTMENT_REASONS["diferencia_conteo"], "inventario físico")
    return differences


def expiring(db: Database, committee_id: int, today: date, days_ahead: int = 30) -> list[LotInfo]:
    """Lots with stock that expire within ``days_ahead`` days (or have expired), soonest first."""
    return sorted((lot for lot in lots(db, committee_id) if lot.expiry is not None
                   and (lot.expiry - today).days <= days_ahead), key=lambda x: x.expiry)


def suspend(db: Database, committee_id: int, *, user: str, day: date, reason: str, lot: str | None = None,
            brand: str | None = None, food_code: str | None = None) -> list[LotInfo]:
    """The programme suspends a product, brand or lot: block every matching lot. Journaled."""
    if not (lot or brand or food_code):
        raise InvalidInput(_("Indique el lote, la marca o el producto que se suspende."))
    if not reason.strip():
        raise InvalidInput(_("Escriba el motivo de la suspensión (por ejemplo, el comunicado del programa)."))
    with db.session() as s:
        lock_committee(s, committee_id)  # before the checks that read existing rows
        query = select(StockLot).where(StockLot.committee_id == committee_id)
        if lot:
            query = query.where(func.upper(StockLot.lot) == lot.strip().upper())
        if brand:
            query = query.where(func.upper(StockLot.brand) == brand.strip().upper())
        if food_code:
            query = query.where(StockLot.food_code == food_code.strip().upper())
        rows = s.scalars(query).all()
        Journal(s, committee_id).append("stock.suspension", day, {"lot": lot, "brand": brand, "food_code": food_code,
                                                                 "reason": reason, "lots": [r.id for r in rows]},
                                        user=user)
        for r in rows:
            r.suspended, r.suspension_reason = True, reason
        return [_info(r) for r in rows]


def kardex(db: Database, committee_id: int, food_code: str) -> list[KardexLine]:
    with db.session() as s:
        rows = s.execute(select(StockMovement, StockLot.lot).join(StockLot, StockMovement.lot_id == StockLot.id)
                         .where(StockMovement.committee_id == committee_id, StockMovement.food_code == food_code)
                         .order_by(StockMovement.day, StockMovement.journal_seq, StockMovement.id)).all()
    balance = ZERO
    out = []
    for m, lot in rows:
        balance += Decimal(m.grams)
        out.append(KardexLine(m.day, m.journal_seq, m.kind, lot, Decimal(m.grams), balance, m.reason, m.reference))
    return out


def recall(db: Database, committee_id: int, lot: str) -> Recall:
    """Where a lot is, and which days, meals and levels ate it, with how many rations."""
    with db.session() as s:
        rows = s.scalars(select(StockLot).where(StockLot.committee_id == committee_id,
                                                func.upper(StockLot.lot) == lot.strip().upper())).all()
        if not rows:
            raise NotFound(_("No hay ningún lote «{lot}» en los registros del almacén.").format(lot=lot))
        ids = [r.id for r in rows]
        issued = s.execute(select(StockMovement.journal_seq, StockMovement.day, func.sum(StockMovement.grams))
                           .where(StockMovement.lot_id.in_(ids), StockMovement.kind == "salida")
                           .group_by(StockMovement.journal_seq, StockMovement.day)).all()
        seqs = {seq: (day, -Decimal(g)) for seq, day, g in issued}
        returned = set(s.scalars(select(StockMovement.reference).where(
            StockMovement.committee_id == committee_id, StockMovement.kind == "retorno",
            StockMovement.lot_id.in_(ids))))
        services = s.scalars(select(ServiceRecord).where(ServiceRecord.committee_id == committee_id,
                                                         ServiceRecord.journal_seq.in_(list(seqs)))).all()
        found = [ServingOfLot(r.day, r.meal, r.level, r.recipe_id, r.rations, seqs[r.journal_seq][1])
                 for r in services if r.active and f"reemplaza la salida del asiento n.º {r.journal_seq}" not in returned]
        # issues recorded by the storekeeper for a day × meal (services.kitchen_issue): the meal's services
        recorded = s.scalars(select(JournalEntry).where(JournalEntry.committee_id == committee_id,
                                                        JournalEntry.kind == "stock.salida",
                                                        JournalEntry.seq.in_(list(seqs)))).all()
        for entry in recorded:
            day, meal = entry.entry_date, json.loads(entry.payload).get("meal")
            meals = s.scalars(select(ServiceRecord).where(
                ServiceRecord.committee_id == committee_id, ServiceRecord.active.is_(True), ServiceRecord.day == day,
                ServiceRecord.meal == meal)).all()
            total = sum(r.rations for r in meals) or 1
            for r in meals:
                found.append(ServingOfLot(r.day, r.meal, r.level, r.recipe_id, r.rations,
                                          (seqs[entry.seq][1] * r.rations / total).quantize(Decimal("0.001"))))
        servings = tuple(sorted(found, key=lambda x: (x.day, x.meal != "desayuno", x.level)))
        return Recall(lot, tuple(_info(r) for r in rows), servings, sum(x.rations for x in servings))


def balances_by_product(db: Database, committee_id: int) -> dict[str, list[LotInfo]]:
    grouped: dict[str, list[LotInfo]] = defaultdict(list)
    for lot in lots(db, committee_id):
        grouped[lot.food_code].append(lot)
    return dict(grouped)


# Receipts of a local purchase ("compras locales"): the document's type as the reference writes it.
PURCHASE_DOCUMENTS = {"boleta": "boleta", "factura": "factura", "ticket": "ticket", "recibo": "recibo",
                      "declaracion_jurada": "declaración jurada", "planilla_movilidad": "planilla de movilidad"}


CORRECTED = "servicio, corregido: "  # the kardex reason of a service whose quantity the cook corrected


def movement_label(line: KardexLine) -> str:
    """What the movement was, in the committee's words."""
    if line.kind == "recepcion" and line.reason == "compra":
        kind, _unused, number = line.reference.partition(" ")
        document = f"{PURCHASE_DOCUMENTS.get(kind, kind.replace('_', ' '))} {number}".strip()
        return _("Ingreso por compra: {document}").format(document=document) if document else _("Ingreso por compra")
    if line.kind == "recepcion":
        acta = line.reference.removeprefix("acta ").strip()
        return _("Ingreso por acta {acta}").format(acta=acta) if acta else _("Ingreso por acta de entrega")
    if line.kind == "salida":
        parts = line.reference.split()
        if len(parts) >= 3:  # "02/11/2026 desayuno inicial": proposed by the dosing with the rations
            text = _("Salida a cocina: {meal}, {level}").format(meal=_meal_label(parts[1]).lower(), level=_level_label(parts[2]).lower())
            corrected = line.reason.partition(CORRECTED)[2] if line.reason.startswith(CORRECTED) else ""
            return _("{text} (corregida: {why})").format(text=text, why=corrected) if corrected else text
        if len(parts) == 2:  # "02/11/2026 desayuno": recorded by the storekeeper
            text = _("Salida a cocina registrada: {meal}").format(meal=_meal_label(parts[1]).lower())
            note = line.reason.partition(": ")[2] if line.reason.startswith("salida a cocina: ") else ""
            return f"{text} ({note})" if note else text
        return _("Salida a cocina")
    if line.kind == "retorno":
        return _("Vuelve al almacén: se registró lo que salió de verdad ({reference})").format(reference=line.reference)
    if line.kind == "ajuste":
        text = _("Ajuste: {reason}").format(reason=_(line.reason) if line.reason else _("sin motivo"))
        return f"{text} ({line.reference})" if line.reference else text
    if line.kind == "correccion":
        text = _("Corrección")
        if line.reference:
            text += f" ({line.reference})"
        return f"{text}: {line.reason}" if line.reason else text
    return line.kind.capitalize()


def _meal_label(meal: str) -> str:
    from ..domain.levels import MEAL_LABELS

    return _(MEAL_LABELS[meal]) if meal in MEAL_LABELS else meal.capitalize()


def _level_label(level: str) -> str:
    from ..domain.levels import LEVEL_LABELS

    return _(LEVEL_LABELS[level]) if level in LEVEL_LABELS else level.capitalize()


def commercial_units(lot: LotInfo, grams: Decimal) -> tuple[Decimal, str] | None:
    """``grams`` of ``lot`` in the units it came in — (9.5, "BOLSA") for a «BOLSA 1 kg» lot — or None
    when its presentation does not say its net content (a volume without the product's density)."""
    from ..units import UnitError
    from ..units import presentation as make_presentation
    from .products import densities

    name, _unused, net = (lot.presentation or "").strip().partition(" ")
    if not name or not net:
        return None
    try:
        per_unit = make_presentation(name, net, densities().get(lot.food_code)).grams()
    except (UnitError, ValueError, KeyError, ArithmeticError):
        return None
    if per_unit <= 0:
        return None
    return (Decimal(grams) / per_unit).quantize(Decimal("0.1")), name
