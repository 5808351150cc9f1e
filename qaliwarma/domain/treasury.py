"""Treasury of a committee that manages money (PAE local purchases): documents and their rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..i18n import _
from .identifiers import check_dni, check_ruc

# The headings are those of the PAE money-modality records (DOMAIN.md §7). Their shares are the team's
# suggested split, NOT a programme rule: the team found no published programme norm that fixes a
# percentage per heading for a committee's money (DOMAIN.md §7 lists the headings without shares). So a
# heading spent beyond its share is a warning, never a refusal; the only hard limit is the money actually
# received and not yet spent (services/treasury.record_expenses).
# The committee edits the shares or sets fixed amounts (treasury.set_headings).
DEFAULT_HEADINGS = (
    ("alimentos", "Alimentos", Decimal("70")),
    ("transporte", "Transporte", Decimal("8")),
    ("gas", "Gas", Decimal("8")),
    ("estipendio", "Estipendio", Decimal("8")),
    ("limpieza", "Limpieza", Decimal("4")),
    ("otros", "Otros", Decimal("2")),
)
DOC_TYPES = {
    "boleta": "Boleta de venta",
    "factura": "Factura",
    "ticket": "Ticket",
    "recibo": "Recibo",
    "declaracion_jurada": "Declaración jurada",
    "planilla_movilidad": "Planilla de movilidad",
}
DOC_ALIASES = {"boleta de venta": "boleta", "dj": "declaracion_jurada", "declaracion jurada": "declaracion_jurada",
               "planilla de movilidad": "planilla_movilidad", "movilidad": "planilla_movilidad"}
CYCLE_STATES = {"borrador": "Borrador", "presentado": "Presentado", "aprobado": "Aprobado", "observado": "Observado"}
PAYMENTS = ("efectivo", "banco")
_SERIES = re.compile(r"^[A-Z0-9]{1,4}-\d{1,8}$")


def rendiciones(payloads) -> dict[str, dict[str, str]]:
    """Month → {"state", "observations"} of its rendición, as the last ``tesoreria.estado`` entry of that month
    says (``payloads``: those entries' payloads, in the journal's order). A month without one is a draft."""
    said: dict[str, dict[str, str]] = {}
    for p in payloads:
        if isinstance(p, dict):
            said[str(p.get("cycle"))] = {"state": p.get("state"), "observations": p.get("observations") or ""}
    return said


def document_key(doc_number: str) -> str:
    """What makes two document numbers the same document: case and spaces aside, and for a series-number
    (boleta, factura: «B003-000112») the values of the series' digits and of the number, so «b003-112» and
    «B03-112» are the receipt «B003-000112» already recorded (the same paper written with fewer zeros), not a
    new one; «B030-112» is another series."""
    text = doc_number.strip().upper()
    series, dash, number = text.rpartition("-")
    if dash and series and number.isdigit() and _SERIES.match(text):
        letters = series.rstrip("0123456789")
        digits = series[len(letters):]
        return f"{letters}{int(digits) if digits else ''}-{int(number)}"
    return text


# SUNAT's series: an electronic boleta's begins with B (EB from SUNAT's own system), an electronic factura's with
# F (E from SUNAT's system); a printed receipt's series is digits only (0001), whatever its type.
_SERIES_OF = {"boleta": ("B", "EB"), "factura": ("F", "E")}


def check_series(doc_type: str, doc_number: str) -> str | None:
    """A Spanish message when a boleta's or factura's number is not «series-number», or its series is the other
    type's: «F001-000123» is a factura's, so it cannot be recorded as a boleta (nor the same paper twice, once
    as each type). None when it is right."""
    text = doc_number.strip().upper()
    if not _SERIES.match(text):
        return _("«{doc_number}»: escriba serie y número, p. ej. B001-000123").format(doc_number=doc_number)
    series = text.partition("-")[0]
    if series.isdigit():
        return None
    if series.startswith(_SERIES_OF[doc_type]) and not (doc_type == "factura" and series.startswith("EB")):
        return None
    other = "factura" if doc_type == "boleta" else "boleta"
    if series.startswith(_SERIES_OF[other]):
        return _("«{doc_number}» es un número de {other} (su serie empieza con {letter}): revise el tipo de "
                 "documento").format(doc_number=doc_number.strip(), other=_(DOC_TYPES[other]).lower(),
                                     letter=series[:2] if series.startswith("EB") else series[0])
    return _("«{doc_number}»: la serie de una {kind} empieza con {letters}, o es solo de dígitos si es impresa "
             "(0001)").format(doc_number=doc_number.strip(), kind=_(DOC_TYPES[doc_type]).lower(),
                             letters=_(" o ").join(_SERIES_OF[doc_type]))


def duplicate_key(party_id: str, doc_type: str, doc_number: str) -> tuple[str, str, str]:
    """What makes two receipts from one supplier the same paper. A series with letters (B001, F001, EB01, E001:
    SUNAT's electronic receipts) names one document whatever type it was recorded as: the boleta «B002-004518»
    does not come back as a ticket or a recibo. A printed receipt's series is digits and numbered per type
    (a boleta and a factura may both be «0001-000005»)."""
    key = document_key(doc_number)
    series = key.rpartition("-")[0]
    electronic = bool(series) and not series[0].isdigit() and _SERIES.match(doc_number.strip().upper()) is not None
    return party_id, "" if electronic else doc_type, key


@dataclass(frozen=True)
class Heading:
    code: str
    name: str
    share_percent: Decimal | None = None
    fixed_amount: Decimal | None = None


HEADINGS_KIND = "tesoreria.rubros"  # the journal entry that sets the headings and their shares


def headings_payload(items) -> dict:
    """The ``tesoreria.rubros`` entry's payload for these headings, in their order."""
    return {"rubros": [{"code": h.code, "name": h.name, "share_percent": h.share_percent,
                        "fixed_amount": h.fixed_amount} for h in items]}


def headings_of(payload) -> list[Heading]:
    """The headings a ``tesoreria.rubros`` entry sets (a payload altered out of shape gives what it can)."""
    def amount(value):
        try:
            return None if value is None else Decimal(str(value))
        except ArithmeticError:
            return None

    rows = payload.get("rubros") if isinstance(payload, dict) else None
    return [Heading(str(r.get("code")), str(r.get("name")), amount(r.get("share_percent")), amount(r.get("fixed_amount")))
            for r in rows or [] if isinstance(r, dict)]


@dataclass(frozen=True)
class PurchaseItem:
    """Food bought with an expense: it enters the store as a lot and sets the price list."""

    food_code: str
    presentation: str  # BOLSA, KILO, LATA …
    net: str  # "1 kg"
    units: Decimal
    unit_price: Decimal
    lot: str = ""
    expiry: date | None = None
    brand: str = ""
    sanitary_registration: str = ""


@dataclass(frozen=True)
class Expense:
    day: date
    heading: str
    doc_type: str
    doc_number: str
    party_id: str  # RUC for factura/boleta/ticket; DNI for a sworn statement
    party_name: str
    detail: str
    amount: Decimal
    payment: str = "efectivo"
    extra: dict[str, str] = field(default_factory=dict)  # what/where (DJ); origin/destination/reason (movilidad)
    items: tuple[PurchaseItem, ...] = ()


@dataclass(frozen=True)
class Transfer:
    day: date
    amount: Decimal
    reference: str = ""
    deadline: date | None = None


def check_expense(e: Expense, headings: set[str]) -> dict[str, str]:
    """Field → Spanish message for each rule the expense breaks (documents and amounts)."""
    errors: dict[str, str] = {}
    if e.heading not in headings:
        errors["rubro"] = _("rubro «{heading}» desconocido (use: {join})").format(heading=e.heading, join=', '.join(sorted(headings)))
    if e.doc_type not in DOC_TYPES:
        errors["tipo_documento"] = _("tipo «{doc_type}» desconocido (use: {join})").format(doc_type=e.doc_type, join=', '.join(DOC_TYPES))
    if e.amount <= 0:
        errors["monto"] = _("el monto debe ser mayor que cero (se leyó {amount})").format(amount=e.amount)
    elif e.amount != e.amount.quantize(Decimal("0.01")):
        errors["monto"] = _("el monto tiene más de dos decimales (céntimos)")
    if not e.detail.strip():
        errors["detalle"] = _("escriba qué se compró o pagó")
    if not e.doc_number.strip():
        errors["numero_documento"] = _("falta el número del documento")
    if e.payment not in PAYMENTS:
        errors["pago"] = _("el pago es en efectivo o por banco")
    if e.doc_type in ("boleta", "factura", "ticket"):
        problem = check_ruc(e.party_id)
        if problem:
            errors["ruc_dni"] = problem
        if not e.party_name.strip():
            errors["proveedor"] = _("falta el nombre del proveedor")
        if e.doc_type in ("boleta", "factura") and e.doc_number.strip():
            problem = check_series(e.doc_type, e.doc_number)
            if problem:
                errors["numero_documento"] = problem
    elif e.doc_type == "declaracion_jurada":
        problem = check_dni(e.party_id)
        if problem:
            errors["ruc_dni"] = _("en una declaración jurada va el DNI del vendedor: {problem}").format(problem=problem)
        if not e.party_name.strip():
            errors["proveedor"] = _("falta el nombre del vendedor")
        for key, label in (("que", _("qué se compró")), ("donde", _("dónde se compró"))):
            if not e.extra.get(key, "").strip():
                errors[key] = _("la declaración jurada debe decir {label}").format(label=label)
    elif e.doc_type == "planilla_movilidad":
        for key, label in (("origen", _("el origen")), ("destino", _("el destino")), ("motivo", _("el motivo"))):
            if not e.extra.get(key, "").strip():
                errors[key] = _("la planilla de movilidad debe indicar {label}").format(label=label)
    elif e.doc_type == "recibo":
        if check_dni(e.party_id) and check_ruc(e.party_id):
            errors["ruc_dni"] = _("en un recibo va el DNI (8 dígitos) o el RUC (11) de quien cobra")
    if e.items:
        total = sum((i.units * i.unit_price for i in e.items), Decimal(0))
        if total.quantize(Decimal("0.01")) != e.amount:
            errors["detalle"] = _("los alimentos comprados suman S/ {total:,.2f}, no S/ {amount:,.2f}").format(total=total, amount=e.amount)
    return errors
