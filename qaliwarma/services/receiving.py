"""Reception of deliveries: each line checked as on paper; accepted quantities enter the store as
lots; rejected quantities never do. One journal entry per acta, all lines with it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from .. import clock
from ..domain.identifiers import check_ruc
from ..domain.stock import CONFORMITY, FRESH_GROUPS, PACKAGE_STATES, Reception, ReceptionLine
from ..errors import InvalidInput, NotFound, Problem, problem_at
from ..i18n import _
from ..numbers import GRAMS
from ..persistence.engine import Database
from ..persistence.journal import REVERSAL, Entry, Journal, lock_committee
from ..persistence.models import JournalEntry, StockLot
from ..vocab import format_kg
from . import stock


def validate(reception: Reception, known_codes: set[str], where: list[str] | None = None) -> list[Problem]:
    """Every problem of a reception, line by line (``where`` names each line's place in a file)."""
    problems: list[Problem] = []
    head = _("acta {value}").format(value=reception.acta or '(sin número)')
    if not reception.acta.strip():
        problems.append(Problem(head, _("falta el número de acta de entrega"), field="acta"))
    ruc_problem = check_ruc(reception.supplier_ruc)
    if ruc_problem:
        problems.append(Problem(head, ruc_problem, field="ruc"))
    if not reception.supplier.strip():
        problems.append(Problem(head, _("falta el nombre del proveedor"), field="supplier"))
    if not reception.lines:
        problems.append(Problem(head, _("el acta no tiene productos"), field="lines"))
    future = clock.future_problem(reception.day)
    if future:
        problems.append(Problem(head, future, field="day"))
    for n, ln in enumerate(reception.lines):
        place = where[n] if where else _("{head}, línea {value}").format(head=head, value=n + 1)
        if ln.food_code not in known_codes:
            problems.append(Problem(place, _("producto «{value}» desconocido: escriba el código de la tabla (p. ej. A3) o un nombre de resources/products.toml").format(value=ln.product_name or ln.food_code), field="product"))
        if ln.conformity not in CONFORMITY:
            problems.append(Problem(place, _("conformidad «{conformity}»: use conforme, parcial o rechazado").format(conformity=ln.conformity)))
        if ln.quantity <= 0:
            problems.append(Problem(place, _("la cantidad debe ser mayor que cero")))
        if ln.net_grams_per_unit <= 0:
            problems.append(Problem(place, _("la presentación debe indicar el contenido neto (p. ej. 0.170 kg)"),
                                    field="presentation"))
        elif ln.quantity * ln.net_grams_per_unit > GRAMS.high:  # 100000 bags of 50 kg went in as 5,000,000 kg
            problems.append(Problem(place, _("{units} × {net} suman {total}: más de {limit} de un producto en un "
                                             "acta. Revise la cantidad y la presentación.").format(
                units=f"{ln.quantity:,}", net=format_kg(ln.net_grams_per_unit),
                total=format_kg(ln.quantity * ln.net_grams_per_unit), limit=format_kg(GRAMS.high))))
        if ln.package_state not in PACKAGE_STATES:
            problems.append(Problem(place, _("estado del envase «{package_state}»: use {join}").format(package_state=ln.package_state, join=', '.join(PACKAGE_STATES))))
        if ln.conformity == "parcial" and not (0 < ln.accepted_units < ln.quantity):
            problems.append(problem_at(place, "cantidad_aceptada", _("en una recepción parcial, la cantidad aceptada va "
                                                                   "entre 0 y la cantidad del acta")))
        if ln.conformity in ("parcial", "rechazado") and not ln.observation.strip():
            problems.append(problem_at(place, "observacion", _("escriba por qué se rechaza (todo o parte)")))
        if ln.conformity == "conforme" and ln.package_state != "bueno":
            problems.append(Problem(place, _("un envase «{package_state}» no se recibe conforme: recházelo o recíbalo en parte").format(package_state=ln.package_state)))
        if ln.accepted_units > 0:
            if not ln.lot.strip():
                problems.append(Problem(place, _("falta el lote: es obligatorio para recibir un producto")))
            if ln.expiry is None:
                problems.append(Problem(place, _("falta la fecha de vencimiento: es obligatoria")))
            elif ln.expiry < reception.day:
                problems.append(Problem(place, _("el producto venció el {expiry:%d/%m/%Y}: debe rechazarse").format(expiry=ln.expiry)))
            if ln.production and ln.production > reception.day:
                problems.append(Problem(place, _("la fecha de producción es posterior a la de entrega")))
            if ln.production and ln.expiry and ln.production > ln.expiry:
                problems.append(Problem(place, _("la fecha de producción es posterior al vencimiento")))
            if not ln.sanitary_registration.strip() and ln.food_code[:1] not in FRESH_GROUPS:
                problems.append(Problem(place, _("falta el registro sanitario (DIGESA) del producto")))
    return problems


def _payload(reception: Reception) -> dict:
    doc = asdict(reception)
    doc["conformity"] = reception.conformity
    for key in ("arrival_time", "guide"):  # only when the acta has them: older entries read the same
        if not doc[key]:
            del doc[key]
    return doc


def acta_key(acta: str) -> str:
    """What makes two acta numbers the same acta: «aer-2026-000731 » is AER-2026-000731. Compared as typed, the
    same acta was registered twice (once in lower case) and «Imprimir acta» then printed the other one."""
    return " ".join(str(acta).split()).upper()


def existing_actas(db: Database, committee_id: int) -> set[str]:
    """The committee's actas, as :func:`acta_key`."""
    with db.session() as s:
        return _actas(s, committee_id)


def _actas(s, committee_id: int) -> set[str]:
    import json

    rows = s.scalars(select(JournalEntry.payload).where(JournalEntry.committee_id == committee_id,
                                                        JournalEntry.kind == "recepcion",
                                                        JournalEntry.correction_type.is_(None)))
    return {acta_key(json.loads(p)["acta"]) for p in rows}


def record(db: Database, committee_id: int, receptions: list[Reception], *, user: str,
           where: dict[int, list[str]] | None = None) -> list[int]:
    """Record one or more actas, all or nothing. Returns the journal entry numbers."""
    from .recipes import known_codes

    codes = known_codes(db)
    problems: list[Problem] = []
    seen = existing_actas(db, committee_id)
    for i, rec in enumerate(receptions):
        problems += validate(rec, codes, (where or {}).get(i))
        if acta_key(rec.acta) in seen:
            problems.append(Problem(_("acta {acta}").format(acta=rec.acta), _("ya fue registrada")))
        seen.add(acta_key(rec.acta))
    if problems:
        raise InvalidInput(_("La recepción tiene errores; no se registró nada."), problems)
    seqs = []
    with db.session() as s:
        lock_committee(s, committee_id)  # before the checks that read existing rows
        taken = _actas(s, committee_id)
        taken = sorted(rec.acta for rec in receptions if acta_key(rec.acta) in taken)
        if taken:  # registered by someone else since the first check
            raise InvalidInput(_("La recepción tiene errores; no se registró nada."),
                               [Problem(_("acta {acta}").format(acta=acta), _("ya fue registrada")) for acta in taken])
        journal = Journal(s, committee_id)
        for rec in sorted(receptions, key=lambda r: r.day):
            entry = journal.append("recepcion", rec.day, _payload(rec), user=user)
            seqs.append(entry.seq)
            for ln in rec.lines:
                if ln.accepted_grams <= 0:
                    continue
                key = stock.lot_key(ln.food_code, ln.brand, ln.lot, ln.expiry)
                lot = s.scalar(select(StockLot).where(StockLot.committee_id == committee_id, StockLot.lot_key == key))
                if lot is None:
                    lot = StockLot(committee_id=committee_id, lot_key=key, food_code=ln.food_code,
                                   product_name=ln.product_name, brand=ln.brand, lot=ln.lot, expiry=ln.expiry,
                                   production=ln.production, sanitary_registration=ln.sanitary_registration,
                                   presentation=ln.presentation, received_grams=Decimal(0), balance_grams=Decimal(0),
                                   first_received=rec.day, suspended=False, suspension_reason="")
                    s.add(lot)
                    s.flush()
                lot.received_grams = Decimal(lot.received_grams) + ln.accepted_grams
                stock.move(s, committee_id, entry.seq, rec.day, lot, ln.accepted_grams, "recepcion", "",
                           _("acta {acta}").format(acta=rec.acta))
    return seqs


def received_summary(db: Database, committee_id: int, start: date, end: date) -> list[dict]:
    """The actas received in a period, as recorded (for reports)."""
    with db.session() as s:
        return [e.payload for e in Journal(s, committee_id).entries("recepcion", start=start, end=end)
                if e.correction_type is None]


# ----------------------------------------------------------------------------- an acta as recorded
def recorded_day(entry: Entry) -> date | None:
    """The local day an entry was recorded (its ``recorded_at`` is UTC)."""
    try:
        return datetime.fromisoformat(entry.recorded_at).astimezone().date()
    except (TypeError, ValueError):
        return None


def _day(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def reception_of(payload: dict) -> Reception:
    """The reception as recorded in the journal (strings back to decimals and dates)."""
    lines = tuple(
        ReceptionLine(
            food_code=ln["food_code"], product_name=ln.get("product_name", ""), brand=ln.get("brand", ""),
            presentation=ln.get("presentation", ""), unit=ln.get("unit", ""),
            net_grams_per_unit=Decimal(str(ln["net_grams_per_unit"])), quantity=Decimal(str(ln["quantity"])),
            accepted_units=Decimal(str(ln["accepted_units"])), lot=ln.get("lot", ""),
            production=_day(ln.get("production")), expiry=_day(ln.get("expiry")),
            sanitary_registration=ln.get("sanitary_registration", ""), package_state=ln.get("package_state", ""),
            conformity=ln.get("conformity", ""), observation=ln.get("observation", ""),
        )
        for ln in payload.get("lines", [])
    )
    return Reception(
        day=_day(payload["day"]), acta=payload["acta"], supplier_ruc=payload.get("supplier_ruc", ""),
        supplier=payload.get("supplier", ""), lines=lines, vehicle_clean=bool(payload.get("vehicle_clean", True)),
        staff_protected=bool(payload.get("staff_protected", True)),
        storage_ready=bool(payload.get("storage_ready", True)), observation=payload.get("observation", ""),
        arrival_time=payload.get("arrival_time", ""), guide=payload.get("guide", ""),
    )


def find_acta(db, committee_id: int, acta: str) -> tuple[Entry, Entry | None]:
    """The journal entry of ``acta`` and its reversal (None when it stands). ``NotFound`` otherwise."""
    wanted = acta_key(acta)
    with db.session() as s:
        entries = Journal(s, committee_id).entries("recepcion")
    originals = [e for e in entries if e.correction_type is None]
    entry = next((e for e in originals if acta_key(e.payload.get("acta", "")) == wanted), None)
    if entry is None:
        known = [str(e.payload.get("acta", "")) for e in originals]
        hint = ""
        if known:
            shown = ", ".join(known[-5:])
            hint = f" Actas registradas: {shown}." if len(known) <= 5 else _(" Las últimas registradas: {shown}.").format(shown=shown)
        else:
            hint = _(" Todavía no se ha registrado ninguna entrega.")
        raise NotFound(_("No hay ningún acta de entrega «{strip}» registrada en este comité.{hint}").format(strip=acta.strip(), hint=hint))
    reversal = next((e for e in entries if e.correction_type == REVERSAL and e.corrects_seq == entry.seq), None)
    return entry, reversal
