"""The menu posted at the school door: A4 landscape, one page per week, Monday to Friday.

Rows are the meals; a meal gets one row per level only in a week where the levels eat different
preparations. The preparation names are printed in the largest type that keeps the week on one page;
a preparation the committee named in the community's language shows that name below, smaller, in italics.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table

from ..domain.calendar import monday_of
from ..domain.levels import LEVELS, MEALS
from ..domain.menus import Plan
from ..errors import InvalidInput
from ..i18n import N_, _
from .base import (
    FONT_BOLD,
    FONT_ITALIC,
    INK,
    MUTED,
    NO_SERVICE_BG,
    NO_SERVICE_INK,
    build_pdf,
    escape,
    format_date,
    format_day_month,
    join_words,
    level_label,
    long_date,
    meal_label,
    page_frame_size,
    story_height,
    style,
    table_style,
    weekday_name,
)

TITLE = N_("Menú escolar")
NO_SERVICE = N_("Sin servicio")
SCHOOL_DAYS = 5
FONT_SIZES = (22, 21, 20, 19, 18, 17, 16, 15, 14.5, 14, 13.5, 13, 12.5, 12, 11.5, 11, 10.5, 10, 9)
CELL_PAD = 5
DAY_HEAD_BG = colors.HexColor("#2f5d8a")
MEAL_BG = {"desayuno": colors.HexColor("#fde9c8"), "almuerzo": colors.HexColor("#dcefd6")}
OTHER_MEAL_BG = colors.HexColor("#e3ecf5")
LOCAL_SCALE = 0.72  # the local name's size, relative to the Spanish name's
LOCAL_INK = colors.HexColor("#3b3b3b")
RULE = colors.HexColor("#7a7a7a")


def _order(values, known: tuple[str, ...]) -> list[str]:
    found = set(values)
    return [v for v in known if v in found] + sorted(found - set(known))


class _Week:
    """What the plan serves in one week: rows (meal, levels) and the preparation per row and day."""

    def __init__(self, monday: date, plan: Plan, by_key: dict, served: set[date], meals, levels):
        self.monday = monday
        self.days = [monday + timedelta(days=i) for i in range(SCHOOL_DAYS)]
        self.in_period = [plan.info.start <= d <= plan.info.end for d in self.days]
        self.served = [d in served for d in self.days]
        self.rows: list[tuple[str, list[str], list[str | None]]] = []  # meal, levels, recipe id per day
        for meal in meals:
            per_level = {lv: [by_key.get((d, meal, lv)) for d in self.days] for lv in levels}
            present = [lv for lv in levels if any(per_level[lv])]
            if not present:
                continue
            first = per_level[present[0]]
            if all(per_level[lv] == first for lv in present):
                self.rows.append((meal, present, first))
            else:
                self.rows += [(meal, [lv], per_level[lv]) for lv in present]
        if not self.rows:  # a week without any service still prints, all grey
            self.rows = [(meal, list(levels), [None] * SCHOOL_DAYS) for meal in meals[:1]]

    def title(self, plan: Plan) -> str:
        first = max(self.days[0], plan.info.start)
        last = min(self.days[-1], plan.info.end)
        if last < first:
            first, last = self.days[0], self.days[-1]
        return _("{TITLE} del {format_day_month} al {format_day_month2}").format(TITLE=_(TITLE), format_day_month=format_day_month(first), format_day_month2=format_day_month(last))


def _day_head(day: date, size: float) -> Paragraph:
    return Paragraph(
        f"<b>{weekday_name(day)}</b><br/><font size={size * 0.8:.1f}>{format_day_month(day)}</font>",
        style("cell_center", fontSize=size, leading=size * 1.2, textColor=colors.white),
    )


def _row_head(meal: str, levels: list[str], size: float, all_levels: list[str]) -> Paragraph:
    text = f"<b>{escape(meal_label(meal))}</b>"
    if len(all_levels) > 1 or len(levels) < len(all_levels):
        names = join_words([level_label(lv) for lv in levels])
        text += f"<br/><font size={size * 0.78:.1f}>{escape(names)}</font>"
    return Paragraph(text, style("cell", fontSize=size, leading=size * 1.22, textColor=INK))


def _no_service(reason: str, size: float) -> Paragraph:
    text = f"<i>{_(NO_SERVICE)}</i>"
    if reason:
        text += f"<br/><font size={size * 0.75:.1f}>{escape(reason)}</font>"
    return Paragraph(text, style("cell_center", fontSize=size, leading=size * 1.25, textColor=NO_SERVICE_INK))


def _columns(width: float) -> tuple[float, float]:
    """Widths of the first (meal) column and of each day's column."""
    first = 3.7 * cm
    return first, (width - first) / SCHOOL_DAYS


def _dish(recipe_id: str, names: dict[str, str], local: dict[str, str], size: float, dish):
    spanish = Paragraph(escape(names.get(recipe_id, recipe_id)), dish)
    if not local.get(recipe_id):
        return spanish
    small = size * LOCAL_SCALE  # its own paragraph, so that its lines are spaced for its own size
    below = style("cell_center", fontName=FONT_ITALIC, fontSize=small, leading=small * 1.2, textColor=LOCAL_INK,
                  spaceBefore=size * 0.15)
    return [spanish, Paragraph(escape(local[recipe_id]), below)]


def _week_table(week: _Week, names: dict[str, str], closed: dict[date, str], levels: list[str],
                size: float, width: float, heights: list[float] | None = None,
                local: dict[str, str] | None = None) -> Table:
    head_size = max(12.0, min(16.0, size * 0.85))
    first_col, day_col = _columns(width)
    dish = style("cell_center", fontName=FONT_BOLD, fontSize=size, leading=size * 1.18)
    missing = style("cell_center", fontSize=size, leading=size * 1.2, textColor=MUTED)
    data = [[Paragraph("", style("cell"))] + [_day_head(d, head_size) for d in week.days]]
    commands: list = [
        ("BACKGROUND", (1, 0), (-1, 0), DAY_HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.8, RULE),
        ("BOX", (0, 0), (-1, -1), 1.6, INK),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]
    for r, (meal, row_levels, recipes) in enumerate(week.rows, start=1):
        row = [_row_head(meal, row_levels, head_size, levels)]
        for c, recipe_id in enumerate(recipes):
            if not week.served[c]:
                row.append("")
            elif recipe_id is None:
                row.append(Paragraph("—", missing))
            else:
                row.append(_dish(recipe_id, names, local or {}, size, dish))
        data.append(row)
        commands.append(("BACKGROUND", (0, r), (0, r), MEAL_BG.get(meal, OTHER_MEAL_BG)))
    last = len(data) - 1
    for c, day in enumerate(week.days, start=1):
        if week.served[c - 1]:
            continue
        reason = closed.get(day, "") if week.in_period[c - 1] else _("Otro periodo")
        data[1][c] = _no_service(reason, max(10.0, size * 0.9)) if week.in_period[c - 1] else Paragraph(
            f"<i>{escape(reason)}</i>", style("cell_center", fontSize=max(9.0, size * 0.7), textColor=NO_SERVICE_INK))
        commands += [("SPAN", (c, 1), (c, last)), ("BACKGROUND", (c, 1), (c, last), NO_SERVICE_BG)]
    table = Table(data, colWidths=[first_col] + [day_col] * SCHOOL_DAYS, rowHeights=heights, repeatRows=1)
    table.setStyle(table_style(commands))
    return table


def _week_page(week: _Week, plan: Plan, names, closed, levels, width: float, height: float,
               local: dict[str, str], language: str) -> list:
    subtitle = _("Semana del {long_date}  ·  {escape}").format(long_date=long_date(week.days[0]), escape=escape(plan.info.name))
    shown = {rid for _m, _l, ids in week.rows for rid in ids if rid and local.get(rid)}
    if shown:
        tongue = _("en {escape}").format(escape=escape(language)) if language else _("en la lengua de la comunidad")
        subtitle += _("  ·  <i>debajo, su nombre {tongue}</i>").format(tongue=tongue)
    heading = [
        Paragraph(escape(week.title(plan)), style("title", fontSize=26, leading=30, alignment=TA_CENTER, spaceAfter=2)),
        Paragraph(
            subtitle,
            style("subtitle", fontSize=13, alignment=TA_CENTER, spaceAfter=8),
        ),
    ]
    footer = [Spacer(1, 0.3 * cm), Paragraph(
        _("Este menú lo prepara el Comité de Alimentación Escolar (CAE) con las madres y padres de familia."),
        style("small", fontSize=11, alignment=TA_CENTER),
    )]
    room = height - story_height(heading + footer, width) - 4
    words = {w for _m, _l, ids in week.rows for rid in ids if rid for w in names.get(rid, rid).split()}
    widest = max((pdfmetrics.stringWidth(w, FONT_BOLD, 1) for w in words), default=0)
    local_words = {w for rid in shown for w in local[rid].split()}
    widest = max([widest] + [pdfmetrics.stringWidth(w, FONT_ITALIC, LOCAL_SCALE) for w in local_words])
    column = _columns(width)[1] - 2 * CELL_PAD
    table = None
    for size in FONT_SIZES:
        if widest * size > column and size != FONT_SIZES[-1]:
            continue  # a word would be cut in two
        table = _week_table(week, names, closed, levels, size, width, local=local)
        natural = story_height([table], width)
        if natural <= room:
            if room - natural > 1:  # a poster fills its sheet: share the spare height among the meal rows
                extra = (room - natural - 1) / len(week.rows)
                heights = [table._rowHeights[0]] + [h + extra for h in table._rowHeights[1:]]
                table = _week_table(week, names, closed, levels, size, width, heights, local=local)
            break
    return [*heading, table, *footer]


def build_menu_poster(
    plan: Plan,
    recipe_names: dict[str, str],
    out: Path,
    *,
    committee,
    weeks: list[date] | None = None,
    closed: dict[date, str] | None = None,
    local_names: dict[str, str] | None = None,
    language: str = "",
) -> Path:
    """Write the menu poster of ``plan`` to ``out``: one A4 landscape page per week.

    ``weeks`` are the Mondays to print (a day in the week is taken to its Monday); by default every week
    of the plan's period that has a preparation. A school day without any preparation prints as
    "Sin servicio" in grey, with the reason from ``closed`` (day → e.g. "Feriado") when given.
    ``recipe_names`` maps preparation ids to their names; ``local_names`` maps some of them to their name in
    the community's language (``language``, e.g. «quechua»), printed below the Spanish name.
    """
    served = {e.day for e in plan.entries}
    if weeks is None:
        mondays = sorted({monday_of(d) for d in served if plan.info.start <= d <= plan.info.end})
    else:
        mondays = sorted({monday_of(d) for d in weeks})
    if not mondays:
        raise InvalidInput(
            _("El plan «{name}» no tiene preparaciones entre el {format_date} y el {format_date2}: asigne las preparaciones del menú antes de imprimirlo.").format(name=plan.info.name, format_date=format_date(plan.info.start), format_date2=format_date(plan.info.end))
        )
    by_key = {(e.day, e.meal, e.level): e.recipe_id for e in plan.entries}
    meals = _order((e.meal for e in plan.entries), MEALS) or list(MEALS[:1])
    levels = _order((e.level for e in plan.entries), LEVELS)
    if not levels and committee is not None:
        levels = list(committee.levels)
    width, height = page_frame_size(wide=True)
    story: list = []
    for i, monday in enumerate(mondays):
        if i:
            story.append(PageBreak())
        week = _Week(monday, plan, by_key, served, meals, levels)
        story += _week_page(week, plan, recipe_names, closed or {}, levels, width, height, local_names or {},
                            language)
    first, last = mondays[0], mondays[-1] + timedelta(days=SCHOOL_DAYS - 1)
    title = _("{TITLE} del {format_date} al {format_date2}").format(TITLE=_(TITLE), format_date=format_date(max(first, plan.info.start)), format_date2=format_date(min(last, plan.info.end)))
    return build_pdf(out, story, title=title, committee=committee, wide=True)
