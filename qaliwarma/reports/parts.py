"""The reports toolkit: the parts every printed document is made of, in one place.

- ``title_block``: the document's title, its subject (a person, a product, a month) and the period;
- ``section_heading``;
- ``grid`` (the plain table: blue head rows, thin rules, light stripes) and ``column_widths`` (widths so
  that no heading word nor sample value is cut); ``tick`` for check boxes; ``kg`` for quantities;
- ``Signer``, ``committee_signers`` and ``signature_table``: signature lines with the role, the name and
  the DNI (blank lines to fill by hand when nobody is in office);
- ``compliance_boxes`` and ``percent_chart``: a plan's nutrition compliance in coloured boxes, and bars of
  % of the target per day;
- the page template itself (letterhead, "Impreso el … · título · Página x de y", and the verification
  code when the document has one) is ``base.build_pdf``.

A report is a document definition: it takes its data from a service and lays it out with these parts;
it imports no other report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, Spacer, Table

from ..domain.committee import ROLES
from ..domain.menus import STATUS_HIGH, STATUS_LABELS, STATUS_LOW, STATUS_OK, STATUS_UNKNOWN, PlanCheck
from ..domain.treasury import DOC_TYPES
from ..i18n import N_, _
from ..money import format_soles
from .base import (
    FONT,
    FONT_BOLD,
    HEAD_BG,
    INK,
    MUTED,
    RULE,
    STATUS_COLOURS,
    ZEBRA,
    escape,
    format_date,
    format_day_month,
    format_number,
    meal_label,
    style,
    table_style,
)

CHECKED, UNCHECKED = "☒", "☐"
CELL_PADDING = 5
HEAD_SIZE = 9.5


# ---------------------------------------------------------------------------------------------- titles
def title_block(title: str, subject: str = "", period: str = "") -> list:
    """The title in large type; under it the subject (a product, a plan…) and the period, if any."""
    story: list = []
    if subject:
        story.append(Paragraph(escape(title), style("title", fontSize=16, leading=20, textColor=MUTED, spaceAfter=2)))
        story.append(Paragraph(escape(subject), style("title")))
    else:
        story.append(Paragraph(escape(title), style("title")))
    if period:
        story.append(Paragraph(escape(period), style("subtitle")))
    return story


def section_heading(text: str) -> Paragraph:
    return Paragraph(escape(text), style("heading"))


# ---------------------------------------------------------------------------------------------- tables
def grid(data, widths, commands=(), head_rows: int = 1, zebra: bool = True) -> Table:
    """A plain table: blue head rows, thin rules, a thicker box, light stripes."""
    table = Table(data, colWidths=widths, repeatRows=head_rows)
    stripes = [("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(head_rows + 1, len(data), 2)] if zebra else []
    table.setStyle(table_style([
        ("BACKGROUND", (0, 0), (-1, head_rows - 1), HEAD_BG),
        ("GRID", (0, 0), (-1, -1), 0.6, RULE),
        ("BOX", (0, 0), (-1, -1), 1.2, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        *stripes,
        *commands,
    ]))
    return table


def tick(value: bool, label: str = "") -> str:
    """A box marked with an X (or empty) and its label: "☒ Sí"."""
    return f"{CHECKED if value else UNCHECKED} {label}".strip()


@dataclass(frozen=True)
class Signer:
    """One signature line: the role it is for, and the person (empty name: blank fields to fill by hand)."""

    role: str
    name: str = ""
    dni: str = ""
    extra: str = ""


def committee_signers(committee, day: date | None = None, roles: tuple[str, ...] | None = None, *,
                      blank_for_missing: bool = False) -> list[Signer]:
    """The committee's members in office on ``day`` (all, or only those with ``roles``, in that order).
    With ``blank_for_missing`` a single role nobody holds (presidente, secretario, tesorero; not vocal)
    still gets a blank line to fill by hand: documents that need those signatures."""
    form = getattr(committee, "form", None)
    members = list(form.members) if form is not None else []
    if day is not None:
        current = [m for m in members if m.start_date <= day and (m.end_date is None or m.end_date >= day)]
        members = current or [m for m in members if m.end_date is None] or members
    if roles is None:
        return [Signer(_role_label(m.role), m.name, m.dni) for m in members]
    signers = []
    for role in roles:
        held = [m for m in members if m.role == role]
        signers += [Signer(_role_label(role), m.name, m.dni) for m in held]
        if not held and blank_for_missing and role != "vocal":
            signers.append(Signer(_role_label(role)))
    return signers


def _role_label(role: str) -> str:
    return _("{role} del CAE").format(role=_(ROLES[role]) if role in ROLES else role.capitalize())


def _signature_cell(signer: Signer, width: float, space: float, size: float, dni_apart: bool) -> Table:
    text = style("cell", fontSize=size, leading=size + 3)
    rows = [[""], [Paragraph(f"<b>{escape(signer.role)}</b>", text)]]
    commands = [("LINEABOVE", (0, 1), (0, 1), 0.9, INK)]
    if signer.name and dni_apart:
        rows.append([Paragraph(escape(signer.name), text)])
        rows.append([Paragraph(f"DNI {escape(signer.dni)}" if signer.dni else "DNI:", text)])
    elif signer.name:
        who = escape(signer.name) + (_(" · DNI {dni}").format(dni=escape(signer.dni)) if signer.dni else "")
        rows.append([Paragraph(who, text)])
    else:
        if signer.extra:
            rows.append([Paragraph(escape(signer.extra), style("cell", fontSize=10.5, leading=13, textColor=MUTED))])
        for label in (_("Nombre:"), "DNI:"):
            rows.append([Paragraph(label, text)])
            commands.append(("LINEBELOW", (0, len(rows) - 1), (0, len(rows) - 1), 0.5, RULE))
    heights = [space] + [None] * (len(rows) - 1)
    cell = Table(rows, colWidths=[width], rowHeights=heights)
    cell.setStyle(table_style([
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *commands,
    ]))
    return cell


def signature_table(signers: list[Signer], width: float, columns: int = 3, *, space: float = 1.5 * cm,
                    size: float = 11.5, gap: float = 0.8 * cm, dni_apart: bool = False) -> list:
    """Signature lines, ``columns`` to a row: ``space`` to sign, the line, the role, the name and DNI (on
    the name's line, or on its own with ``dni_apart``). A list of flowables (empty without signers)."""
    if not signers:
        return []
    cell_width = (width - gap * (columns - 1)) / columns
    rows, widths = [], []
    for c in range(columns):
        widths += [cell_width] + ([gap] if c < columns - 1 else [])
    for i in range(0, len(signers), columns):
        chunk = signers[i:i + columns]
        row: list = []
        for c in range(columns):
            row.append(_signature_cell(chunk[c], cell_width, space, size, dni_apart) if c < len(chunk) else "")
            if c < columns - 1:
                row.append("")
        rows.append(row)
    table = Table(rows, colWidths=widths)
    table.setStyle(table_style([
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return [table]



def kg(grams: Decimal) -> str:
    """Kilograms to the gram: "78.000", "1,234.567"."""
    return format_number(Decimal(grams) / 1000, 3)


FLEXIBLE_MIN = 1 * cm  # the least the column that takes what is left keeps, however wide the others' texts


def fitting_size(texts, font: str, size: float, room: float) -> float:
    """The font size, ``size`` at most, at which the widest of ``texts`` fits in ``room`` points: a table's
    figures get smaller rather than its other columns narrower than nothing (a ReportLab traceback)."""
    widest = max((pdfmetrics.stringWidth(t, font, size) for t in texts), default=0.0)
    return size if widest <= room or room <= 0 else max(size * room / widest, 1.0)


def column_widths(columns, width: float, *, head_size: float = HEAD_SIZE) -> list[float]:
    """Widths for a table's ``columns`` — (heading, (widest text, font, size)) each, or (heading,
    None) for the one column that takes what is left — so that no heading word and no sample text
    is cut. Headings are bold at ``head_size``; "<br/>" and "<b>" in them are allowed. When the texts
    (very large amounts) would leave the flexible column less than ``FLEXIBLE_MIN``, the other columns
    give up room in proportion (their texts wrap) instead of the table failing to print."""
    widths = []
    for heading, sample in columns:
        if sample is None:
            widths.append(0.0)
            continue
        text, font, size = sample
        words = heading.replace("<br/>", " ").replace("<b>", "").replace("</b>", "").split()
        longest = max((pdfmetrics.stringWidth(w, FONT_BOLD, head_size) for w in words), default=0)
        widths.append(max(longest, pdfmetrics.stringWidth(text, font, size)) + 2 * CELL_PADDING + 1)
    flexible = [i for i, (_unused, sample) in enumerate(columns) if sample is None]
    fixed = sum(widths)
    room = width - FLEXIBLE_MIN * len(flexible)
    if flexible and fixed > room > 0:
        widths = [w * room / fixed for w in widths]
    for i in flexible:
        widths[i] = (width - sum(widths)) / len(flexible)
    return widths


# ------------------------------------------------------------------------- a plan's nutrition compliance
CHART_CAP = 300.0
CHART_METRICS = (
    ("energy_kcal", N_("Energía"), colors.HexColor("#e69f00")),
    ("protein_g", N_("Proteínas"), colors.HexColor("#0072b2")),
    ("iron_mg", N_("Hierro"), colors.HexColor("#b22222")),
)
LEGEND = (N_("Verde: cumple el estándar.  Rojo: por debajo o por encima de la meta.  "
          "Ámbar: faltan datos en la tabla de alimentos, no se puede comprobar."))


def compliance_boxes(check: PlanCheck, width: float) -> list:
    """A plan's compliance in four coloured boxes (cumple, bajo, alto, sin datos) and the total, with
    one sentence saying what to do."""
    counts = check.summary()
    cells, commands = [], []
    order = (STATUS_OK, STATUS_LOW, STATUS_HIGH, STATUS_UNKNOWN)
    number = style("cell_center", fontName=FONT_BOLD, fontSize=24, leading=28)
    for col, status in enumerate(order):
        bg, ink = STATUS_COLOURS[status]
        cells.append([Paragraph(str(counts[status]), style("cell_center", fontName=FONT_BOLD, fontSize=24,
                                                            leading=28, textColor=ink)),
                      Paragraph(escape(STATUS_LABELS[status]), style("cell_center", fontSize=11, leading=13.5,
                                                                     textColor=ink))])
        commands.append(("BACKGROUND", (col, 0), (col, 0), bg))
    cells.append([Paragraph(str(counts["entries"]), number),
                  Paragraph(_("Total de comidas"), style("cell_center", fontSize=11, leading=13.5))])
    boxes = Table([cells], colWidths=[width / 5] * 5)
    boxes.setStyle(table_style([("BOX", (0, 0), (-1, -1), 0.8, RULE), ("INNERGRID", (0, 0), (-1, -1), 0.8,
                                                                         colors.white),
                                ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                                ("VALIGN", (0, 0), (-1, -1), "TOP"), *commands]))
    bad = counts["entries"] - counts[STATUS_OK]
    failed_rules = sum(1 for r in check.rules if r.status != "ok")
    if counts["entries"] == 0:
        sentence = _("El plan todavía no tiene comidas planificadas: no hay nada que revisar.")
    elif bad == 0:
        sentence = _("Las {entries} comidas planificadas cumplen el estándar.").format(entries=counts['entries'])
    else:
        sentence = (_("{value} de {entries} comidas cumplen el estándar. Revise las {bad} marcadas en rojo o ámbar en el detalle por día.").format(value=counts[STATUS_OK], entries=counts['entries'], bad=bad))
    if check.rules:
        sentence += (_(" Todas las reglas del menú se cumplen.") if failed_rules == 0
                     else _(" Hay {failed_rules} observación(es) a las reglas del menú.").format(failed_rules=failed_rules))
    return [boxes, Spacer(1, 0.2 * cm), Paragraph(sentence, style("body", fontSize=13)),
            Paragraph(_(LEGEND), style("small"))]


def percent_chart(check: PlanCheck, meal: str, level: str, width: float) -> Drawing | None:
    """Bars of % of the minimum target per day (energy, protein, iron) for one meal and level."""
    entries = sorted((e for e in check.entries if e.meal == meal and e.level == level), key=lambda e: e.day)
    series = []
    beyond: list[str] = []  # bars cut at CHART_CAP, said with their value (the 315 % of liver read as 300 %)
    for metric, label, _colour in CHART_METRICS:
        values = []
        for e in entries:
            found = next((m for m in e.checks if m.metric == metric), None)
            pct = found.percent_of_target if found and found.percent_of_target else 0
            values.append(min(pct, CHART_CAP))
            if pct > CHART_CAP:
                beyond.append(_("{metric} {pct} el {day}").format(metric=_(label).lower(), pct=f"{pct:,.0f} %",
                                                                   day=format_day_month(e.day)))
        series.append(values)
    if not entries or not any(any(v) for v in series):
        return None
    top = max(max(v) for v in series)
    height = 6.2 * cm
    drawing = Drawing(width, height, initialFontName=FONT)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width = 1.3 * cm, 1.5 * cm, width - 1.5 * cm
    chart.height = height - 2.4 * cm - (0.45 * cm if beyond else 0)  # room for the line that says so
    chart.data = series
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, max(150, -(-top // 50) * 50)
    chart.valueAxis.valueStep = 50
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = FONT, 8
    chart.valueAxis.labelTextFormat = "%d %%"
    chart.categoryAxis.categoryNames = [format_day_month(e.day) for e in entries]
    labels = chart.categoryAxis.labels
    labels.fontName, labels.fontSize = FONT, 8 if len(entries) <= 12 else 7
    if len(entries) > 12:
        labels.angle, labels.boxAnchor, labels.dy = 90, "e", -2
    chart.barSpacing, chart.groupSpacing = 0.5, 4
    for i, (_metric, _label, colour) in enumerate(CHART_METRICS):
        chart.bars[i].fillColor, chart.bars[i].strokeColor = colour, None
    drawing.add(chart)
    y100 = chart.y + chart.height * 100 / chart.valueAxis.valueMax
    drawing.add(Line(chart.x, y100, chart.x + chart.width, y100, strokeColor=colors.black, strokeWidth=1.2,
                     strokeDashArray=[4, 2]))
    drawing.add(String(chart.x, height - 0.5 * cm, meal_label(meal), fontName=FONT_BOLD, fontSize=11))
    if beyond:  # under the title: the bars that reach the top go beyond it
        shown = beyond[:3] + ([_("y {n} más").format(n=len(beyond) - 3)] if len(beyond) > 3 else [])
        drawing.add(String(chart.x, height - 0.95 * cm, _("▲ Pasan de {cap}: {list}").format(
            cap=f"{CHART_CAP:,.0f} %", list="; ".join(shown)), fontName=FONT, fontSize=8))
    legend = Legend()
    legend.x, legend.y, legend.alignment = chart.x + 2.6 * cm, height - 0.35 * cm, "right"
    legend.columnMaximum, legend.fontName, legend.fontSize = 1, FONT, 9
    legend.dx, legend.dy, legend.deltax = 8, 8, 90
    legend.colorNamePairs = [(colour, _(label)) for _m, label, colour in CHART_METRICS]
    drawing.add(legend)
    return drawing


def cancelled_lines(b) -> list[str]:
    """One plain line per expense of the month cancelled by its end (``treasury.Balance.cancelled``): the numbers
    a list of the month's receipts skips, and why. The balance and the monthly report print the same lines."""
    return [_("N.º {number} del {day}: {doc} {doc_number}, {amount}; anulado el {on}. Motivo: {reason}").format(
        number=c.number, day=format_date(c.day), doc=_(DOC_TYPES.get(c.doc_type, c.doc_type)),
        doc_number=c.doc_number, amount=format_soles(c.amount), on=format_date(c.cancelled_on) + (
            _(" (anulación registrada el {day})").format(day=format_date(c.recorded_on)) if c.recorded_on else ""),
        reason=c.reason or "—") for c in b.cancelled]
