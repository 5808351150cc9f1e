"""The "Acta de recepción de alimentos" the committee signs when a delivery arrives.

It follows the paper the committee knows: the delivery's data (acta number, date, supplier and RUC),
the checklist before receiving (clean vehicle, staff with protective clothing, store ready) with Sí/No
boxes, each product line as checked (brand, lot, presentation, package, dates, sanitary registration,
quantities in the acta, accepted and rejected, conformity), the observations, the overall conformity in
large type, the journal entry and its "código de registro", and the signature lines.

Also home of the small pieces the stock documents share: the plain grid, the Sí/No box and the
signature lines (:func:`signature_table`).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, Table

from ..domain.stock import Reception
from ..i18n import N_, _
from ..persistence.journal import Entry
from ..services.receiving import find_acta, reception_of, recorded_day  # noqa: F401  (the core reads the journal)
from .base import (
    FONT,
    FONT_BOLD,
    HEAD_BG,
    INK,
    MUTED,
    RULE,
    STATUS_COLOURS,
    build_pdf,
    escape,
    format_date,
    format_number,
    format_weight,
    long_date,
    page_frame_size,
    records_intact,
    story_height,
    style,
    table_style,
)
from .parts import (  # noqa: F401  (the toolkit; kept importable from here for older callers)
    CELL_PADDING,
    CHECKED,
    UNCHECKED,
    Signer,
    column_widths,
    committee_signers,
    grid,
    signature_table,
    tick,
)

TITLE = N_("Acta de recepción de alimentos")
CODE_LENGTH = 12
CHECKLIST = (
    ("vehicle_clean", N_("El vehículo del proveedor llegó limpio.")),
    ("staff_protected", N_("El personal que entrega usa indumentaria de protección (mandil, gorro, mascarilla).")),
    ("storage_ready", N_("El almacén está limpio y listo para guardar los alimentos (tarimas o mesas).")),
)
PACKAGE_LABELS = {"bueno": N_("Bueno"), "abollado": N_("Abollado"), "hinchado": N_("Hinchado"), "oxidado": N_("Oxidado"),
                  "roto": N_("Roto"), "derramado": N_("Derramado"), "humedo": N_("Húmedo"), "otro": N_("Otro")}
CONFORMITY_LABELS = {"conforme": N_("Conforme"), "parcial": N_("Parcial"), "rechazado": N_("Rechazado")}
CONFORMITY_STATUS = {"conforme": "ok", "parcial": "unknown", "rechazado": "fail"}
CONFORMITY_MEANING = {
    "conforme": N_("Todo lo entregado se recibió y entró al almacén."),
    "parcial": N_("Se recibió solo una parte. Lo rechazado no entró al almacén y vuelve al proveedor."),
    "rechazado": N_("No se recibió nada. Todo vuelve al proveedor; nada entró al almacén."),
}
REJECTED_INK = STATUS_COLOURS["fail"][1]
VOID_BG = colors.HexColor("#b71c1c")


# --------------------------------------------------------------------------------------- the acta
def _qty(value: Decimal) -> str:
    return format_number(value, 3, trim=True)


def _info_table(rec: Reception, width: float) -> Table:
    """The acta's identification and its verdict in two rows of three pairs (three with the arrival time
    and the guía de remisión): the verdict sits at the top right of page 1, and the lines start below."""
    label = style("cell", fontSize=10, leading=12, textColor=MUTED)
    value = style("cell_bold", fontSize=12.5, leading=15)
    verdict = rec.conformity
    bg, ink = STATUS_COLOURS[CONFORMITY_STATUS.get(verdict, "unknown")]
    data = [
        [Paragraph(_("Acta de entrega n.º"), label), Paragraph(escape(rec.acta), value),
         Paragraph(_("Fecha de entrega"), label), Paragraph(format_date(rec.day), value),
         Paragraph(_("Conformidad"), label),
         Paragraph(f"<font color='#{ink.hexval()[2:]}'>{_(CONFORMITY_LABELS.get(verdict, verdict)).upper()}</font>",
                   style("cell_bold", fontSize=14, leading=16))],
        [Paragraph(_("Proveedor"), label), Paragraph(escape(rec.supplier), value),
         Paragraph("RUC", label), Paragraph(escape(rec.supplier_ruc), value),
         Paragraph(_("Productos"), label), Paragraph(_("{len} en el acta").format(len=len(rec.lines)), value)],
    ]
    if rec.arrival_time or rec.guide:  # when the acta says them
        data.append([Paragraph(_("Hora de llegada"), label), Paragraph(escape(rec.arrival_time) or "—", value),
                     Paragraph(_("Guía de remisión"), label), Paragraph(escape(rec.guide) or "—", value), "", ""])
    table = Table(data, colWidths=_info_widths(rec, width))
    table.setStyle(table_style([
        ("BOX", (0, 0), (-1, -1), 1.2, INK), ("INNERGRID", (0, 0), (-1, -1), 0.6, RULE),
        *[("BACKGROUND", (c, 0), (c, -1), HEAD_BG) for c in (0, 2, 4)],
        ("BACKGROUND", (5, 0), (5, 0), bg), ("BOX", (4, 0), (5, 0), 1.6, ink),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _info_widths(rec: Reception, width: float) -> list[float]:
    """Labels on one line; the date, the RUC and the verdict as wide as they are; the supplier the rest."""
    def fit(text: str, font: str, size: float) -> float:
        return pdfmetrics.stringWidth(text, font, size) + 2 * CELL_PADDING + 2

    labels = [max(fit(a, FONT, 10), fit(b, FONT, 10)) + 4 for a, b in (
        (_("Acta de entrega n.º"), _("Hora de llegada")), (_("Fecha de entrega"), _("Guía de remisión")), (_("Conformidad"), _("Productos")))]
    middle = max(fit(format_date(rec.day), FONT_BOLD, 12.5), fit(rec.supplier_ruc, FONT_BOLD, 12.5),
                 fit(rec.guide, FONT_BOLD, 12.5))
    last = max(fit("RECHAZADO", FONT_BOLD, 14), fit(_("{len} en el acta").format(len=len(rec.lines)), FONT_BOLD, 12.5))
    return [labels[0], width - sum(labels) - middle - last, labels[1], middle, labels[2], last]


def _checklist_row(rec: Reception, width: float) -> list:
    """The three checks before receiving, side by side in one row after its label: the lines still start
    high on page 1."""
    text = style("cell", fontSize=9.5, leading=11.5)
    cells = [Paragraph(_("<b>Antes de recibir, se revisó:</b>"), style("cell", fontSize=10, leading=12))]
    for key, question in ((k, _(q)) for k, q in CHECKLIST):
        ok = bool(getattr(rec, key))
        no = _("<font color='#b71c1c'><b>{tick} No</b></font>").format(tick=tick(True)) if not ok else _("{tick} No").format(tick=tick(False))
        cells.append(Paragraph(_("<b>{tick} Sí</b>&nbsp;&nbsp;{no}&nbsp;&nbsp;&nbsp;{escape}").format(tick=tick(ok), no=no, escape=escape(question)), text))
    first = _info_widths(rec, width)[0]
    table = Table([cells], colWidths=[first] + [(width - first) / 3] * 3)
    table.setStyle(table_style([
        ("BOX", (0, 0), (-1, -1), 0.8, RULE), ("INNERGRID", (0, 0), (-1, -1), 0.6, RULE),
        ("BACKGROUND", (0, 0), (0, 0), HEAD_BG), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return [table]


def _units(quantity: Decimal, unit: str) -> str:
    """"68 botellas", "1 bolsa", "0.5 kilo"."""
    word = (unit or "unidad").strip().lower()
    if quantity != 1 and quantity >= 1:
        word += "s" if word[-1:] in "aeiou" else "es"
    return word


HEAD_SIZE = 9.5
LINE_COLUMNS = (  # (heading, the widest text the column holds on one line, its font and size; None: the rest)
    (N_("Producto, marca y presentación"), None),
    (N_("Lote<br/>Registro sanitario"), ("A4321000N/NADSA", FONT, 9)),
    (N_("Producción<br/><b>Vencimiento</b>"), ("00/00/0000", FONT_BOLD, 10)),
    (N_("Estado del envase"), ("Derramado", FONT_BOLD, 10)), (N_("En el acta"), ("1,000", FONT_BOLD, 11.5)),
    (N_("Aceptado"), ("1,000", FONT_BOLD, 11.5)), (N_("Rechazado"), ("1,000", FONT_BOLD, 11.5)),
    (N_("Conformidad"), ("Rechazado", FONT_BOLD, 10)),
)
QTY_COL = 4


def _lines_table(rec: Reception, width: float) -> Table:
    head = style("cell_head", fontSize=HEAD_SIZE, leading=12)
    head_r = style("cell_head", fontSize=HEAD_SIZE, leading=12, alignment=TA_RIGHT)
    head_c = style("cell_head", fontSize=HEAD_SIZE, leading=12, alignment=TA_CENTER)
    cell = style("cell", fontSize=10, leading=12)
    num = style("cell_bold", fontSize=11.5, leading=13, alignment=TA_RIGHT)
    num_small = style("cell", fontSize=9, leading=10.5, alignment=TA_RIGHT, textColor=MUTED)
    widths = column_widths([(_(text), sample) for text, sample in LINE_COLUMNS], width)
    last = len(LINE_COLUMNS) - 1
    group = [""] * QTY_COL + [Paragraph(_("Cantidad (unidades)"), head_c), "", "", ""]
    names = [Paragraph(_(text), head_r if QTY_COL <= n < last else head_c if n == last else head)
             for n, (text, _unused) in enumerate(LINE_COLUMNS)]
    data = [group, names]
    commands: list = [("SPAN", (QTY_COL, 0), (QTY_COL + 2, 0))]
    spanned = [*range(QTY_COL), last]  # the columns whose heading takes both head rows
    commands += [("SPAN", (c, 0), (c, 1)) for c in spanned]
    for c in spanned:
        data[0][c], data[1][c] = data[1][c], ""
    total_accepted = total_rejected = Decimal(0)
    for n, ln in enumerate(rec.lines, 1):
        r = len(data)
        rejected = ln.rejected_units
        total_accepted += ln.accepted_grams
        total_rejected += rejected * ln.net_grams_per_unit
        registration = escape(ln.sanitary_registration) if ln.sanitary_registration.strip() else _("— (fresco)")
        dates = (f"{format_date(ln.production) if ln.production else '—'}<br/>"
                 f"<b>{format_date(ln.expiry) if ln.expiry else '—'}</b>")
        state = _(PACKAGE_LABELS.get(ln.package_state, ln.package_state.capitalize()))
        bg, ink = STATUS_COLOURS[CONFORMITY_STATUS.get(ln.conformity, "unknown")]
        data.append([
            Paragraph(f"<b>{n}. {escape(ln.product_name or ln.food_code)}</b><br/><font size=9 color='#555555'>"
                      + " · ".join(p for p in (escape(ln.brand.strip()), _("código {escape}").format(escape=escape(ln.food_code)),
                                               escape(ln.presentation.strip())) if p)
                      + "</font>", cell),
            Paragraph(f"{escape(ln.lot) or '—'}<br/><font size=9 color='#555555'>{registration}</font>", cell),
            Paragraph(dates, cell),
            Paragraph(escape(state), style("cell_bold", fontSize=10, leading=12,
                                           textColor=INK if ln.package_state == "bueno" else REJECTED_INK)),
            [Paragraph(_qty(ln.quantity), num), Paragraph(_units(ln.quantity, ln.unit), num_small)],
            [Paragraph(_qty(ln.accepted_units), num), Paragraph(format_weight(ln.accepted_grams), num_small)],
            [Paragraph(_qty(rejected), style("cell_bold", fontSize=11.5, leading=13, alignment=TA_RIGHT,
                                             textColor=REJECTED_INK if rejected else INK)),
             Paragraph(format_weight(rejected * ln.net_grams_per_unit) if rejected else "", num_small)],
            Paragraph(f"<b>{_(CONFORMITY_LABELS.get(ln.conformity, ln.conformity))}</b>",
                      style("cell_center", fontSize=10, leading=12, textColor=ink)),
        ])
        commands.append(("BACKGROUND", (last, r), (last, r), bg))
    rejected_text = (f"<font color='#b71c1c'><b>{format_weight(total_rejected)}</b></font>" if total_rejected
                     else "<b>nada</b>")
    data.append([Paragraph(_("Peso neto aceptado (entra al almacén): <b>{format_weight}</b>&nbsp;&nbsp;&nbsp;·&nbsp;&nbsp;&nbsp;Rechazado (vuelve al proveedor): {rejected_text}").format(format_weight=format_weight(total_accepted), rejected_text=rejected_text),
                           style("cell", fontSize=12, leading=15))] + [""] * last)
    foot = len(data) - 1
    commands += [("SPAN", (0, foot), (-1, foot)), ("BACKGROUND", (0, foot), (-1, foot), HEAD_BG),
                 ("LINEABOVE", (0, foot), (-1, foot), 1.2, INK)]
    commands += [("TOPPADDING", (0, 2), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 2), (-1, -1), 3.5),
                 ("VALIGN", (0, 2), (-1, -2), "TOP")]  # a line reads across its first text line
    return grid(data, widths, commands, head_rows=2)


def _observations(rec: Reception, width: float) -> list:
    notes = [_("<b>Línea {n} – {escape}:</b> {escape2}").format(n=n, escape=escape(ln.product_name or ln.food_code), escape2=escape(ln.observation.strip()))
             for n, ln in enumerate(rec.lines, 1) if ln.observation.strip()]
    if rec.observation.strip():
        notes.insert(0, escape(rec.observation.strip()))
    body = style("body", fontSize=12, leading=15)
    story: list = [Paragraph(_("Observaciones"), style("body", fontName=FONT_BOLD, fontSize=13.5, leading=17,
                                                    spaceBefore=6))]
    story += [Paragraph(text, body) for text in notes] or [Paragraph(_("Sin observaciones en el registro."), body)]
    blank = Table([[""], [""]], colWidths=[width], rowHeights=[0.7 * cm, 0.7 * cm])
    blank.setStyle(table_style([("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE)]))
    story += [Paragraph(_("Otras observaciones del comité (a mano):"), style("small")), blank]
    return story


def _overall(rec: Reception, width: float) -> list:
    chosen = rec.conformity
    cells, commands = [], []
    for col, key in enumerate(("conforme", "parcial", "rechazado")):
        bg, ink = STATUS_COLOURS[CONFORMITY_STATUS[key]]
        if key == chosen:
            cells.append(Paragraph(f"<b>{CHECKED} {_(CONFORMITY_LABELS[key]).upper()}</b>",
                                   style("cell_center", fontName=FONT_BOLD, fontSize=24, leading=30,
                                         textColor=ink)))
            commands += [("BACKGROUND", (col, 0), (col, 0), bg), ("BOX", (col, 0), (col, 0), 2.2, ink)]
        else:
            cells.append(Paragraph(f"{UNCHECKED} {_(CONFORMITY_LABELS[key]).upper()}",
                                   style("cell_center", fontSize=17, leading=30, textColor=MUTED)))
    boxes = Table([cells], colWidths=[width / 3] * 3)
    boxes.setStyle(table_style([("BOX", (0, 0), (-1, -1), 0.8, RULE), ("INNERGRID", (0, 0), (-1, -1), 0.8, RULE),
                                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                                *commands]))
    return [
        Paragraph(_("Conformidad de la entrega"), style("heading")), boxes, Spacer(1, 0.15 * cm),
        Paragraph(_(CONFORMITY_MEANING.get(chosen, "")), style("body", fontSize=13.5, leading=17.5)),
    ]


def _void_band(rec: Reception, reversal: Entry, width: float) -> Table:
    text = (_("<b>ACTA ANULADA</b> el {format_date} (asiento n.º {seq}): {escape}.").format(format_date=format_date(reversal.entry_date), seq=reversal.seq, escape=escape(reversal.reason)))
    if any(ln.accepted_units > 0 for ln in rec.lines):
        text += _(" Lo que esta acta había ingresado al almacén ya se descontó.")
    band = Table([[Paragraph(text, style("body", fontSize=14, leading=18, textColor=colors.white))]],
                 colWidths=[width])
    band.setStyle(table_style([("BACKGROUND", (0, 0), (-1, -1), VOID_BG),
                               ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    return band


def build_reception_record(db, committee, acta: str, out: Path) -> Path:
    """Write the signed-on-paper reception record of ``acta`` (A4 landscape) to ``out``.

    ``committee`` is the ``CommitteeInfo``; its members in office on the delivery day get signature
    lines, and so does the supplier's representative. ``NotFound`` (Spanish) when the acta was never
    recorded. A reversed acta still prints, with an "ACTA ANULADA" band.
    """
    records_intact(db, committee)  # never print figures from tables that disagree with the journal
    entry, reversal = find_acta(db, committee.id, acta)
    rec = reception_of(entry.payload)
    width, height = page_frame_size(wide=True)
    story: list = [
        Paragraph(_("{TITLE} <font size=13 color='#555555'>· entrega del {long_date}</font>").format(TITLE=_(TITLE), long_date=long_date(rec.day)),
                  style("title", fontSize=20, leading=24, spaceAfter=4)),
    ]
    if reversal is not None:
        story += [_void_band(rec, reversal, width), Spacer(1, 0.25 * cm)]
    story += [
        _info_table(rec, width), Spacer(1, 0.12 * cm),
        *_checklist_row(rec, width),
        CondPageBreak(5 * cm),  # the heading, the table's head and two lines, or a new page
        Paragraph(_("<b>Productos recibidos</b>&nbsp;&nbsp;<font size=10 color='#555555'>Cantidades en unidades de la "
                  "presentación (bolsas, latas…); debajo, el peso neto. Lo rechazado no entra al almacén.</font>"),
                  style("body", fontSize=13.5, leading=17, spaceBefore=5, spaceAfter=2)),
        _lines_table(rec, width),
    ]
    when = recorded_day(entry)
    register = (_("Registrado en el diario del comité: asiento n.º <b>{seq}</b> · código de registro <b>{value}</b> · por {escape}").format(seq=entry.seq, value=entry.hash[:CODE_LENGTH], escape=escape(entry.user))
                + (_(" el {format_date}").format(format_date=format_date(when)) if when else "") + ".")
    signers = committee_signers(committee, rec.day)
    signers.append(Signer(_("Representante del proveedor"), extra=rec.supplier))
    signed = [  # what the committee signs stays on the page it signs
        *_overall(rec, width),
        Spacer(1, 0.2 * cm),
        Paragraph(register, style("body", fontSize=11.5, leading=15)),
        Paragraph(_("<b>Firmas.</b> Firmamos en señal de conformidad con lo anotado en esta acta."),
                  style("body", fontSize=12.5, leading=16, spaceBefore=8)),
        # a complete committee (president, secretary, three vocales, treasurer) and the supplier: 7 lines
        *(signature_table(signers, width, columns=3) if len(signers) <= 6
          else signature_table(signers, width, columns=4, space=1.3 * cm, size=10.5, gap=0.5 * cm, dni_apart=True)),
    ]
    observations = _observations(rec, width)
    if story_height(observations + signed, width) <= height:  # the observations go with it when they fit
        story.append(KeepTogether(observations + signed))
    else:
        story += [KeepTogether(observations), KeepTogether(signed)]
    return build_pdf(out, story, title=f"{_(TITLE)} {rec.acta}", committee=committee, wide=True,
                     subject=_("{TITLE} {acta} del {format_date}").format(TITLE=_(TITLE), acta=rec.acta, format_date=format_date(rec.day)))
