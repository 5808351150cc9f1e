"""Incidents: product in bad condition, children ill, missing or late delivery. Journaled."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from ..domain.stock import INCIDENT_TYPES
from ..errors import InvalidInput, Problem
from ..i18n import _
from ..persistence.engine import Database
from ..persistence.journal import Journal, lock_committee


@dataclass(frozen=True)
class Incident:
    day: date
    kind: str
    description: str
    food_code: str = ""
    lot: str = ""
    children_affected: int = 0
    referred_to_health_post: bool = False
    reported_to_programme: bool = False
    programme_reference: str = ""
    notes: str = ""
    meal: str = ""  # children ill: after which meal (desayuno | almuerzo)
    lost_grams: Decimal | None = None  # food damaged, spoiled or lost: it leaves the store as a loss (merma)


@dataclass(frozen=True)
class IncidentRecord:
    seq: int
    incident: Incident
    user: str


def _check(incident: Incident) -> None:
    problems = []
    if incident.kind not in INCIDENT_TYPES:
        problems.append(Problem("Tipo", _("use uno de: {join}").format(join=', '.join(INCIDENT_TYPES.values()))))
    if len(incident.description.strip()) < 5:
        problems.append(Problem(_("Descripción"), _("cuente qué pasó")))
    if incident.children_affected < 0:
        problems.append(Problem(_("Niños afectados"), _("no puede ser negativo")))
    if incident.kind == "ninos_enfermos" and incident.children_affected == 0:
        problems.append(Problem(_("Niños afectados"), _("indique cuántos niños se enfermaron")))
    if incident.reported_to_programme and not incident.programme_reference.strip():
        problems.append(Problem(_("Reporte al programa"), _("anote el número o referencia del reporte")))
    if incident.meal and incident.meal not in ("desayuno", "almuerzo"):
        problems.append(Problem("Comida", _("«{meal}»: use desayuno o almuerzo").format(meal=incident.meal)))
    if incident.lost_grams is not None:
        if incident.lost_grams <= 0:
            problems.append(Problem("Cantidad perdida", _("debe ser mayor que 0")))
        if not incident.food_code or not incident.lot.strip():
            problems.append(Problem(_("Producto y lote"), _("para sacar la pérdida del almacén indique el producto y "
                                                       "el lote")))
    if problems:
        raise InvalidInput(_("La incidencia tiene datos por corregir; no se registró."), problems)


def _check_enrolment(db: Database, committee_id: int, incident: Incident) -> None:
    """No more children affected than the school has enrolled: 99999 typed in the form became 9999 (the field
    drops a fifth digit) and was recorded for a school of 180, without a word."""
    from . import committee

    enrolled = sum(level.enrolment for level in committee.require_id(db, committee_id).form.levels)
    if enrolled and incident.children_affected > enrolled:
        raise InvalidInput(_("La incidencia tiene datos por corregir; no se registró."), [Problem(
            _("Niños afectados"), _("{n} es más que los {enrolled} niños matriculados en la escuela; revise el "
                                    "número").format(n=incident.children_affected, enrolled=enrolled))])


LOSS_REASON = "deterioro"


def _lost_lot(s, committee_id: int, incident: Incident):
    from sqlalchemy import func, select

    from ..persistence.models import StockLot

    rows = s.scalars(select(StockLot).where(StockLot.committee_id == committee_id,
                                            StockLot.food_code == incident.food_code,
                                            func.upper(StockLot.lot) == incident.lot.strip().upper())
                     .order_by(StockLot.balance_grams.desc())).all()
    if not rows:
        raise InvalidInput(_("La incidencia tiene datos por corregir; no se registró."),
                           [Problem("Lote", _("no hay un lote «{lot}» de {food_code} en el almacén").format(lot=incident.lot, food_code=incident.food_code))])
    return rows[0]


def _apply_loss(s, committee_id: int, seq: int, incident: Incident) -> None:
    """The loss leaves the store under the incident's own entry (a merma in the kardex, with its reason)."""
    from ..domain.stock import ADJUSTMENT_REASONS
    from . import stock

    lot = _lost_lot(s, committee_id, incident)
    try:
        stock.move(s, committee_id, seq, incident.day, lot, -incident.lost_grams, "ajuste",
                   ADJUSTMENT_REASONS[LOSS_REASON], f"incidencia n.º {seq}: {incident.description.strip()}"[:200])
    except InvalidInput as exc:
        raise InvalidInput(_("La incidencia tiene datos por corregir; no se registró."),
                           [Problem("Cantidad perdida", exc.message)]) from exc


REPORT_KIND = "incidencia.reporte"  # an incident of a closed month reported to the programme afterwards


def record(db: Database, committee_id: int, incident: Incident, *, user: str) -> int:
    """Record an incident; one that names food lost (product, lot, quantity) writes the loss into the
    kardex in the same unit of work (both or neither)."""
    _check(incident)
    _check_enrolment(db, committee_id, incident)
    with db.session() as s:
        seq = Journal(s, committee_id).append("incidencia", incident.day, asdict(incident), user=user).seq
        if incident.lost_grams is not None:
            _apply_loss(s, committee_id, seq, incident)
        return seq


def mark_reported(db: Database, committee_id: int, seq: int, reference: str, *, user: str, today: date) -> int:
    """Note that incident ``seq`` was reported to the programme, with the reference it was given. The
    journal is never edited: in one unit of work the entry is reversed and the corrected incident
    appended (both or neither). Returns the new entry's number."""
    from dataclasses import replace

    from ..errors import NotFound
    from ..i18n import _
    from ..persistence.journal import REVERSAL

    with db.session() as s:
        lock_committee(s, committee_id)  # before the checks that read existing rows
        journal = Journal(s, committee_id)
        entries = journal.entries("incidencia")
        original = next((e for e in entries if e.seq == seq and e.correction_type is None), None)
        if original is None or any(e.correction_type == REVERSAL and e.corrects_seq == seq for e in entries):
            raise NotFound(_("La incidencia n.º {seq} no existe o ya fue anulada.").format(seq=seq))
        updated = replace(_incident(original.payload), reported_to_programme=True,
                          programme_reference=reference.strip())
        _check(updated)
        from ..persistence.journal import month_of

        if month_of(original.entry_date) in journal.closed_months():
            # its month is closed (reported late, as often happens): nothing of the month is rewritten, a note of
            # the report is recorded today, in an open month; the month's closed bundle keeps it as it closed
            return journal.append(REPORT_KIND, today, {"incident": seq, "reference": reference.strip()},
                                  user=user).seq
        reversal = journal.reverse(seq, user=user, reason=_("Se reportó al programa: {ref}").format(
            ref=reference.strip()), entry_date=today)
        new_seq = journal.append("incidencia", updated.day, asdict(updated), user=user).seq
        if updated.lost_grams is not None:  # the loss moves to the new entry: undone under the old, redone
            from sqlalchemy import select

            from ..persistence.models import StockLot, StockMovement
            from . import stock

            for m in s.scalars(select(StockMovement).where(StockMovement.committee_id == committee_id,
                                                           StockMovement.journal_seq == seq)).all():
                stock.move(s, committee_id, reversal.seq, reversal.entry_date, s.get(StockLot, m.lot_id),
                           -Decimal(m.grams), "correccion", _("Se reportó al programa: {ref}").format(
                               ref=reference.strip()), f"revierte asiento n.º {seq}")
            _apply_loss(s, committee_id, new_seq, updated)
        return new_seq


def list_incidents(db: Database, committee_id: int, start: date | None = None, end: date | None = None) -> list[IncidentRecord]:
    """The incidents of the days ``start``…``end`` (all without them), each as reported so far: an incident of a
    closed month reported afterwards carries the reference of its note (``REPORT_KIND``)."""
    with db.session() as s:
        journal = Journal(s, committee_id)
        entries = journal.entries("incidencia", start=start, end=end)
        notes = journal.entries(REPORT_KIND)
    reversed_ = {e.corrects_seq for e in entries + notes if e.correction_type == "reversal"}
    reported = {n.payload.get("incident"): str(n.payload.get("reference", "")) for n in notes
                if n.correction_type is None and n.seq not in reversed_}
    out = []
    for e in entries:
        if e.correction_type is None and e.seq not in reversed_:
            incident = _incident(e.payload)
            if e.seq in reported and not incident.reported_to_programme:
                incident = replace(incident, reported_to_programme=True, programme_reference=reported[e.seq])
            out.append(IncidentRecord(e.seq, incident, e.user))
    return out


def _incident(payload: dict) -> Incident:
    """An incident from its journal payload (dates and grams come back as text)."""
    p = dict(payload)
    p["day"] = date.fromisoformat(p["day"])
    if p.get("lost_grams") is not None:
        try:
            p["lost_grams"] = Decimal(str(p["lost_grams"]))
        except InvalidOperation:
            p["lost_grams"] = None
    return Incident(**p)


@dataclass(frozen=True)
class LotUsed:
    """A lot that went to the kitchen for a meal: what a supervisor traces after children fell ill."""

    meal: str
    food_code: str
    product_name: str
    brand: str
    lot: str
    expiry: date | None
    sanitary_registration: str
    grams: Decimal


def lots_used(db: Database, committee_id: int, day: date, meal: str = "") -> list[LotUsed]:
    """The lots that left the store for ``meal`` on ``day`` (both meals when ``meal`` is blank), from the
    issues as they stand: the services' issue by the dosing, or what the storekeeper recorded in its place
    (``kitchen_issue.current_issue``); reversed services and replaced issues are not counted."""
    from sqlalchemy import select

    from ..persistence.models import StockLot, StockMovement
    from .kitchen_issue import MEALS, current_issue

    out: list[LotUsed] = []
    with db.session() as s:
        codes = sorted(set(s.scalars(select(StockMovement.food_code).where(
            StockMovement.committee_id == committee_id, StockMovement.day == day,
            StockMovement.kind == "salida").distinct())))
        for which in ([meal] if meal else list(MEALS)):
            grams: dict[int, Decimal] = {}
            for code in codes:
                for m in current_issue(s, committee_id, day, which, code):
                    grams[m.lot_id] = grams.get(m.lot_id, Decimal(0)) - Decimal(m.grams)
            for lot_id, g in grams.items():
                if g <= 0:
                    continue
                lot = s.get(StockLot, lot_id)
                out.append(LotUsed(which, lot.food_code, lot.product_name, lot.brand, lot.lot, lot.expiry,
                                   lot.sanitary_registration, g))
    order = {m: n for n, m in enumerate(("desayuno", "almuerzo"))}
    return sorted(out, key=lambda u: (order.get(u.meal, 9), u.product_name.lower(), u.lot))


def outside_used(db: Database, committee_id: int, day: date, meal: str = "") -> list[tuple[str, str, str, Decimal]]:
    """Food from outside the store (no lot: the parents' contribution, a donation…) the services of ``meal``
    on ``day`` used: (meal, food code, origin, grams), per product and origin."""
    from .serving import outside_food

    sums: dict[tuple[str, str, str], Decimal] = {}
    for o in outside_food(db, committee_id, day, day):
        if not meal or o.meal == meal:
            key = (o.meal, o.food_code, o.origin)
            sums[key] = sums.get(key, Decimal(0)) + o.grams
    order = {"desayuno": 0, "almuerzo": 1}
    return [(m, c, origin, g) for (m, c, origin), g in sorted(sums.items(), key=lambda kv: (order.get(kv[0][0], 9),
                                                                                            kv[0][1], kv[0][2]))]
