"""The treasury's printed documents: the month's "Balance de gastos" that the treasurer and the
president sign, the "Acta de asamblea – rendición de cuentas" read to the parents, and the "Libro caja".

Every amount comes from ``services.treasury`` and is written with ``format_soles`` ("S/ 1,234.50"); each
table closes with its total, so that a supervisor can add the rows by hand and get the printed figure to
the céntimo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table

from ..domain.treasury import CYCLE_STATES, DOC_TYPES
from ..i18n import N_, _
from ..money import format_soles
from ..services import treasury as treasury_service
from ..services.treasury import Balance, CashLine
from ..vocab import parse_period, period_label, period_range
from . import parts
from .base import (
    FONT,
    FONT_BOLD,
    HEAD_BG,
    INK,
    MUTED,
    RULE,
    STATUS_COLOURS,
    ZEBRA,
    build_pdf,
    escape,
    format_date,
    long_date,
    page_frame_size,
    records_intact,
    style,
    table_style,
)
from .parts import Signer, cancelled_lines, fitting_size

BALANCE_TITLE = N_("Balance de gastos")
ACTA_TITLE = N_("Acta de asamblea – rendición de cuentas")
CASH_BOOK_TITLE = N_("Libro caja")
ZERO = Decimal("0.00")
PAD = 5
TOTAL_BG = colors.HexColor("#fff6d6")
BLANK_ATTENDEES = 18
BLANK_AGREEMENTS = 5
STATE_COLOURS = {"borrador": "unknown", "presentado": None, "aprobado": "ok", "observado": "fail"}
SIGN_ORDER = ("presidente", "secretario", "tesorero", "vocal")


# ------------------------------------------------------------------------------------------- helpers
month_range = period_range  # "2026-11" → (01/11/2026, 30/11/2026); ``InvalidInput`` for anything else


def month_label(month: str) -> str:
    """"2026-11" → "noviembre de 2026"; ``InvalidInput`` for anything that is not a month."""
    parse_period(month)
    return period_label(month)


def _soles(amount) -> str:
    return format_soles(amount)


def _nb(text: str) -> str:
    """Running text whose amounts never break between "S/" and the figure."""
    return text.replace("S/ ", "S/\u00a0")


def _text_width(texts, font: str, size: float) -> float:
    return max((pdfmetrics.stringWidth(t, font, size) for t in texts), default=0.0)


def _col(texts, font: str = FONT, size: float = 12, heading: str = "", head_size: float = 11.5) -> float:
    """A column just wide enough for its widest text and for each word of its heading."""
    words = heading.replace("<br/>", " ").split()
    return max(_text_width(texts, font, size), _text_width(words, FONT_BOLD, head_size)) + 2 * PAD + 2


HEADING_NAME_MIN = 3.5 * cm  # the «Rubro» column of the heading tables: never narrower, whatever the amounts


def _absolute(command: tuple, rows: int) -> tuple:
    """A style command with negative row indices counted from ``rows`` (so that a row added after does
    not take them)."""
    name, (c0, r0), (c1, r1), *rest = command
    return (name, (c0, r0 + rows if r0 < 0 else r0), (c1, r1 + rows if r1 < 0 else r1), *rest)


def _grid(data, widths, commands=(), *, head_rows: int = 1, total_rows: int = 0, zebra: bool = True,
          tail: list | None = None) -> Table:
    """The house table: blue heading, thin rules, a thick box, light stripes, a yellow total row.

    ``tail`` (flowables: warnings, the statement and the signatures) goes in a last row without rules,
    kept on the same page as the total and the row before it: signatures never stand on a page alone."""
    rows = len(data)
    last_body = rows - total_rows
    stripes = ([("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(head_rows + 1, last_body, 2)]
               if zebra else [])
    totals = ([("BACKGROUND", (0, last_body), (-1, rows - 1), TOTAL_BG),
               ("LINEABOVE", (0, last_body), (-1, last_body), 1.2, INK)] if total_rows else [])
    keep = []
    if total_rows or tail:  # the total (and the tail) never go alone to a new page: the last row goes along
        keep = [("NOSPLIT", (0, max(head_rows, last_body - 1)), (-1, rows - 1 + (1 if tail else 0)))]
    extra = []
    if tail:
        data = [*data, [tail] + [""] * (len(widths) - 1)]
        extra = [("SPAN", (0, rows), (-1, rows)), ("VALIGN", (0, rows), (-1, rows), "TOP"),
                 ("LEFTPADDING", (0, rows), (-1, rows), 0), ("RIGHTPADDING", (0, rows), (-1, rows), 0),
                 ("TOPPADDING", (0, rows), (-1, rows), 0), ("BOTTOMPADDING", (0, rows), (-1, rows), 0)]
    table = Table(data, colWidths=widths, repeatRows=head_rows)
    table.setStyle(table_style([
        ("BACKGROUND", (0, 0), (-1, head_rows - 1), HEAD_BG),
        ("GRID", (0, 0), (-1, rows - 1), 0.6, RULE),
        ("BOX", (0, 0), (-1, rows - 1), 1.2, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        *stripes,
        *totals,
        *keep,
        *(_absolute(c, rows) for c in commands),
        *extra,
    ]))
    return table


def _styles() -> dict:
    return {
        "head": style("cell_head", fontSize=11.5, leading=14),
        "head_r": style("cell_head", fontSize=11.5, leading=14, alignment=TA_RIGHT),
        "head_c": style("cell_head", fontSize=11.5, leading=14, alignment=TA_CENTER),
        "cell": style("cell", fontSize=12, leading=15),
        "small": style("cell", fontSize=10.5, leading=13, textColor=MUTED),
        "bold": style("cell_bold", fontSize=12, leading=15),
        "money": style("cell", fontSize=12, leading=15, alignment=TA_RIGHT),
        "money_b": style("cell_bold", fontSize=12, leading=15, alignment=TA_RIGHT),
        "center": style("cell_center", fontSize=12, leading=15),
    }


def _note_box(title: str, lines: list[str], width: float, status: str = "unknown") -> Table:
    """A coloured box with a bold title and one paragraph per line (warnings, observations)."""
    bg, ink = STATUS_COLOURS[status]
    text = style("body", fontSize=12, leading=15.5, textColor=ink, spaceAfter=2)
    rows = [[Paragraph(f"<b>{escape(title)}</b>", text)]]
    rows += [[Paragraph(_nb(f"•&nbsp;{escape(line)}"), text)] for line in lines]
    box = Table(rows, colWidths=[width])
    box.setStyle(table_style([
        ("BACKGROUND", (0, 0), (-1, -1), bg), ("BOX", (0, 0), (-1, -1), 1.2, ink),
        ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, 0), 7), ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
    ]))
    return box


def _month_closed(db, committee_id: int, month: str) -> bool:
    from ..services import periods

    return month in periods.closed_months(db, committee_id)


def _title_row(title: str, subtitle: str, state: str, width: float, note: str = "", *, closed: bool = False) -> Table:
    """The document's title and period (and a short ``note`` in amber) on the left, the cycle's state in a
    coloured label on the right (``closed``: the month is closed, so a rendición not presented yet is not
    a «Borrador» any more but «Mes cerrado; rendición por presentar»)."""
    label = _("Estado: {get}").format(get=_(CYCLE_STATES.get(state, state.capitalize())))
    if closed and state == "borrador":
        label = _("Estado: Mes cerrado; rendición por presentar")
    status = STATE_COLOURS.get(state)
    bg, ink = STATUS_COLOURS[status] if status else (HEAD_BG, INK)
    chip = Table([[Paragraph(f"<b>{escape(label)}</b>", style("body", fontSize=14, leading=17, textColor=ink,
                                                                  alignment=TA_CENTER, spaceAfter=0))]],
                 colWidths=[_text_width([label], FONT_BOLD, 14) + 24])
    chip.setStyle(table_style([("BACKGROUND", (0, 0), (-1, -1), bg), ("BOX", (0, 0), (-1, -1), 1.2, ink),
                               ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]))
    chip_width = chip._colWidths[0] + 6
    left = [Paragraph(escape(title), style("title")), Paragraph(subtitle, style("subtitle", spaceAfter=0))]
    if note:
        left.append(Paragraph(f"<b>{escape(note)}</b>", style("body", textColor=STATUS_COLOURS["unknown"][1],
                                                              spaceBefore=3, spaceAfter=0)))
    row = Table([[left, chip]], colWidths=[width - chip_width, chip_width])
    row.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return row


def _heading(text: str) -> Paragraph:
    return Paragraph(escape(text), style("heading"))


def _cycle_observations(db, committee_id: int, month: str) -> str:
    """The supervisor's observations on the month, if any were recorded."""
    from ..persistence.models import TreasuryCycle

    with db.session() as s:
        row = s.get(TreasuryCycle, (committee_id, month))
        return (row.observations or "").strip() if row is not None else ""


# ---------------------------------------------------------------------------------------- signatures
def committee_signers(committee, day: date, roles: tuple[str, ...] = SIGN_ORDER) -> list[Signer]:
    """The members in office on ``day`` with ``roles``; a single role nobody holds gets a blank line."""
    return parts.committee_signers(committee, day, roles, blank_for_missing=True)


def signature_table(signers: list[Signer], width: float, columns: int = 2, *, space: float = 1.6 * cm) -> Table:
    """Signature lines as the treasury documents print them (two to a row, the DNI on its own line)."""
    found = parts.signature_table(signers, width, columns, space=space, size=12, gap=1.2 * cm, dni_apart=True)
    return found[0] if found else Spacer(1, 0)


def _closing(text: Paragraph, signers: list[Signer], width: float) -> list:
    """On a landscape page: the statement on the left and the two signatures beside it, so that they
    take little height (and can go in a table's ``tail``, on the page of its total)."""
    text_w = width * 0.34
    gap = 0.8 * cm
    row = Table([[text, "", signature_table(signers, width - text_w - gap, columns=2)]],
                colWidths=[text_w, gap, width - text_w - gap])
    row.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(1, 0.4 * cm), row]


# -------------------------------------------------------------------------------------- shared tables
def heading_table(b: Balance, width: float, *, with_month: bool = True) -> Table:
    """Per budget heading: allotted to date, spent in the month, spent to date, balance; with totals."""
    st = _styles()
    totals = [sum((getattr(h, f) for h in b.headings), ZERO) for f in ("allotted", "spent_in_month", "spent")]
    totals.append(sum((h.balance for h in b.headings), ZERO))
    columns = [(_("Asignado"), "allotted"), (_("Gastado en el mes"), "spent_in_month"),
               (_("Gastado acumulado"), "spent"), (_("Saldo"), "balance")]
    if not with_month:
        columns.pop(1)
        totals.pop(1)
    texts = [_soles(getattr(h, f)) for h in b.headings for _unused, f in columns] + [_soles(t) for t in totals]
    # the figures at 12 pt, smaller when the widest would leave the heading's name less than its room
    size = fitting_size(texts, FONT_BOLD, 12, (width - HEADING_NAME_MIN) / len(columns) - 2 * PAD - 2)
    money_w = min(max(_col(texts, FONT_BOLD, size, head) for head, _unused in columns),
                  (width - HEADING_NAME_MIN) / len(columns))
    widths = [width - money_w * len(columns)] + [money_w] * len(columns)
    if size < 12:
        leading = size * 15 / 12
        st["money"] = style("cell", fontSize=size, leading=leading, alignment=TA_RIGHT)
        st["money_b"] = style("cell_bold", fontSize=size, leading=leading, alignment=TA_RIGHT)
    data = [[Paragraph(_("Rubro"), st["head"])] + [Paragraph(head, st["head_r"]) for head, _unused in columns]]
    commands = []
    for h in b.headings:
        row = [Paragraph(escape(h.name), st["cell"])]
        for _unused, f in columns:
            value = getattr(h, f)
            row.append(Paragraph(_soles(value), st["money_b"] if f == "balance" else st["money"]))
        if h.balance < 0:
            commands.append(("TEXTCOLOR", (len(columns), len(data)), (len(columns), len(data)),
                             STATUS_COLOURS["fail"][1]))
        data.append(row)
    data.append([Paragraph(_("<b>Total</b>"), st["bold"])] + [Paragraph(_soles(t), st["money_b"]) for t in totals])
    commands += [("TOPPADDING", (0, 1), (-1, -1), 3), ("BOTTOMPADDING", (0, 1), (-1, -1), 4)]
    return _grid(data, widths, commands, total_rows=1)


def _transfer_table(b: Balance, width: float) -> Table:
    """The month's transfers: date received, reference, deadline to account, amount; with the total."""
    st = _styles()
    amounts = [_soles(t.amount) for t in b.transfers] + [_soles(b.transferred_in_month)]
    w_n = _col([str(len(b.transfers))], heading="N.º")
    w_day = _col(["00/00/0000"], heading=_("Recibida el"))
    w_deadline = _col(["00/00/0000"], heading=_("Rendir hasta"))
    w_amount = _col(amounts, FONT_BOLD, 12, _("Monto"))
    widths = [w_n, w_day, width - w_n - w_day - w_deadline - w_amount, w_deadline, w_amount]
    data = [[Paragraph("N.º", st["head"]), Paragraph(_("Recibida el"), st["head"]), Paragraph(_("Referencia"), st["head"]),
             Paragraph(_("Rendir hasta"), st["head"]), Paragraph(_("Monto"), st["head_r"])]]
    for n, t in enumerate(b.transfers, 1):
        data.append([Paragraph(str(n), st["cell"]), Paragraph(format_date(t.day), st["cell"]),
                     Paragraph(escape(t.reference or "—"), st["cell"]),
                     Paragraph(format_date(t.deadline) if t.deadline else "—", st["cell"]),
                     Paragraph(_soles(t.amount), st["money"])])
    data.append([Paragraph(_("<b>Total recibido en el mes</b>"), st["bold"]), "", "", "",
                 Paragraph(_soles(b.transferred_in_month), st["money_b"])])
    return _grid(data, widths, [("SPAN", (0, -1), (3, -1))], total_rows=1)


def _opening(b: Balance) -> Decimal:
    """What the previous months ended with (a later cancellation of one of their entries is this month's)."""
    return b.previous if b.previous is not None else b.balance - b.transferred_in_month + b.spent_in_month


def _reconciliation_warnings(b: Balance, expense_total: Decimal) -> list[str]:
    warnings = list(b.warnings)
    if expense_total != b.spent_in_month:
        warnings.append(_("La suma de los gastos ({soles}) no coincide con lo gastado en el mes ({soles2}).").format(soles=_soles(expense_total), soles2=_soles(b.spent_in_month)))
    if b.bank + b.cash != b.balance:
        warnings.append(_("El saldo en banco más el efectivo en caja ({soles}) no coincide con el saldo total ({soles2}).").format(soles=_soles(b.bank + b.cash), soles2=_soles(b.balance)))
    return warnings


# -------------------------------------------------------------------------------------------- balance
def _totals_box(b: Balance, end: date, width: float) -> Table:
    label = style("body", fontSize=13, leading=16, spaceAfter=0)
    value = style("cell_bold", fontSize=14, leading=17, alignment=TA_RIGHT)
    big_label = style("body", fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=0)
    big_value = style("cell_bold", fontSize=17, leading=21, alignment=TA_RIGHT)
    pairs = [
        (_("Monto transferido en el mes"), b.transferred_in_month, _("Monto transferido acumulado"), b.transferred_to_date),
        (_("Gastado en el mes"), b.spent_in_month, _("Gastado acumulado"), b.spent_to_date),
        (_("Saldo en banco"), b.bank, _("Efectivo en caja"), b.cash),
    ]
    texts = [_soles(x) for p in pairs for x in (p[1], p[3])] + [_soles(b.balance)]
    value_w = _text_width(texts, FONT_BOLD, 17) + 2 * 8 + 4
    label_w = width / 2 - value_w
    red = style("cell_bold", fontSize=14, leading=17, alignment=TA_RIGHT, textColor=STATUS_COLOURS["fail"][1])
    data = [[Paragraph(escape(a), label), Paragraph(_soles(x), red if x < 0 else value), Paragraph(escape(c), label),
             Paragraph(_soles(y), red if y < 0 else value)] for a, x, c, y in pairs]
    data.append([Paragraph(_("Saldo total al {format_date}").format(format_date=format_date(end)), big_label), "", "",
                 Paragraph(_soles(b.balance), big_value)])
    box = Table(data, colWidths=[label_w, value_w, label_w, value_w])
    box.setStyle(table_style([
        ("BOX", (0, 0), (-1, -1), 1.4, INK),
        ("LINEBEFORE", (2, 0), (2, -2), 0.6, RULE),
        ("LINEBELOW", (0, 0), (-1, -3), 0.4, RULE),
        ("LINEABOVE", (0, -1), (-1, -1), 1.2, INK),
        ("BACKGROUND", (0, -1), (-1, -1), TOTAL_BG),
        ("SPAN", (0, -1), (2, -1)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return box


def _expense_total(b: Balance) -> Decimal:
    return sum((Decimal(e.amount) for e in b.expenses), ZERO)


def _expense_table(b: Balance, names: dict[str, str], width: float, tail: list) -> Table:
    """One row per expense with its receipt; the total row is the sum of the rows; then ``tail``."""
    st = _styles()
    total = _expense_total(b)
    amounts = [_soles(e.amount) for e in b.expenses] + [_soles(total)]
    w_n = _col([str(e.number) for e in b.expenses], heading="N.º")
    w_day = _col(["00/00/0000"], heading=_("Fecha"))
    w_heading = min(_col([names.get(e.heading, e.heading) for e in b.expenses], heading=_("Rubro")), 2.9 * cm)
    doc_small = style("cell", fontSize=10.5, leading=13)
    w_doc = max(_col([DOC_TYPES.get(e.doc_type, e.doc_type) for e in b.expenses], FONT, 10.5,
                     _("Comprobante")), _col([e.doc_number for e in b.expenses], FONT_BOLD, 11.5))
    w_id = _col(["20604512370"], heading=_("RUC / DNI"))
    w_amount = _col(amounts, FONT_BOLD, 12, _("Monto"))
    rest = width - (w_n + w_day + w_heading + w_doc + w_id + w_amount)
    widths = [w_n, w_day, w_heading, w_doc, w_id, rest * 0.44, rest * 0.56, w_amount]
    heads = ["N.º", _("Fecha"), _("Rubro"), _("Comprobante"), _("RUC / DNI"), _("Proveedor"), _("Detalle"), _("Monto")]
    data = [[Paragraph(h, st["head_r"] if h == "Monto" else st["head"]) for h in heads]]
    for e in b.expenses:
        doc = [Paragraph(escape(DOC_TYPES.get(e.doc_type, e.doc_type)), doc_small),
               Paragraph(f"<b>{escape(e.doc_number)}</b>", style("cell", fontSize=11.5, leading=14))]
        data.append([
            Paragraph(str(e.number), st["cell"]),
            Paragraph(format_date(e.day), st["cell"]),
            Paragraph(escape(names.get(e.heading, e.heading)), st["cell"]),
            doc,
            Paragraph(escape(e.party_id or "—"), st["cell"]),
            Paragraph(escape(e.party_name or "—"), st["cell"]),
            Paragraph(escape(e.detail), st["cell"]),
            Paragraph(_soles(e.amount), st["money"]),
        ])
    count = _("1 comprobante") if len(b.expenses) == 1 else f"{len(b.expenses)} comprobantes"
    data.append([Paragraph(_("<b>Total gastado en el mes ({count})</b>").format(count=count), st["bold"]),
                 *[""] * 6, Paragraph(_soles(total), st["money_b"])])
    return _grid(data, widths, [("SPAN", (0, -1), (6, -1)), ("VALIGN", (0, 1), (-1, -1), "TOP")],
                 total_rows=1, tail=tail)


def build_balance(db, committee, month: str, out) -> Path:
    """Write the month's "Balance de gastos" to ``out`` (A4 landscape) and return its path.

    Totals (transferred in the month and to date, spent, bank, cash on hand, total balance), the budget
    headings, one row per expense with the total that equals "gastado en el mes", the cycle's state,
    the service's warnings and the signature lines of the president and the treasurer. A month without
    records gives the same document with zeros and a note that nothing was recorded.
    """
    records_intact(db, committee)  # never print figures from tables that disagree with the journal
    start, end = month_range(month)
    b = treasury_service.balance(db, committee.id, f"{start:%Y-%m}")
    width, _unused = page_frame_size(wide=True)
    label = month_label(month)
    names = {h.code: h.name for h in b.headings}
    empty = not b.transfers and not b.expenses
    story: list = [
        _title_row(_(BALANCE_TITLE), _("Mes de {label} (del {format_date} al {format_date2})").format(label=label, format_date=format_date(start), format_date2=format_date(end)),
                   b.state, width, _("No hay transferencias ni gastos registrados en {label}.").format(label=label) if empty else "",
                   closed=_month_closed(db, committee.id, f"{start:%Y-%m}")),
        Spacer(1, 0.1 * cm),
        _totals_box(b, end, width),
        Paragraph(_nb((_("Saldo del mes anterior {soles} + transferido en el mes {soles2} − gastado en el mes {soles3} = saldo total {soles4}.") if not b.returned_in_month else _("Saldo del mes anterior {soles} + transferido en el mes {soles2} − gastado en el mes {soles3} + devuelto al anular registros de meses anteriores {soles5} = saldo total {soles4}.")).format(soles=_soles(_opening(b)), soles2=_soles(b.transferred_in_month), soles3=_soles(b.spent_in_month), soles4=_soles(b.balance), soles5=_soles(b.returned_in_month))), style("small")),
        KeepTogether([_heading(_("Gastos por rubro")), heading_table(b, width)]),
    ]
    tail = []
    if b.cancelled:  # the numbers missing from the list above, and why: the journal keeps each one
        tail += [Spacer(1, 0.35 * cm), _note_box(_("Gastos anulados en el mes (sus números no figuran arriba)"),
                                                 cancelled_lines(b), width, "unknown")]
    for title, lines, status in ((_("Avisos"), _reconciliation_warnings(b, _expense_total(b)), "unknown"),
                                 (_("Observaciones del supervisor"),
                                  _cycle_observations(db, committee.id, f"{start:%Y-%m}").splitlines(), "fail")):
        if lines:
            tail += [Spacer(1, 0.35 * cm), _note_box(title, lines, width, status)]
    signers = committee_signers(committee, end, ("presidente", "tesorero"))
    tail += _closing(Paragraph(
        _("Declaramos que los gastos de este balance se hicieron para la alimentación escolar y que cada uno "
        "tiene su comprobante original, que adjuntamos.") if b.expenses else
        _("Declaramos que en {label} el comité no hizo gastos.").format(label=label), style("body")), signers, width)
    if not empty:
        story.append(_heading(_("Transferencias recibidas en el mes")))
        if b.transfers:
            story.append(_transfer_table(b, width))
        else:
            story.append(Paragraph(_("No se recibieron transferencias en este mes."), style("body")))
        story.append(_heading(_("Gastos del mes (un renglón por comprobante)")))
    if b.expenses:
        story.append(_expense_table(b, names, width, tail))
    else:
        if not empty:
            story.append(Paragraph(_nb(_("No se registraron gastos en este mes: lo gastado en el mes es {soles}.").format(soles=_soles(ZERO))), style("body")))
        story.append(KeepTogether(tail))
    return build_pdf(out, story, title=f"{_(BALANCE_TITLE)} – {label}", committee=committee, wide=True)


# ----------------------------------------------------------------------------------------------- acta
def _blank(text: str, value: str = "") -> str:
    return escape(value) if value.strip() else text


def _data_table(rows: list[tuple[str, str]], width: float) -> Table:
    """Label and value; an empty value leaves a line to fill by hand."""
    label = style("cell_bold", fontSize=12.5, leading=16)
    value = style("cell", fontSize=12.5, leading=16)
    label_w = _text_width([r[0] for r in rows], FONT_BOLD, 12.5) + 2 * PAD + 4
    data, commands = [], []
    for n, (key, text) in enumerate(rows):
        data.append([Paragraph(escape(key), label), Paragraph(escape(text), value)])
        if not text:
            commands.append(("LINEBELOW", (1, n), (1, n), 0.6, INK))
    table = Table(data, colWidths=[label_w, width - label_w], rowHeights=[24] * len(data))
    table.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                                ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                                *commands]))
    return table


def _summary_table(b: Balance, end: date, width: float) -> Table:
    """Previous balance + received − spent = balance at month end (in bank and cash)."""
    rows = [
        (_("Saldo que venía del mes anterior"), _opening(b)),
        (_("(+) Recibido en el mes (transferencias)"), b.transferred_in_month),
        (_("(−) Gastado en el mes"), b.spent_in_month),
        (_("(=) Saldo al {format_date}").format(format_date=format_date(end)), b.balance),
        (_("en el banco"), b.bank),
        (_("en efectivo (caja)"), b.cash),
    ]
    money_w = _text_width([_soles(v) for _unused, v in rows], FONT_BOLD, 13) + 2 * 8 + 4
    data = []
    for n, (key, value) in enumerate(rows):
        bold = n == 3
        data.append([Paragraph(escape(key), style("cell_bold" if bold else "cell", fontSize=13, leading=16,
                                                  leftIndent=0.8 * cm if n > 3 else 0)),
                     Paragraph(_soles(value), style("cell_bold" if bold else "cell", fontSize=13, leading=16,
                                                    alignment=TA_RIGHT,
                                                    textColor=STATUS_COLOURS["fail"][1] if value < 0 else INK))])
    table = Table(data, colWidths=[width * 0.75 - money_w, money_w])
    table.setStyle(table_style([
        ("BOX", (0, 0), (-1, -1), 1.2, INK), ("LINEBELOW", (0, 0), (-1, 1), 0.4, RULE),
        ("LINEABOVE", (0, 3), (-1, 3), 1.2, INK), ("BACKGROUND", (0, 3), (-1, 3), TOTAL_BG),
        ("LINEBELOW", (0, 3), (-1, 3), 0.6, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def _ruled_lines(items: list[str], blank: int, width: float) -> Table:
    """Numbered items; with none, ``blank`` numbered lines to write on."""
    text = style("body", fontSize=13, leading=17, spaceAfter=0)
    num_w = 1.0 * cm
    if items:
        data = [[Paragraph(f"<b>{n}.</b>", text), Paragraph(escape(item), text)] for n, item in enumerate(items, 1)]
        heights = None
        commands = []
    else:
        data = [[Paragraph(f"<b>{n}.</b>", text), ""] for n in range(1, blank + 1)]
        heights = [27] * blank
        commands = [("LINEBELOW", (1, 0), (1, -1), 0.6, INK)]
    table = Table(data, colWidths=[num_w, width - num_w], rowHeights=heights)
    table.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "BOTTOM" if not items else "TOP"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                                ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                                *commands]))
    return table


def _attendees_table(attendees: list[str], width: float) -> Table:
    """Numbered rows: name (printed, or blank to write), DNI and signature to fill by hand."""
    st = _styles()
    names = [a.strip() for a in attendees if a.strip()]
    count = len(names) or BLANK_ATTENDEES
    w_n = _col([str(count)], heading="N.º")
    w_dni = _col(["00000000"], FONT, 14, "DNI") + 0.8 * cm
    w_sign = 5.0 * cm
    widths = [w_n, width - w_n - w_dni - w_sign, w_dni, w_sign]
    data = [[Paragraph("N.º", st["head"]), Paragraph(_("Nombres y apellidos"), st["head"]),
             Paragraph("DNI", st["head"]), Paragraph(_("Firma"), st["head_c"])]]
    for n in range(1, count + 1):
        data.append([Paragraph(str(n), st["center"]),
                     Paragraph(escape(names[n - 1]), st["cell"]) if names else "", "", ""])
    table = Table(data, colWidths=widths, rowHeights=[None] + [30] * count, repeatRows=1)
    table.setStyle(table_style([
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("GRID", (0, 0), (-1, -1), 0.6, RULE),
        ("BOX", (0, 0), (-1, -1), 1.2, INK), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
    ]))
    return table


def build_acta_rendicion(
    db,
    committee,
    month: str,
    out,
    *,
    place: str = "",
    attendees: list[str] | None = None,
    agreements: list[str] | None = None,
    held_on: date | None = None,
) -> Path:
    """Write the "Acta de asamblea – rendición de cuentas" of ``month`` to ``out`` (A4 portrait).

    Date and place of the assembly (lines to fill by hand when not given), the school and committee,
    what was received (each transfer) and spent (each heading), the balance, the agreements (numbered;
    blank lines when none), the committee members' signature lines with their roles, and the list of
    attendees with DNI and signature (blank numbered lines when ``attendees`` is empty).
    """
    records_intact(db, committee)  # never print figures from tables that disagree with the journal
    start, end = month_range(month)
    b = treasury_service.balance(db, committee.id, f"{start:%Y-%m}")
    width, _unused = page_frame_size()
    label = month_label(month)
    form = getattr(committee, "form", None)
    school = (form.school_name if form else "") or ""
    names = [a.strip() for a in (attendees or []) if a.strip()]
    treasurer = next((s for s in committee_signers(committee, end, ("tesorero",)) if s.name), None)
    body = style("body", fontSize=13, leading=18)

    story: list = [
        Paragraph(_(ACTA_TITLE), style("title")),
        Paragraph(_("Rendición de cuentas del mes de <b>{label}</b>").format(label=label), style("subtitle")),
        _data_table([
            (_("Fecha de la asamblea"), format_date(held_on) if held_on else ""),
            (_("Lugar"), place.strip()),
            (_("Comité"), _("Comité de Alimentación Escolar (CAE)")),
            (_("Institución educativa"), school),
            (_("Código modular"), (form.codigo_modular if form else "") or ""),
        ], width),
        Spacer(1, 0.3 * cm),
    ]
    when = _("el {long_date}").format(long_date=long_date(held_on)) if held_on else _("el día ____ de ______________ de ________")
    where = _("en {escape}").format(escape=escape(place.strip())) if place.strip() else _("en ________________________________")
    # the parents among the attendees: the committee's own members are named apart («y los miembros del CAE»);
    # the president and the treasurer, the only two attending, were counted as «2 madres y padres de familia»
    from ..domain.foods import fold

    members = {fold(m.name) for m in (form.members if form else ())}
    parents = [n for n in names if fold(n) not in members]
    who = {0: _("______ madres y padres de familia") if not names else _("<b>0</b> madres y padres de familia"),
           1: _("<b>1</b> madre o padre de familia")}.get(
        len(parents), _("<b>{len}</b> madres y padres de familia").format(len=len(parents)))
    by = _("el (la) tesorero(a), <b>{escape}</b>,").format(escape=escape(treasurer.name)) if treasurer else _("el (la) tesorero(a)")
    story.append(Paragraph(
        _("Siendo las ______ horas {when}, reunidos {where}, {who} de la {value} y los miembros del Comité de Alimentación Escolar, {by} dio cuenta del dinero recibido y gastado en <b>{label}</b>, con los comprobantes a la vista de los asistentes. La relación de asistentes, con su DNI y firma, va al final de esta acta.").format(when=when, where=where, who=who, value=escape(school) or _('institución educativa'), by=by, label=label), body))

    story.append(_heading(_("1. Dinero recibido del programa")))
    if b.transfers:
        story.append(_transfer_table(b, width))
    else:
        story.append(Paragraph(_("No se recibieron transferencias en {label}.").format(label=label), body))
    story.append(KeepTogether([_heading(_("2. Gastos por rubro")), heading_table(b, width)]))
    if not b.expenses:
        story.append(Paragraph(_("No se registraron gastos en {label}.").format(label=label), style("body", spaceBefore=6)))
    count = len(b.expenses)
    receipts = {0: _("no hubo gastos"), 1: _("en 1 comprobante")}.get(count, _("en {count} comprobantes").format(count=count))
    story.append(KeepTogether([_heading(_("3. Resumen de la cuenta")), _summary_table(b, end, width),
                               Paragraph(_nb(_("Total gastado en el mes: <b>{soles}</b> ({receipts}). Saldo: <b>{soles2}</b>.").format(soles=_soles(b.spent_in_month), receipts=receipts, soles2=_soles(b.balance))),
                                         style("body", spaceBefore=6))]))
    warnings = _reconciliation_warnings(b, sum((Decimal(e.amount) for e in b.expenses), ZERO))
    if warnings:
        story += [Spacer(1, 0.3 * cm), _note_box(_("Avisos"), warnings, width, "unknown")]

    story.append(KeepTogether([_heading(_("4. Acuerdos")), _ruled_lines(agreements or [], BLANK_AGREEMENTS, width)]))
    story.append(KeepTogether([_heading(_("5. Preguntas y observaciones de los asistentes")),
                               _ruled_lines([], 3, width)]))

    signers = committee_signers(committee, held_on or end)
    story.append(KeepTogether([
        Spacer(1, 0.4 * cm),
        Paragraph(_("Siendo las ______ horas se dio por terminada la asamblea. Firman los miembros del comité y, "
                  "en la relación que sigue, los asistentes, en señal de conformidad."), body),
        Spacer(1, 0.2 * cm),
        signature_table(signers, width, columns=2),
    ]))
    story += [PageBreak(), _heading(_("Relación de asistentes a la asamblea de rendición de cuentas de {label}").format(label=label))]
    if not names:
        story.append(Paragraph(_("Si faltan renglones, continúe en una hoja aparte y adjúntela a esta acta."),
                               style("small")))
    story.append(_attendees_table(names, width))
    # the footer has room for the short title; the document's properties keep the full one
    return build_pdf(out, story, title=_("Rendición de cuentas – {label}").format(label=label), committee=committee,
                     subject=f"{_(ACTA_TITLE)} – {label}")


# ------------------------------------------------------------------------------------------ cash book
@dataclass(frozen=True)
class CashBookMonth:
    """The month's cash book: the balances carried in, the lines in date order with running
    balances from them, the month's totals and the balances at its end."""

    opening_bank: Decimal
    opening_cash: Decimal
    lines: list[CashLine]

    @property
    def bank(self) -> Decimal:
        return self.lines[-1].bank_balance if self.lines else self.opening_bank

    @property
    def cash(self) -> Decimal:
        return self.lines[-1].cash_balance if self.lines else self.opening_cash

    def total(self, field: str) -> Decimal:
        return sum((getattr(line, field) for line in self.lines), ZERO)


def cash_book_month(db, committee_id: int, month: str) -> CashBookMonth:
    """The lines of ``month`` in date order, with the balance carried from before the month. Running
    balances are recomputed in that order (the service's follow the order entries were recorded in,
    which differs when an entry was recorded with an earlier date); the month's last balance is the same."""
    start, end = month_range(month)
    book = treasury_service.cash_book(db, committee_id, end, start=start)  # the month's own lines
    bank, cash = treasury_service.opening_balances(db, committee_id, start, end)  # carried from before
    opening = (bank, cash)
    lines = []
    for line in sorted(book, key=lambda x: (x.day, x.seq)):
        bank += line.bank_in - line.bank_out
        cash += line.cash_in - line.cash_out
        lines.append(CashLine(line.day, line.seq, line.concept, line.bank_in, line.bank_out, line.cash_in,
                              line.cash_out, bank, cash))
    return CashBookMonth(*opening, lines)


def _concepts(db, committee_id: int, month: str) -> dict[int, str]:
    """Journal seq → "Boleta de venta B002-004518": the receipt behind each of the month's expenses."""
    b = treasury_service.balance(db, committee_id, month)
    return {e.journal_seq: f"{DOC_TYPES.get(e.doc_type, e.doc_type)} {e.doc_number}" for e in b.expenses}


CONCEPT_MIN = 4 * cm  # the cash book's «Concepto» column: never narrower, whatever the amounts


def _cash_table(book: CashBookMonth, start: date, end: date, docs: dict[int, str], width: float,
                tail: list) -> Table:
    st = _styles()
    concept_style = style("cell", fontSize=11.5, leading=13.5)
    red = STATUS_COLOURS["fail"][1]
    fields = ("bank_in", "bank_out", "bank_balance", "cash_in", "cash_out", "cash_balance")
    texts = [_soles(getattr(line, f)) for line in book.lines for f in fields]
    texts += [_soles(x) for x in (book.opening_bank, book.opening_cash, book.bank, book.cash)]
    texts += [_soles(book.total(f)) for f in fields if not f.endswith("balance")]
    # the same columns every month (room for "S/ 0,000.00"), wider only for larger amounts; when six columns
    # of the month's widest figure leave the concept less than its room, the figures get smaller instead
    # (each one whole on its line: an amount never breaks, and no column is ever narrower than nothing)
    size = 11.0
    heading_w = _text_width([_("Ingreso"), _("Egreso"), _("Saldo")], FONT_BOLD, 11.5)
    w_day = _col(["00/00/0000"], heading=_("Fecha"))
    money_room = (width - w_day - CONCEPT_MIN) / 6 - 2 * 4 - 2
    size = fitting_size(texts + ["S/ 0,000.00"], FONT_BOLD, size, money_room)
    figure_w = _text_width(texts + ["S/ 0,000.00"], FONT_BOLD, size)
    money_w = max(figure_w, heading_w) + 2 * 4 + 2
    widths = [w_day, width - w_day - 6 * money_w] + [money_w] * 6
    amount = style("cell", fontSize=size, leading=size * 14 / 11, alignment=TA_RIGHT)
    amount_b = style("cell_bold", fontSize=size, leading=size * 14 / 11, alignment=TA_RIGHT)
    data = [
        ["", "", Paragraph(_("Banco (cuenta del comité)"), st["head_c"]), "", "",
         Paragraph(_("Efectivo en caja"), st["head_c"]), "", ""],
        [Paragraph(_("Fecha"), st["head"]), Paragraph(_("Concepto"), st["head"])]
        + [Paragraph(h, st["head_r"]) for h in (_("Ingreso"), _("Egreso"), _("Saldo")) * 2],
    ]

    def money(value: Decimal, *, balance: bool = False, bold: bool = False) -> Paragraph | str:
        if not balance and value == 0:
            return ""
        return Paragraph(_soles(value), amount_b if bold or balance else amount)

    commands: list = [("SPAN", (2, 0), (4, 0)), ("SPAN", (5, 0), (7, 0)), ("SPAN", (0, 0), (1, 0)),
                      ("LINEAFTER", (4, 0), (4, -1), 1.2, INK), ("LINEAFTER", (1, 0), (1, -1), 1.2, INK),
                      ("VALIGN", (0, 2), (-1, -1), "TOP")]
    data.append([Paragraph(format_date(start), st["cell"]),
                 Paragraph(_("<b>Saldo que viene del mes anterior</b>"), st["cell"]), "", "",
                 money(book.opening_bank, balance=True), "", "", money(book.opening_cash, balance=True)])
    for line in book.lines:
        concept = escape(line.concept)
        if line.seq in docs:
            concept += f"<br/><font size=9.5 color='#555555'>{escape(docs[line.seq])}</font>"
        row = len(data)
        data.append([Paragraph(format_date(line.day), st["cell"]), Paragraph(concept, concept_style),
                     money(line.bank_in), money(line.bank_out), money(line.bank_balance, balance=True),
                     money(line.cash_in), money(line.cash_out), money(line.cash_balance, balance=True)])
        for col, value in ((4, line.bank_balance), (7, line.cash_balance)):
            if value < 0:
                commands.append(("TEXTCOLOR", (col, row), (col, row), red))
    if not book.lines:
        data.append(["", Paragraph(_("No hubo movimientos en este mes."), st["cell"]), "", "", "", "", "", ""])
    data.append([Paragraph(_("<b>Totales del mes y saldo al {format_date}</b>").format(format_date=format_date(end)), st["bold"]), "",
                 money(book.total("bank_in"), bold=True), money(book.total("bank_out"), bold=True),
                 money(book.bank, balance=True), money(book.total("cash_in"), bold=True),
                 money(book.total("cash_out"), bold=True), money(book.cash, balance=True)])
    commands.append(("SPAN", (0, -1), (1, -1)))
    commands += [("LEFTPADDING", (2, 0), (-1, -1), 4), ("RIGHTPADDING", (2, 0), (-1, -1), 4)]
    return _grid(data, widths, commands, head_rows=2, total_rows=1, tail=tail)


def build_cash_book(db, committee, month: str, out) -> Path:
    """Write the month's "Libro caja" to ``out`` (A4 landscape) and return its path: the balances carried
    from before the month, each movement of the bank account and of the cash box with running balances,
    the month's totals and the balances at its end, and the treasurer's and president's signatures."""
    records_intact(db, committee)  # never print figures from tables that disagree with the journal
    start, end = month_range(month)
    key = f"{start:%Y-%m}"
    book = cash_book_month(db, committee.id, key)
    state = treasury_service.cycle_state(db, committee.id, key)
    width, _unused = page_frame_size(wide=True)
    label = month_label(month)
    story: list = [
        _title_row(_(CASH_BOOK_TITLE), _("Mes de {label} (del {format_date} al {format_date2})").format(label=label, format_date=format_date(start), format_date2=format_date(end)), state,
                   width, closed=_month_closed(db, committee.id, key)),
    ]
    tail = []
    negative = [line for line in book.lines if line.cash_balance < 0]
    notes = []
    if negative:
        notes.append(_("El efectivo en caja quedó negativo el {format_date}: falta registrar un retiro del banco o un gasto se anotó como pagado en efectivo y fue por banco.").format(format_date=format_date(negative[0].day)))
    if any(line.bank_balance < 0 for line in book.lines):
        notes.append(_("El saldo en banco quedó negativo: revise las transferencias y los pagos por banco."))
    if notes:
        tail += [Spacer(1, 0.3 * cm), _note_box(_("Avisos"), notes, width, "unknown")]
    body = style("body", fontSize=13, leading=17)
    signers = committee_signers(committee, end, ("tesorero", "presidente"))
    tail += _closing(Paragraph(_nb(
        _("Al {format_date} quedan <b>{soles}</b> en el banco y <b>{soles2}</b> en efectivo: en total <b>{soles3}</b>. Compare el saldo en banco con el estado de cuenta y cuente el efectivo de la caja.").format(format_date=format_date(end), soles=_soles(book.bank), soles2=_soles(book.cash), soles3=_soles(book.bank + book.cash))), body), signers, width)
    story += [Spacer(1, 0.1 * cm), _cash_table(book, start, end, _concepts(db, committee.id, key), width, tail)]
    return build_pdf(out, story, title=f"{_(CASH_BOOK_TITLE)} – {label}", committee=committee, wide=True)
