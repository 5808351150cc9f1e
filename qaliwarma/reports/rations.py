"""The "Registro mensual de raciones": A4 landscape, one row per school day of the month (and per day
that had a service), per level the rations served at each meal and the children present; totals, the
enrolment, and the rations as a % of enrolment × school days. School days without any record are
marked "Sin registro", so a missing day shows instead of hiding.
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
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from ..errors import InvalidInput
from ..i18n import N_, _
from ..services.month_rations import MonthRecord, month_record
from .base import (
    FONT,
    FONT_BOLD,
    HEAD_BG,
    INK,
    MONTHS,
    MUTED,
    NO_SERVICE_BG,
    NO_SERVICE_INK,
    STATUS_COLOURS,
    build_pdf,
    escape,
    format_day_month,
    format_number,
    level_label,
    meal_label,
    page_frame_size,
    records_intact,
    style,
    table_style,
    weekday_name,
)
from .parts import column_widths, committee_signers, grid, signature_table

TITLE = N_("Registro mensual de raciones")
NO_RECORD = N_("Sin registro")
ATTENDANCE = N_("Asistentes")
# From roomy to crowded (three levels, two meals): heading size, number size, decimals of the %.
LAYOUTS = ((11, 13, 1), (10.5, 13, 1), (10, 12.5, 1), (9.5, 12, 1), (9.5, 12, 0), (9, 11.5, 0))
LEVEL_BG = colors.HexColor("#2f5d8a")
TOTAL_BG = colors.HexColor("#fff6d6")


def _percent(part: int, whole: int, decimals: int = 1) -> str:
    if whole <= 0:
        return "—"
    return f"{format_number(Decimal(part) * 100 / Decimal(whole), decimals)} %"


def _columns(record: MonthRecord, size: float, decimals: int) -> list:
    widest = max(("99,999", "100.0 %" if decimals else "100 %"),
                 key=lambda t: pdfmetrics.stringWidth(t, FONT_BOLD, size))
    number = (widest, FONT_BOLD, size)
    cols: list = [(_("Día"), (_("Miércoles 00/00"), FONT, size - 1))]
    for _level in record.levels:
        cols += [(meal_label(m), number) for m in record.meals]
        cols.append((_(ATTENDANCE), number))
    cols.append((_("Total raciones del día"), number))
    return cols


@dataclass(frozen=True)
class _Layout:
    widths: list[float]
    head_size: float
    size: float  # numbers (the day's name one point smaller)
    decimals: int  # of the percentages


def _layout(record: MonthRecord, width: float) -> _Layout:
    """The roomiest layout whose columns hold every heading word and number on one line (smaller
    type with three levels); what is left over is shared out evenly."""
    for head_size, size, decimals in LAYOUTS:
        widths = column_widths(_columns(record, size, decimals), width, head_size=head_size)
        if sum(widths) <= width:
            break
    extra = (width - sum(widths)) / len(widths)
    if extra < 0:  # still too wide: shrink evenly rather than run off the page
        return _Layout([w * width / sum(widths) for w in widths], head_size, size, decimals)
    return _Layout([w + extra for w in widths], head_size, size, decimals)


def _table(record: MonthRecord, committee, width: float) -> Table:
    per_level = len(record.meals) + 1
    n_cols = 1 + per_level * len(record.levels) + 1
    layout = _layout(record, width)
    head_size, size = layout.head_size, layout.size
    head = style("cell_head", fontSize=head_size, leading=head_size * 1.25, alignment=TA_CENTER)
    band = style("cell_head", fontSize=13, leading=16, alignment=TA_CENTER, textColor=colors.white)
    day_style = style("cell", fontSize=size - 1, leading=(size - 1) * 1.2)
    num = style("cell", fontSize=size, leading=size * 1.16, alignment=TA_RIGHT)
    bold_num = style("cell_bold", fontSize=size, leading=size * 1.16, alignment=TA_RIGHT)
    missing = style("cell_center", fontSize=size - 1, leading=(size - 1) * 1.2, textColor=MUTED)
    label = style("cell_bold", fontSize=size - 1, leading=(size - 1) * 1.2)

    def percent(part: int, whole: int) -> str:
        return _percent(part, whole, layout.decimals)

    row0 = [Paragraph(_("Día"), style("cell_head", fontSize=head_size, leading=head_size * 1.25))]
    row1 = [""]
    commands: list = [("SPAN", (0, 0), (0, 1)), ("SPAN", (n_cols - 1, 0), (n_cols - 1, 1)),
                      ("LINEBELOW", (0, 1), (-1, 1), 1.2, INK)]
    for i, level in enumerate(record.levels):
        first = 1 + i * per_level
        row0 += [Paragraph(level_label(level).upper(), band)] + [""] * (per_level - 1)
        row1 += [Paragraph(meal_label(m), head) for m in record.meals] + [Paragraph(_(ATTENDANCE), head)]
        commands += [("SPAN", (first, 0), (first + per_level - 1, 0)),
                     ("BACKGROUND", (first, 0), (first + per_level - 1, 0), LEVEL_BG),
                     ("LINEBEFORE", (first, 0), (first, -1), 1.4, INK)]
    row0.append(Paragraph(_("Total raciones del día"), head))
    row1.append("")
    commands.append(("LINEBEFORE", (n_cols - 1, 0), (n_cols - 1, -1), 1.4, INK))
    data = [row0, row1]
    school = set(record.school_days)
    recorded = record.recorded_days
    for day in record.days:
        r = len(data)
        name = f"{weekday_name(day)} {format_day_month(day)}"
        if day not in recorded:
            data.append([Paragraph(name, day_style),
                         Paragraph(f"<i>{_(NO_RECORD)}</i>", style("cell_center", fontSize=size - 1,
                                                                leading=(size - 1) * 1.2,
                                                                textColor=NO_SERVICE_INK))]
                        + [""] * (n_cols - 2))
            commands += [("SPAN", (1, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), NO_SERVICE_BG)]
            continue
        if day not in school:
            name += _("<br/><font size=9.5 color='#6d4c00'>día sin clases</font>")
            commands.append(("BACKGROUND", (0, r), (0, r), STATUS_COLOURS["unknown"][0]))
        row = [Paragraph(name, day_style)]
        for level in record.levels:
            for meal in record.meals:
                n = record.rations.get((day, level, meal))
                row.append(Paragraph(format_number(n), num) if n is not None else Paragraph("—", missing))
            present = record.attendance.get((day, level))
            row.append(Paragraph(format_number(present), num) if present is not None else Paragraph("—", missing))
        row.append(Paragraph(format_number(record.day_total(day)), bold_num))
        data.append(row)
    if not record.days:
        r = len(data)
        data.append([Paragraph(_("<i>El mes no tiene días de clase ni servicios registrados.</i>"), day_style)]
                    + [""] * (n_cols - 1))
        commands.append(("SPAN", (0, r), (-1, r)))

    n_days = len(record.school_days)
    # «% de lo previsto» counts the rations of school days only (what the previsto counts): a service on
    # a Saturday is in the month's total, and shown in its own row, but never makes up for a school day
    apart = record.outside_school_days > 0
    total_row = [Paragraph(_("Total del mes"), label)]
    school_row = [Paragraph(_("En días de clase"), label)]
    enrol_row = [Paragraph(_("Matriculados"), label)]
    expected_row = [Paragraph(_("Previsto"), label)]
    pct_row = [Paragraph(_("% de lo previsto"), label)]
    for level in record.levels:
        enrolled = committee.enrolment(level)
        expected = enrolled * n_days
        for meal in record.meals:
            total = record.total(level, meal)
            on_school = record.total(level, meal, school_only=True)
            total_row.append(Paragraph(format_number(total), bold_num))
            school_row.append(Paragraph(format_number(on_school), num))
            expected_row.append(Paragraph(format_number(expected), num))
            pct_row.append(Paragraph(percent(on_school, expected), bold_num))
        present = record.total_attendance(level)
        present_school = record.total_attendance(level, school_only=True)
        total_row.append(Paragraph(format_number(present), bold_num))
        school_row.append(Paragraph(format_number(present_school), num))
        expected_row.append(Paragraph(format_number(expected), num))
        pct_row.append(Paragraph(percent(present_school, expected), bold_num))
        enrol_row += [Paragraph(_("<b>{format_number}</b> niños").format(format_number=format_number(enrolled)), style("cell_center", fontSize=size,
                                                                                  leading=size * 1.16))]
        enrol_row += [""] * (per_level - 1)
    total_row.append(Paragraph(format_number(record.grand_total), bold_num))
    school_row.append(Paragraph(format_number(record.school_days_total), num))
    expected_total = sum(committee.enrolment(lv) for lv in record.levels) * n_days * len(record.meals)
    expected_row.append(Paragraph(format_number(expected_total), num))
    pct_row.append(Paragraph(percent(record.school_days_total, expected_total), bold_num))
    enrol_row.append(Paragraph(format_number(sum(committee.enrolment(lv) for lv in record.levels)), bold_num))
    first_foot = len(data)
    data += [total_row] + ([school_row] if apart else []) + [enrol_row, expected_row, pct_row]
    enrol_at = first_foot + (2 if apart else 1)
    commands += [("BACKGROUND", (0, first_foot), (-1, first_foot), TOTAL_BG),
                 ("LINEABOVE", (0, first_foot), (-1, first_foot), 1.4, INK),
                 ("BACKGROUND", (0, first_foot + 1), (-1, -1), HEAD_BG),
                 ("TOPPADDING", (0, 2), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 2), (-1, -1), 2.5)]
    for i in range(len(record.levels)):
        first = 1 + i * per_level
        commands.append(("SPAN", (first, enrol_at), (first + per_level - 1, enrol_at)))
    return grid(data, layout.widths, commands, head_rows=2)


def _anomalies(record: MonthRecord, committee) -> list[str]:
    """What a reader of the register should look at: school days without a record, services on days
    without classes, more rations than children enrolled."""
    found = []
    missing = [d for d in record.school_days if d not in record.recorded_days]
    if missing:
        found.append(_("Días de clase sin registro de raciones ({len}): ").format(len=len(missing))
                     + ", ".join(format_day_month(d) for d in missing) + ".")
    school = set(record.school_days)
    for day in sorted(d for d in record.recorded_days if d not in school):
        found.append(_("{weekday_name} {format_day_month}: se anotaron {format_number} raciones en un día sin clases.").format(weekday_name=weekday_name(day), format_day_month=format_day_month(day), format_number=format_number(record.day_total(day))))
    for (day, level, meal), n in sorted(record.rations.items()):
        enrolled = committee.enrolment(level)
        if n > enrolled:
            found.append(_("{weekday_name} {format_day_month}, {lower} de {lower2}: {format_number} raciones para {format_number2} matriculados.").format(weekday_name=weekday_name(day), format_day_month=format_day_month(day), lower=meal_label(meal).lower(), lower2=level_label(level).lower(), format_number=format_number(n), format_number2=format_number(enrolled)))
    return found


def build_rations_register(db, committee, year: int, month: int, out: Path) -> Path:
    """Write the month's rations register (A4 landscape) to ``out``.

    Rows are the school days of the month (``services.calendar.school_days``) and any other day with
    a service; a school day without any record reads "Sin registro". Columns are, per level, the
    rations of each meal and the children present; then the day's total. At the foot: totals, the
    enrolment, and the rations as a % of enrolment × school days. Signature lines for the president
    and the secretary of the committee.
    """
    records_intact(db, committee)  # never print figures from tables that disagree with the journal
    if not 1 <= month <= 12:
        raise InvalidInput(_("El mes {month} no existe: use un número del 1 al 12.").format(month=month))
    record = month_record(db, committee, year, month)
    width, _unused = page_frame_size(wide=True)
    month_name = _("{value} de {year}").format(value=_(MONTHS[month - 1]), year=year)
    missing = [d for d in record.school_days if d not in record.recorded_days]
    served_days = len(record.recorded_days)
    summary = (_("Días de clase: <b>{len}</b>  ·  días con servicio registrado: <b>{served_days}</b>").format(len=len(record.school_days), served_days=served_days))
    if missing:
        summary += _("  ·  <font color='#b71c1c'>días de clase sin registro: <b>{len}</b></font>").format(len=len(missing))
    per_meal = "; ".join(f"{meal_label(m).lower()} {format_number(sum(record.total(lv, m) for lv in record.levels))}"
                         for m in record.meals)
    story: list = [
        Paragraph(f"{_(TITLE)} · {month_name}", style("title")),
        Paragraph(summary, style("body", fontSize=13, leading=17)),
        Paragraph(_("Asistentes: niños presentes ese día en el nivel (el mayor número anotado entre las comidas). Previsto: matriculados × {len} días de clase del mes; el % cuenta solo las raciones de los días de clase. «—»: no se anotó esa comida. «Sin registro»: día de clase sin ningún registro de raciones.").format(len=len(record.school_days)),
                  style("small")),  # the legend before the table: the foot keeps to the table's last page
        _table(record, committee, width),
        Spacer(1, 0.2 * cm),
    ]
    foot: list = [  # the totals, what to look at and the signatures share a page
        Paragraph(_("Total de raciones servidas en {month_name}: <b>{format_number}</b>").format(month_name=month_name, format_number=format_number(record.grand_total))
                  + (f" ({per_meal})." if len(record.meals) > 1 else "."), style("body", fontSize=14, leading=18)),
    ]
    anomalies = _anomalies(record, committee)
    if anomalies:
        ink = style("body", fontSize=11.5, leading=14.5, textColor=colors.HexColor("#b71c1c"))
        shown = anomalies[:8] + ([_("… y {value} más.").format(value=len(anomalies) - 8)] if len(anomalies) > 8 else [])
        foot += [Paragraph(_("<b>Para revisar</b>"), style("body", fontSize=12.5, leading=16, spaceBefore=2))]
        foot += [Paragraph(f"• {escape(text)}", ink) for text in shown]
    signers = committee_signers(committee, date(year, month, 1), roles=("presidente", "secretario"))
    if signers:  # beside the totals and what to look at: the three fit under the table's last rows
        left, right = 0.55 * width, 0.45 * width
        signed = [Paragraph(_("Damos fe de que las raciones anotadas fueron servidas."), style("body", fontSize=12)),
                  *signature_table(signers, right - 0.4 * cm, columns=2, space=0.9 * cm, size=10.5,
                                  gap=0.4 * cm)]
        side = Table([[foot, signed]], colWidths=[left, right])
        side.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (0, 0), 0.4 * cm), ("LEFTPADDING", (1, 0), (1, 0), 0.4 * cm)]))
        foot = [side]
    story.append(KeepTogether(foot))
    title = f"{_(TITLE)} · {month_name}"
    return build_pdf(out, story, title=title, committee=committee, wide=True,
                     subject=f"{title} · {escape(committee.name) if committee else ''}")
