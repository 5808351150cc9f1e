"""Two documents a supervisor asks for after the 2020 and 2025 findings (DOMAIN.md §8):

- the expiry report: lots in the store that have expired (red) or expire within N days (amber), with
  what is left of each and what to do;
- the incident report: each incident with its date, type, product and lot, children affected,
  referral to the health post, report to the programme (with its reference) and notes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from ..domain.stock import INCIDENT_TYPES, LotInfo
from ..errors import InvalidInput
from ..i18n import N_, _
from ..services import incidents as incident_service
from ..services import stock as stock_service
from ..services.catalog import food_names
from .base import (
    FONT_BOLD,
    HEAD_BG,
    INK,
    MUTED,
    STATUS_COLOURS,
    build_pdf,
    escape,
    format_date,
    format_number,
    long_date,
    page_frame_size,
    style,
    table_style,
)
from .parts import column_widths, committee_signers, grid, kg, signature_table, tick

EXPIRY_TITLE = N_("Productos vencidos y por vencer")
INCIDENT_TITLE = N_("Informe de incidencias")
ZERO = Decimal(0)


EXPIRY_COLUMNS = (
    (N_("Producto y lote"), None), (N_("Vence"), ("00/00/0000", FONT_BOLD, 12)), (N_("Estado"), ("hace 30 días", FONT_BOLD, 11.5)),
    (N_("Saldo (kg)"), ("1,234.567", FONT_BOLD, 12.5)),
)
WHAT_TO_DO = (
    N_("<b>Vencido (rojo):</b> no se usa. Sepárelo del resto, márquelo «NO USAR», regístrelo como ajuste "
    "«Retiro por vencimiento» y avise al programa (Unidad Territorial)."),
    N_("<b>Por vencer (ámbar):</b> úselo primero, antes que los otros lotes del mismo producto. Si no "
    "alcanzará a usarse antes de la fecha, avise al programa."),
)


# -------------------------------------------------------------------------------------------- expiry
def _state(lot: LotInfo, today: date) -> tuple[str, str]:
    """(text, status for the colour)."""
    days = lot.days_to_expiry(today)
    if days is None:
        return _("Sin fecha"), "unknown"
    if days < 0:
        n = -days
        return (_("VENCIDO<br/>hace {n} día{value}").format(n=n, value='s' if n != 1 else ''), "fail")
    if days == 0:
        return _("Vence HOY"), "fail"
    return (_("Vence en<br/>{days} día{value}").format(days=days, value='s' if days != 1 else ''), "unknown")


def build_expiry_report(db, committee, today: date, out: Path, *, days: int = 30) -> Path:
    """Write the report of lots in store that have expired or expire within ``days`` days of
    ``today`` (A4 portrait) to ``out``: expired in red, soon in amber, suspended lots flagged, with the
    balance of each; what to do; the president's and secretary's signature lines."""
    if days < 0:
        raise InvalidInput(_("Los días de anticipación no pueden ser negativos."))
    lots = stock_service.expiring(db, committee.id, today, days)
    width, _unused = page_frame_size()
    expired = [lot for lot in lots if lot.expired(today)]
    story: list = [
        Paragraph(_(EXPIRY_TITLE), style("title")),
        Paragraph(_("{capitalize}  ·  lotes con saldo que vencen en los próximos {days} días o que ya vencieron").format(capitalize=long_date(today).capitalize(), days=days), style("subtitle")),
    ]
    if not lots:
        story.append(Paragraph(_("<b>Ningún lote del almacén vence en los próximos {days} días.</b> No hay productos vencidos.").format(days=days), style("body", fontSize=14, leading=18)))
    else:
        soon = len(lots) - len(expired)
        counts = (_("<b>1</b> lote vencido") if len(expired) == 1
                  else _("<b>{n}</b> lotes vencidos").format(n=len(expired)))
        if expired:
            counts = f"<font color='#b71c1c'>{counts}</font>"
        later = _("<b>{soon}</b> por vencer").format(soon=soon)
        if soon:
            later = f"<font color='#6d4c00'>{later}</font>"
        story.append(Paragraph(f"{counts}  ·  {later}", style("body", fontSize=15, leading=19)))
        story += [Spacer(1, 0.15 * cm), _expiry_table(lots, today, width)]
    advice = [Spacer(1, 0.3 * cm), Paragraph(_("Qué hacer"), style("heading"))]
    advice += [Paragraph(text, style("body", fontSize=13, leading=17)) for text in map(_, WHAT_TO_DO)]
    story.append(KeepTogether(advice + _signatures(committee, today, width)))  # never signatures alone
    return build_pdf(out, story, title=_(EXPIRY_TITLE), committee=committee,
                     subject=_("{EXPIRY_TITLE} al {format_date} ({days} días)").format(EXPIRY_TITLE=_(EXPIRY_TITLE), format_date=format_date(today), days=days))


def _expiry_table(lots: list[LotInfo], today: date, width: float) -> Table:
    head = style("cell_head", fontSize=11.5, leading=14)
    cell = style("cell", fontSize=12, leading=14.5)
    data = [[Paragraph(_(text), style("cell_head", fontSize=11.5, leading=14, alignment=TA_RIGHT)) if n == 3
             else Paragraph(_(text), head) for n, (text, _unused) in enumerate(EXPIRY_COLUMNS)]]
    commands: list = []
    for r, lot in enumerate(lots, 1):
        text, status = _state(lot, today)
        bg, ink = STATUS_COLOURS[status]
        extra = "<br/><font color='#b71c1c'><b>SUSPENDIDO</b></font>" if lot.suspended else ""
        data.append([
            Paragraph(_("<b>{escape}</b><br/>Lote <b>{escape2}</b><br/><font size=10.5 color='#555555'>{brand_and_code}</font>{extra}").format(escape=escape(lot.product_name), escape2=escape(lot.lot), brand_and_code=_brand_and_code(lot.brand, lot.food_code), extra=extra),
                      cell),
            Paragraph(f"<b>{format_date(lot.expiry)}</b>" if lot.expiry else "—", cell),
            Paragraph(f"<b>{text}</b>", style("cell", fontSize=11.5, leading=14, textColor=ink)),
            Paragraph(kg(lot.balance_grams), style("cell_bold", fontSize=12.5, leading=15, alignment=TA_RIGHT)),
        ])
        commands.append(("BACKGROUND", (0, r), (-1, r), bg))
    return grid(data, column_widths(_translated(EXPIRY_COLUMNS), width, head_size=11.5), commands, zebra=False)


def _brand_and_code(brand: str, code: str) -> str:
    """"Vaquita Andina · código G5", or "código B29" for food bought loose, without a brand."""
    return " · ".join(p for p in (escape(brand.strip()), _("código {escape}").format(escape=escape(code))) if p)


def _signatures(committee, day: date, width: float) -> list:
    signers = committee_signers(committee, day, roles=("presidente", "secretario"))
    if not signers:
        return []
    return [Spacer(1, 0.5 * cm), *signature_table(signers, width, columns=2)]


# ------------------------------------------------------------------------------------------ incidents
def _lot_brand(db, committee_id: int, lot: str, food_code: str) -> str:
    wanted = lot.strip().upper()
    for info in stock_service.lots(db, committee_id, food_code=food_code or None, with_empty=True):
        if info.lot.strip().upper() == wanted:
            return info.brand
    return ""


def _yes_no(value: bool, yes: str = _("Sí"), no: str = _("No")) -> str:
    return f"{tick(value, yes)}&nbsp;&nbsp;&nbsp;{tick(not value, no)}"


def _incident_block(db, committee, n: int, record, names: dict[str, str], width: float) -> list:
    inc = record.incident
    kind = _(INCIDENT_TYPES[inc.kind]) if inc.kind in INCIDENT_TYPES else inc.kind
    status = "fail" if inc.kind == "ninos_enfermos" or inc.children_affected else "unknown"
    bg, ink = STATUS_COLOURS[status]
    band = Table([[Paragraph(f"<b>{n}. {escape(kind)}</b>", style("body", fontSize=15, leading=19, textColor=ink)),
                   Paragraph(f"<b>{format_date(inc.day)}</b>", style("body", fontSize=15, leading=19,
                                                                     textColor=ink, alignment=TA_RIGHT))]],
                 colWidths=[width * 0.7, width * 0.3])
    band.setStyle(table_style([("BACKGROUND", (0, 0), (-1, -1), bg), ("BOX", (0, 0), (-1, -1), 1.2, ink),
                               ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]))
    label = style("cell_bold", fontSize=12, leading=15)
    value = style("cell", fontSize=12.5, leading=16)
    product = "—"
    if inc.food_code or inc.lot:
        name = names.get(inc.food_code, inc.food_code) if inc.food_code else ""
        brand = _lot_brand(db, committee.id, inc.lot, inc.food_code) if inc.lot else ""
        parts = [f"<b>{escape(name)}</b>" if name else ""]
        if brand:
            parts.append(f"marca {escape(brand)}")
        if inc.lot:
            parts.append(_("lote <b>{escape}</b>").format(escape=escape(inc.lot)))
        product = ", ".join(p for p in parts if p)
    reported = _yes_no(inc.reported_to_programme)
    if inc.reported_to_programme and inc.programme_reference.strip():
        reported += _("&nbsp;&nbsp;&nbsp;Referencia: <b>{escape}</b>").format(escape=escape(inc.programme_reference.strip()))
    children = (f"<b>{format_number(inc.children_affected)}</b>" if inc.children_affected
                else _("Ninguno"))
    rows = [
        (_("Qué pasó"), escape(inc.description.strip()) or "—"),
        *([(_("Comida"), f"<b>{escape(_(MEAL_NAMES.get(inc.meal, inc.meal)))}</b>")] if inc.meal else []),
        (_("Producto y lote"), product),
        (_("Niños afectados"), children),
        (_("Derivados al puesto de salud"), _yes_no(inc.referred_to_health_post)),
        (_("Reportado al programa"), reported),
        (_("Notas"), escape(inc.notes.strip()) or "—"),
    ]
    data = [[Paragraph(k, label), Paragraph(v, value)] for k, v in rows]
    table = Table(data, colWidths=[width * 0.3, width * 0.7])
    table.setStyle(table_style([
        ("GRID", (0, 0), (-1, -1), 0.6, MUTED), ("BOX", (0, 0), (-1, -1), 1.2, INK),
        ("BACKGROUND", (0, 0), (0, -1), HEAD_BG), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    who = _("Registrado por {escape} · asiento n.º {seq}").format(escape=escape(record.user), seq=record.seq)
    traced = _lots_of_the_meal(db, committee, inc, width) if inc.kind == "ninos_enfermos" else []
    return [band, table, *traced, Paragraph(who, style("small", alignment=TA_RIGHT)), Spacer(1, 0.4 * cm)]


def _translated(columns) -> list:
    """Column definitions with their headings in the language in use."""
    return [(_(text), sample) for text, sample in columns]


MEAL_NAMES = {"desayuno": N_("Desayuno"), "almuerzo": N_("Almuerzo")}
LOT_COLUMNS = ((N_("Producto"), None), (N_("Lote y registro sanitario"), ("COMPRA-B002-004518", FONT_BOLD, 12)),
               (N_("Vence"), ("00/00/0000", FONT_BOLD, 11)), (N_("Salió (kg)"), ("1,234.567", FONT_BOLD, 11.5)))


def _lots_of_the_meal(db, committee, inc, width: float) -> list:
    """Children fell ill: the lots that went to the kitchen that day for that meal (both meals when the
    incident does not name one), so a supervisor can trace them and suspend them."""
    used = incident_service.lots_used(db, committee.id, inc.day, inc.meal)
    outside = _outside_of_the_meal(db, committee, inc)
    meal = _(MEAL_NAMES.get(inc.meal, inc.meal)).lower() if inc.meal else _("desayuno y almuerzo")
    heading = Paragraph(_("Lotes usados el {format_date} en el {meal}").format(format_date=format_date(inc.day), meal=meal) if inc.meal else
                        _("Lotes usados el {format_date} ({meal})").format(format_date=format_date(inc.day), meal=meal),
                        style("body", fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=6))
    if not used:
        return [heading, Paragraph(_("No hay salidas del almacén registradas para esa comida: no se puede saber "
                                   "qué lotes se usaron."), style("body", fontSize=12, leading=15,
                                                                 textColor=STATUS_COLOURS["fail"][1])), *outside]
    head = style("cell_head", fontSize=11, leading=13.5)
    cell = style("cell", fontSize=11.5, leading=14)
    right = style("cell_bold", fontSize=11.5, leading=14, alignment=TA_RIGHT)
    data = [[Paragraph(_(text), head) for text, _w in LOT_COLUMNS]]
    for u in used:
        what = f"<b>{escape(u.product_name)}</b><br/><font size=10 color='#555555'>{_brand_and_code(u.brand, u.food_code)}"
        if not inc.meal:
            what += f" · {escape(_(MEAL_NAMES.get(u.meal, u.meal)).lower())}"
        registration = escape(u.sanitary_registration) if u.sanitary_registration.strip() else _("— (fresco)")
        data.append([Paragraph(what + "</font>", cell),
                     Paragraph(f"<b>{escape(u.lot)}</b><br/><font size=10 color='#555555'>{registration}</font>", cell),
                     Paragraph(format_date(u.expiry) if u.expiry else "—", cell),
                     Paragraph(kg(u.grams), right)])
    note = Paragraph(_("Un lote sospechoso se suspende en «Almacén» (así no vuelve a salir a cocina); allí mismo se ve "
                     "qué días, comidas y niveles lo comieron."), style("small"))
    return [heading, grid(data, column_widths(_translated(LOT_COLUMNS), width, head_size=11), [], zebra=True), note, *outside]


def _outside_of_the_meal(db, committee, inc) -> list:
    """The same meal's food from outside the store (it has no lot): named with where it came from."""
    found = incident_service.outside_used(db, committee.id, inc.day, inc.meal)
    if not found:
        return []
    names = food_names(db)
    items = [_("{escape} ({escape2}, {kg} kg").format(escape=escape(names.get(code, code)), escape2=escape(origin), kg=kg(grams))
             + (f", {MEAL_NAMES.get(meal, meal).lower()})" if not inc.meal else ")")
             for meal, code, origin, grams in found]
    return [Paragraph(_("<b>También se usó, de fuera del almacén (sin lote):</b> ") + "; ".join(items) + ".",
                      style("body", fontSize=11.5, leading=14.5, spaceBefore=4))]


def build_incident_report(db, committee, out: Path, *, start: date | None = None,
                          end: date | None = None) -> Path:
    """Write the incidents recorded from ``start`` to ``end`` (default: all) to ``out`` (A4 portrait),
    oldest first, each with its facts, and the president's and secretary's signature lines."""
    if start is not None and end is not None and start > end:
        raise InvalidInput(_("El periodo empieza el {format_date} y termina antes, el {format_date2}.").format(format_date=format_date(start), format_date2=format_date(end)))
    records = sorted(incident_service.list_incidents(db, committee.id, start, end),
                     key=lambda r: (r.incident.day, r.seq))
    width, _unused = page_frame_size()
    if start is None and end is None:
        span = _("Todas las incidencias registradas")
    elif start is None:
        span = _("Incidencias hasta el {format_date}").format(format_date=format_date(end))
    elif end is None:
        span = _("Incidencias desde el {format_date}").format(format_date=format_date(start))
    else:
        span = _("Incidencias del {format_date} al {format_date2}").format(format_date=format_date(start), format_date2=format_date(end))
    story: list = [Paragraph(_(INCIDENT_TITLE), style("title")), Paragraph(span, style("subtitle"))]
    day = end or (records[-1].incident.day if records else date.today())
    signatures = _signatures(committee, day, width)
    if not records:
        story.append(Paragraph(_("<b>No hay incidencias registradas en el periodo.</b>"),
                               style("body", fontSize=14, leading=18)))
    else:
        children = sum(r.incident.children_affected for r in records)
        referred = sum(1 for r in records if r.incident.referred_to_health_post)
        pending = sum(1 for r in records if not r.incident.reported_to_programme)
        summary = (_("<b>{len}</b> incidencia{value}  ·  niños afectados: <b>{format_number}</b>  ·  derivados al puesto de salud: <b>{referred}</b>").format(len=len(records), value='s' if len(records) != 1 else '', format_number=format_number(children), referred=referred))
        story.append(Paragraph(summary, style("body", fontSize=14, leading=18)))
        if pending:
            story.append(Paragraph(
                _("<font color='#b71c1c'><b>{pending}</b> sin reportar al programa.</font> Repórtelas a la Unidad Territorial o a la línea gratuita y anote la referencia.").format(pending=pending), style("body", fontSize=13)))
        story.append(Spacer(1, 0.3 * cm))
        names = food_names(db)
        blocks = [_incident_block(db, committee, n, r, names, width) for n, r in enumerate(records, 1)]
        last = blocks.pop()
        story += [KeepTogether(block) for block in blocks]
        if len(last) > 4:  # an illness with its lots: the signatures go with the lots, the facts before them
            story += [KeepTogether(last[:2]), KeepTogether(last[2:] + signatures)]
        else:  # the signatures go with the last incident, never alone on a page
            story.append(KeepTogether(last + signatures))
        signatures = []
    if signatures:
        story.append(KeepTogether(signatures))
    title = _(INCIDENT_TITLE) if start is None and end is None else f"{_(INCIDENT_TITLE)} · {span.lower()}"
    return build_pdf(out, story, title=title, committee=committee, subject=f"{_(INCIDENT_TITLE)}. {span}")
