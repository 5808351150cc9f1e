"""The "Kárdex de almacén" of one product: every movement with its lot and the running balance (kg, to
the gram), the period's totals, and the lots held now with their expiry.

Movements read as the committee says them: "Ingreso por acta …", "Salida a cocina", "Ajuste: motivo",
"Corrección". The journal entry number of each row lets a supervisor find it in the journal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from ..domain.stock import KardexLine, LotInfo
from ..errors import InvalidInput, NotFound
from ..i18n import N_, _
from ..services import stock as stock_service
from ..services.catalog import food_names
from ..services.stock import PURCHASE_DOCUMENTS, movement_label  # noqa: E402,F401  (wording of the core)
from .base import (
    FONT,
    FONT_BOLD,
    HEAD_BG,
    INK,
    MUTED,
    STATUS_COLOURS,
    build_pdf,
    escape,
    format_date,
    format_number,
    page_frame_size,
    records_intact,
    style,
)
from .parts import Signer, column_widths, committee_signers, grid, kg, signature_table

TITLE = N_("Kárdex de almacén")
ZERO = Decimal(0)
SOON_DAYS = 30
OPENING_BG = colors.HexColor("#fff6d6")
HEAD_SIZE = 11
KG_SAMPLE = "1,234.567"
LOT_SAMPLE, LOT_MOST = "LP-2609-11", "COMPRA-B002-004518"  # the column holds lots up to the second


def lot_sample(lots) -> str:
    """The longest lot code to fit on one line (no longer than ``LOT_MOST``: longer ones wrap)."""
    longest = max((str(lot) for lot in lots), key=len, default=LOT_SAMPLE)
    return longest if len(longest) <= len(LOT_MOST) else LOT_MOST


def movement_columns(lots) -> tuple:
    return (
        (_("Fecha"), ("00/00/0000", FONT, 12)), (_("Asiento"), ("99999", FONT, 10.5)), (_("Movimiento"), None),
        (_("Lote"), (max(lot_sample(lots), LOT_SAMPLE, key=len), FONT, 11)), (_("Ingreso (kg)"), (KG_SAMPLE, FONT, 12.5)),
        (_("Salida (kg)"), (KG_SAMPLE, FONT, 12.5)), (_("Saldo (kg)"), (KG_SAMPLE, FONT_BOLD, 12.5)),
    )


@dataclass(frozen=True)
class KardexPeriod:
    opening: Decimal
    lines: list[KardexLine]
    total_in: Decimal
    total_out: Decimal

    @property
    def closing(self) -> Decimal:
        return self.lines[-1].balance if self.lines else self.opening


def period_of(lines: list[KardexLine], start: date | None, end: date | None) -> KardexPeriod:
    before = [ln for ln in lines if start is not None and ln.day < start]
    inside = [ln for ln in lines if (start is None or ln.day >= start) and (end is None or ln.day <= end)]
    opening = before[-1].balance if before else ZERO
    total_in = sum((ln.grams for ln in inside if ln.grams > 0), ZERO)
    total_out = sum((-ln.grams for ln in inside if ln.grams < 0), ZERO)
    return KardexPeriod(opening, inside, total_in, total_out)


def _product_name(db, food_code: str, lots: list[LotInfo]) -> str:
    if lots and lots[0].product_name:
        return lots[0].product_name
    return food_names(db).get(food_code, food_code)


def _movements(period: KardexPeriod, start: date | None, width: float) -> Table:
    head = style("cell_head", fontSize=HEAD_SIZE, leading=13.5)
    head_r = style("cell_head", fontSize=HEAD_SIZE, leading=13.5, alignment=TA_RIGHT)
    cell = style("cell", fontSize=12, leading=14.5)
    small = style("cell", fontSize=10.5, leading=13, textColor=MUTED, alignment=TA_CENTER)
    num = style("cell", fontSize=12.5, leading=15, alignment=TA_RIGHT)
    bold_num = style("cell_bold", fontSize=12.5, leading=15, alignment=TA_RIGHT)
    columns = movement_columns(ln.lot for ln in period.lines)
    data = [[Paragraph(text, head_r if n >= 4 else style("cell_head", fontSize=HEAD_SIZE, leading=13.5,
                                                          alignment=TA_CENTER) if n == 1 else head)
             for n, (text, _unused) in enumerate(columns)]]
    commands: list = []
    if start is not None:
        data.append(["", "", Paragraph(_("<b>Saldo anterior al {format_date}</b>").format(format_date=format_date(start)), cell), "", "", "",
                     Paragraph(kg(period.opening), bold_num)])
        commands += [("BACKGROUND", (0, 1), (-1, 1), OPENING_BG)]
    for ln in period.lines:
        data.append([
            Paragraph(format_date(ln.day), cell),
            Paragraph(str(ln.seq), small),
            Paragraph(escape(movement_label(ln)), cell),
            Paragraph(escape(ln.lot), style("cell", fontSize=11, leading=13.5)),
            Paragraph(kg(ln.grams) if ln.grams > 0 else "", num),
            Paragraph(kg(-ln.grams) if ln.grams < 0 else "", num),
            Paragraph(kg(ln.balance), bold_num),
        ])
    if not period.lines:
        data.append(["", "", Paragraph(_("<i>Sin movimientos en el periodo.</i>"), cell), "", "", "", ""])
    total = len(data)
    data.append(["", "", Paragraph(_("<b>Totales del periodo</b>"), style("cell", fontSize=13, leading=16)), "",
                 Paragraph(kg(period.total_in), bold_num), Paragraph(kg(period.total_out), bold_num),
                 Paragraph(kg(period.closing), style("cell_bold", fontSize=13, leading=16, alignment=TA_RIGHT))])
    commands += [("BACKGROUND", (0, total), (-1, total), HEAD_BG), ("LINEABOVE", (0, total), (-1, total), 1.2, INK),
                 ("TOPPADDING", (0, 1), (-1, -1), 3), ("BOTTOMPADDING", (0, 1), (-1, -1), 4)]
    return grid(data, column_widths(columns, width, head_size=HEAD_SIZE), commands)


def _lot_state(lot: LotInfo, today: date) -> tuple[str, str]:
    """(label, status for the colour) of a lot held today."""
    if lot.suspended:
        return _("Suspendido: no usar"), "fail"
    days = lot.days_to_expiry(today)
    if days is None:
        return _("Sin fecha de vencimiento"), "unknown"
    if days < 0:
        return _("Vencido: no usar"), "fail"
    if days == 0:
        return _("Vence hoy"), "unknown"
    if days <= SOON_DAYS:
        return _("Vence en {days} días").format(days=days), "unknown"
    return _("Vence en {days} días").format(days=days), "ok"


def _units_text(lot: LotInfo, grams: Decimal) -> str:
    """The balance in the units the lot came in: "9.5 bolsas", "1 botella"; "—" when unknown."""
    found = stock_service.commercial_units(lot, grams)
    if found is None:
        return "—"
    amount, unit = found
    word = unit.strip().lower()
    if amount != 1:
        word += "s" if word[-1:] in "aeiou" else "es"
    return f"{format_number(amount, 1, trim=True)} {word}"


def _count_sheet(committee, lots: list[LotInfo], today: date, width: float) -> list:
    """The physical count: each lot's kardex balance beside blank columns to write what was counted,
    and the signatures of who counted and who witnessed."""
    held = [lot for lot in lots if lot.balance_grams > 0]
    if not held:
        return []
    head = style("cell_head", fontSize=11, leading=13.5)
    head_r = style("cell_head", fontSize=11, leading=13.5, alignment=TA_RIGHT)
    cell = style("cell", fontSize=11.5, leading=14)
    num = style("cell", fontSize=11.5, leading=14, alignment=TA_RIGHT)
    data = [[Paragraph(_("Lote"), head), Paragraph(_("Según el kárdex (kg)"), head_r),
             Paragraph(_("Según el kárdex (unidades)"), head_r), Paragraph(_("Contado (unidades y kg)"), head),
             Paragraph(_("Diferencia y motivo"), head)]]
    for lot in held:
        data.append([Paragraph(escape(lot.lot), cell), Paragraph(kg(lot.balance_grams), num),
                     Paragraph(_units_text(lot, lot.balance_grams), num), "", ""])
    table = grid(data, [f * width for f in (0.2, 0.15, 0.17, 0.22, 0.26)],
                 [("TOPPADDING", (0, 1), (-1, -1), 8), ("BOTTOMPADDING", (0, 1), (-1, -1), 8)], zebra=False)
    signers = committee_signers(committee, today, ("almacenero", "presidente"), blank_for_missing=True)
    if not committee_signers(committee, today, ("almacenero",), blank_for_missing=True):
        signers.insert(0, Signer(_("Almacenero(a) del CAE")))
    return [KeepTogether([
        Paragraph(_("Conteo físico del almacén"), style("heading")),
        Paragraph(_("Fecha del conteo: ____/____/________. Cuente cada lote, anote lo contado y la diferencia con "
                  "el kárdex; luego registre el conteo en el programa (Almacén → Conteo)."), style("small")),
        table, Spacer(1, 0.2 * cm),
        *signature_table(signers, width, columns=3, space=1.2 * cm),
    ])]


def width_of_page() -> float:
    return page_frame_size(wide=True)[0]


OUTSIDE_COLUMNS = ((N_("Fecha"), ("00/00/0000", FONT, 12)), (N_("Comida y nivel"), ("Desayuno, secundaria", FONT, 11.5)),
                   (N_("De dónde vino"), None), (N_("Asiento"), ("99999", FONT, 10.5)), (N_("Cantidad (kg)"), (KG_SAMPLE, FONT, 12)))


def _outside(outside, width: float) -> list:
    """Food from outside the store (parents' contribution, a donation…): used by the services, never in
    the store, so outside the kardex's balance; listed with where it came from and totalled per origin."""
    if not outside:
        return []
    head = style("cell_head", fontSize=11, leading=13.5)
    head_r = style("cell_head", fontSize=11, leading=13.5, alignment=TA_RIGHT)
    cell = style("cell", fontSize=11.5, leading=14)
    right = style("cell_bold", fontSize=12, leading=14.5, alignment=TA_RIGHT)
    data = [[Paragraph(_(text), head_r if n in (3, 4) else head) for n, (text, _s) in enumerate(OUTSIDE_COLUMNS)]]
    totals: dict[str, Decimal] = {}
    for o in outside:
        data.append([Paragraph(format_date(o.day), cell),
                     Paragraph(escape(f"{o.meal.capitalize()}, {o.level}"), cell),
                     Paragraph(escape(o.origin), cell),
                     Paragraph(str(o.seq), style("cell", fontSize=11, leading=14, alignment=TA_RIGHT)),
                     Paragraph(kg(o.grams), right)])
        totals[o.origin] = totals.get(o.origin, ZERO) + o.grams
    for origin, grams in sorted(totals.items()):
        data.append([Paragraph(_("<b>Total: {escape}</b>").format(escape=escape(origin)), cell), "", "", "", Paragraph(kg(grams), right)])
    first_total = len(data) - len(totals)
    commands = [("SPAN", (0, r), (3, r)) for r in range(first_total, len(data))]
    commands += [("BACKGROUND", (0, first_total), (-1, -1), HEAD_BG),
                 ("LINEABOVE", (0, first_total), (-1, first_total), 1.2, INK)]
    heading = Paragraph(_("Alimentos de fuera del almacén"), style("heading"))
    note = Paragraph(_("Los trajeron los padres, se compraron aparte o se donaron: no entraron al almacén, así que "
                     "no suman ni restan al saldo del kárdex."), style("small"))
    table = grid(data, column_widths([(_(t), s) for t, s in OUTSIDE_COLUMNS], width, head_size=11), commands)
    return [Spacer(1, 0.3 * cm), KeepTogether([heading, note, table])] if len(data) < 12 else \
        [Spacer(1, 0.3 * cm), KeepTogether([heading, note]), table]


def _held(lots: list[LotInfo], today: date, width: float) -> list:
    held = [lot for lot in lots if lot.balance_grams > 0]
    heading = Paragraph(_("Lotes en el almacén al {format_date}").format(format_date=format_date(today)), style("heading"))
    if not held:
        return [KeepTogether([heading, Paragraph(_("No queda nada de este producto en el almacén."), style("body"))])]
    head = style("cell_head", fontSize=11, leading=13.5)
    cell = style("cell", fontSize=11.5, leading=14)
    head_r = style("cell_head", fontSize=11, leading=13.5, alignment=TA_RIGHT)
    data = [[Paragraph(_("Lote"), head), Paragraph(_("Marca"), head), Paragraph(_("Vence"), head),
             Paragraph(_("Estado"), head), Paragraph(_("Saldo (kg)"), head_r), Paragraph(_("En unidades"), head_r)]]
    commands = []
    for r, lot in enumerate(held, 1):
        label, status = _lot_state(lot, today)
        bg, ink = STATUS_COLOURS[status]
        data.append([Paragraph(escape(lot.lot), cell), Paragraph(escape(lot.brand) or "—", cell),
                     Paragraph(f"<b>{format_date(lot.expiry)}</b>" if lot.expiry else "—", cell),
                     Paragraph(f"<b>{escape(label)}</b>", style("cell", fontSize=11.5, leading=14, textColor=ink)),
                     Paragraph(kg(lot.balance_grams), style("cell_bold", fontSize=12, leading=14.5,
                                                            alignment=TA_RIGHT)),
                     Paragraph(_units_text(lot, lot.balance_grams), style("cell", fontSize=11.5, leading=14,
                                                                          alignment=TA_RIGHT))])
        commands.append(("BACKGROUND", (3, r), (3, r), bg))
    total = sum((lot.balance_grams for lot in held), ZERO)
    data.append(["", "", "", Paragraph(_("<b>Total en el almacén</b>"), cell),
                 Paragraph(kg(total), style("cell_bold", fontSize=13, leading=15.5, alignment=TA_RIGHT)), ""])
    last = len(data) - 1
    commands += [("BACKGROUND", (0, last), (-1, last), HEAD_BG), ("LINEABOVE", (0, last), (-1, last), 1.2, INK)]
    fractions = (0.18, 0.2, 0.13, 0.2, 0.14, 0.15)
    note = Paragraph(_("Se usa primero el lote que vence antes. Un lote vencido o suspendido no sale a cocina."),
                     style("small"))
    return [KeepTogether([heading, grid(data, [f * width for f in fractions], commands, zebra=False),
                          Spacer(1, 0.15 * cm), note])]


def build_kardex(db, committee, food_code: str, out: Path, *, start: date | None = None,
                 end: date | None = None, today: date | None = None) -> Path:
    """Write the kardex of ``food_code`` to ``out`` (A4 landscape, so every column reads in large type):
    its movements from ``start`` to ``end`` (default: all), with the balance brought forward, the
    totals, and the lots held ``today`` (default: the day it is printed). ``NotFound`` when the
    product never entered the store."""
    records_intact(db, committee)  # never print figures from tables that disagree with the journal
    code = food_code.strip().upper()
    if start is not None and end is not None and start > end:
        raise InvalidInput(_("El periodo empieza el {format_date} y termina antes, el {format_date2}.").format(format_date=format_date(start), format_date2=format_date(end)))
    from ..services.serving import outside_food

    lots = stock_service.lots(db, committee.id, food_code=code, with_empty=True)
    lines = stock_service.kardex(db, committee.id, code)
    outside = outside_food(db, committee.id, start or date.min, end or date.max, code)
    if not lots and not lines and not outside:
        name = food_names(db).get(code)
        what = f"{name} ({code})" if name else f"«{food_code.strip()}»"
        raise NotFound(_("El producto {what} nunca ingresó al almacén de este comité: no tiene kárdex.").format(what=what))
    today = today or date.today()
    name = _product_name(db, code, lots)
    if not lots and not lines:  # used only as food from outside the store: said so, with where it came from
        story = [Paragraph(_(TITLE), style("title", fontSize=16, leading=20, textColor=MUTED, spaceAfter=2)),
                 Paragraph(escape(name), style("title")),
                 Paragraph(_("Código <b>{escape}</b>").format(escape=escape(code)), style("body", fontSize=13.5, leading=17)),
                 Paragraph(_("Este producto nunca entró al almacén: no tiene movimientos de kárdex. Lo que se usó "
                           "vino de fuera del almacén."), style("body", fontSize=13.5, leading=17)),
                 *_outside(outside, width_of_page())]
        sub = f"{_(TITLE)}: {name} ({code})"
        return build_pdf(out, story, title=sub, committee=committee, wide=True, subject=sub)
    period = period_of(lines, start, end)
    width, _unused = page_frame_size(wide=True)
    if start is None and end is None:
        span = _("Todos los movimientos registrados")
    elif start is None:
        span = _("Movimientos hasta el {format_date}").format(format_date=format_date(end))
    elif end is None:
        span = _("Movimientos desde el {format_date}").format(format_date=format_date(start))
    else:
        span = _("Movimientos del {format_date} al {format_date2}").format(format_date=format_date(start), format_date2=format_date(end))
    presentation = next((lot.presentation for lot in lots if lot.presentation), "")
    facts = _("Código <b>{escape}</b>").format(escape=escape(code))
    if presentation:
        facts += _("  ·  Presentación {escape}").format(escape=escape(presentation))
    story: list = [
        Paragraph(_(TITLE), style("title", fontSize=16, leading=20, textColor=MUTED, spaceAfter=2)),
        Paragraph(escape(name), style("title")),
        Paragraph(facts, style("body", fontSize=13.5, leading=17)),
        Paragraph(span, style("subtitle")),
        _movements(period, start, width),
        Spacer(1, 0.15 * cm),
        Paragraph(_("Saldo final: <b>{kg} kg</b>").format(kg=kg(period.closing))
                  + (_(" al {format_date}").format(format_date=format_date(end)) if end is not None else "") + ".",
                  style("body", fontSize=14, leading=18)),
        *_held(lots, today, width),
        *_outside(outside, width),
        *_count_sheet(committee, lots, today, width),
    ]
    sub = f"{_(TITLE)}: {name} ({code})"
    return build_pdf(out, story, title=sub, committee=committee, wide=True, subject=f"{sub}. {span}")
