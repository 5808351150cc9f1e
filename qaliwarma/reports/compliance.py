"""The nutrition compliance report of a plan: summary, rules, period averages against the standard,
a chart of % of target per day, and each day × meal × level with its colour and problems in Spanish.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from ..domain.levels import LEVELS, MEALS
from ..domain.menus import STATUS_HIGH, STATUS_LABELS, STATUS_LOW, STATUS_OK, STATUS_UNKNOWN, PlanCheck
from ..domain.nutrients import BY_KEY
from .base import (
    FONT,
    FONT_BOLD,
    HEAD_BG,
    MUTED,
    RULE,
    SPANISH_DOCUMENT,
    STATUS_COLOURS,
    build_pdf,
    escape,
    format_date,
    format_day_month,
    format_number,
    join_words,
    level_label,
    meal_label,
    page_frame_size,
    style,
    table_style,
    weekday_name,
)

TITLE = "Informe de cumplimiento nutricional"
RULE_LABELS = {"ok": "Cumple", "fail": "No cumple"}
METRIC_ORDER = {m: i for i, m in enumerate(("energy_kcal", "protein_g", "protein_pct_energy", "fat_g",
                                             "fat_pct_energy", "added_sugar_g", "iron_mg"))}
CHART_CAP = 300.0
CHART_METRICS = (
    ("energy_kcal", "Energía", colors.HexColor("#e69f00")),
    ("protein_g", "Proteínas", colors.HexColor("#0072b2")),
    ("iron_mg", "Hierro", colors.HexColor("#b22222")),
)
LEGEND = ("Verde: cumple el estándar.  Rojo: por debajo o por encima de la meta.  "
          "Ámbar: faltan datos en la tabla de alimentos, no se puede comprobar.")


def _fmt(metric: str, value: float | None) -> str:
    if value is None:
        return "sin dato"
    decimals = BY_KEY[metric].decimals if metric in BY_KEY else (0 if metric.endswith("pct_energy") else 1)
    return format_number(value, decimals)


def _target(metric: str, low: float | None, high: float | None, unit: str) -> str:
    def f(v: float) -> str:
        return format_number(v, 2, trim=True)

    if low is not None and high is not None:
        return f"{f(low)}–{f(high)} {unit}"
    if low is not None:
        return f"al menos {f(low)} {unit}"
    if high is not None:
        return f"como máximo {f(high)} {unit}"
    return "—"


def _status_cell(status: str, label: str, size: float = 11) -> Paragraph:
    _bg, ink = STATUS_COLOURS.get(status, (None, colors.black))
    return Paragraph(f"<b>{escape(label)}</b>", style("cell_center", fontSize=size, leading=size * 1.25,
                                                      textColor=ink))


def _grid(data, widths, commands=(), head_rows: int = 1) -> Table:
    table = Table(data, colWidths=widths, repeatRows=head_rows)
    table.setStyle(table_style([
        ("BACKGROUND", (0, 0), (-1, head_rows - 1), HEAD_BG),
        ("GRID", (0, 0), (-1, -1), 0.6, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        *commands,
    ]))
    return table


def _summary(check: PlanCheck, width: float) -> list:
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
                  Paragraph("Total de comidas", style("cell_center", fontSize=11, leading=13.5))])
    boxes = Table([cells], colWidths=[width / 5] * 5)
    boxes.setStyle(table_style([("BOX", (0, 0), (-1, -1), 0.8, RULE), ("INNERGRID", (0, 0), (-1, -1), 0.8,
                                                                         colors.white),
                                ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                                ("VALIGN", (0, 0), (-1, -1), "TOP"), *commands]))
    bad = counts["entries"] - counts[STATUS_OK]
    failed_rules = sum(1 for r in check.rules if r.status != "ok")
    if counts["entries"] == 0:
        sentence = "El plan todavía no tiene comidas planificadas: no hay nada que revisar."
    elif bad == 0:
        sentence = f"Las {counts['entries']} comidas planificadas cumplen el estándar."
    else:
        sentence = (f"{counts[STATUS_OK]} de {counts['entries']} comidas cumplen el estándar. "
                    f"Revise las {bad} marcadas en rojo o ámbar en el detalle por día.")
    if check.rules:
        sentence += (" Todas las reglas del menú se cumplen." if failed_rules == 0
                     else f" Hay {failed_rules} observación(es) a las reglas del menú.")
    return [boxes, Spacer(1, 0.2 * cm), Paragraph(sentence, style("body", fontSize=13)),
            Paragraph(LEGEND, style("small"))]


def _rules(check: PlanCheck, width: float) -> list:
    if not check.rules:
        return []
    cell, head = style("cell", fontSize=10.5, leading=13.5), style("cell_head", fontSize=10.5)
    data = [[Paragraph("Regla", head), Paragraph("Resultado", head), Paragraph("Detalle", head)]]
    commands, previous = [], None
    for r, rule in enumerate(check.rules, start=1):
        text = escape(rule.description) if rule.description != previous else ""
        previous = rule.description
        data.append([Paragraph(text, cell), _status_cell(rule.status, RULE_LABELS.get(rule.status, rule.status), 10.5),
                     Paragraph(escape(rule.detail), cell)])
        commands.append(("BACKGROUND", (1, r), (1, r), STATUS_COLOURS["ok" if rule.status == "ok" else "fail"][0]))
    return [Paragraph("Reglas del menú", style("heading")),
            _grid(data, [0.42 * width, 0.16 * width, 0.42 * width], commands)]


def _average_status(metric: str, value: float | None, low, high, notice: bool) -> tuple[str, str]:
    if value is None:
        return STATUS_UNKNOWN, STATUS_LABELS[STATUS_UNKNOWN]
    if low is not None and value < low:
        return STATUS_LOW, STATUS_LABELS[STATUS_LOW]
    if high is not None and value > high:
        return (STATUS_OK, "Cumple (sobre el rango)") if notice else (STATUS_HIGH, STATUS_LABELS[STATUS_HIGH])
    return STATUS_OK, STATUS_LABELS[STATUS_OK]


def _averages(check: PlanCheck, width: float) -> list:
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for e in check.entries:
        groups[(e.meal, e.level)].append(e)
    order = {m: i for i, m in enumerate(MEALS)} | {lv: i for i, lv in enumerate(LEVELS)}
    keys = sorted(groups, key=lambda k: (order.get(k[1], 9), order.get(k[0], 9), k))
    if not keys:
        return []
    story: list = [Paragraph("Promedios del periodo frente a la meta", style("heading")),
                   Paragraph("Promedio por niño de todas las comidas del periodo, comparado con la meta del "
                             "estándar para cada comida y nivel.", style("small"))]
    cell, head = style("cell", fontSize=11, leading=14), style("cell_head", fontSize=11)
    right = style("cell", fontSize=11, leading=14, alignment=2)
    for meal, level in keys:
        entries = groups[(meal, level)]
        given = check.averages.get((meal, level), {})
        metrics: dict[str, list] = {}
        for e in entries:
            for m in e.checks:
                metrics.setdefault(m.metric, []).append(m)
        if not metrics:
            continue
        metrics = dict(sorted(metrics.items(), key=lambda kv: METRIC_ORDER.get(kv[0], len(METRIC_ORDER))))
        data = [[Paragraph(f"{escape(meal_label(meal))} · {escape(level_label(level))} "
                           f"({len(entries)} comidas)", head), Paragraph("Promedio", head),
                 Paragraph("Meta", head), Paragraph("Resultado", head)]]
        commands = []
        for r, (metric, checks) in enumerate(metrics.items(), start=1):
            first = checks[0]
            known = [m.value for m in checks if m.value is not None]
            value = given.get(metric) if given.get(metric) is not None else (sum(known) / len(known) if known else None)
            notice = any(m.status == STATUS_OK and m.value is not None and m.high is not None and m.value > m.high
                         for m in checks)
            status, label = _average_status(metric, value, first.low, first.high, notice)
            unit = "" if value is None else f" {first.unit}"
            data.append([Paragraph(escape(first.label), cell), Paragraph(_fmt(metric, value) + unit, right),
                         Paragraph(_target(metric, first.low, first.high, first.unit), cell),
                         _status_cell(status, label, 10.5)])
            commands.append(("BACKGROUND", (3, r), (3, r), STATUS_COLOURS[status][0]))
        story += [Spacer(1, 0.2 * cm), KeepTogether(_grid(data, [0.36 * width, 0.17 * width, 0.25 * width,
                                                                    0.22 * width], commands))]
    return story


def _detail_rows(check: PlanCheck) -> list[tuple]:
    """(entry, levels) per row: levels of one day and meal that eat the same and get the same verdict
    share a row."""
    ordered = sorted(check.entries, key=lambda e: (e.day, MEALS.index(e.meal) if e.meal in MEALS else 9,
                                                   LEVELS.index(e.level) if e.level in LEVELS else 9))
    rows: list[tuple] = []
    for e in ordered:
        if rows:
            last, levels = rows[-1]
            same = (last.day, last.meal, last.recipe_id, last.status, last.problems, last.notices)
            if same == (e.day, e.meal, e.recipe_id, e.status, e.problems, e.notices):
                rows[-1] = (last, [*levels, e.level])
                continue
        rows.append((e, [e.level]))
    return rows


def _detail(check: PlanCheck, names: dict[str, str], width: float) -> list:
    cell, head = style("cell", fontSize=10.5, leading=13.5), style("cell_head", fontSize=10.5)
    note = style("cell", fontSize=9.5, leading=12, textColor=MUTED)
    data = [[Paragraph(t, head) for t in ("Fecha", "Comida", "Preparación", "Resultado", "Qué pasa")]]
    commands = []
    previous = None
    for r, (e, levels) in enumerate(_detail_rows(check), start=1):
        problems = [Paragraph(escape(p), cell) for p in e.problems]
        problems += [Paragraph(escape(n), note) for n in e.notices]
        day = ""
        if e.day != previous:
            day = f"<b>{weekday_name(e.day)}</b><br/>{format_date(e.day)}"
            if previous is not None:
                commands.append(("LINEABOVE", (0, r), (-1, r), 1.6, colors.HexColor("#333333")))
        previous = e.day
        data.append([
            Paragraph(day, cell),
            Paragraph(f"{escape(meal_label(e.meal))}<br/>{escape(join_words([level_label(lv) for lv in levels]))}",
                      cell),
            Paragraph(escape(names.get(e.recipe_id) or e.recipe_name or e.recipe_id), cell),
            _status_cell(e.status, STATUS_LABELS.get(e.status, e.status), 10.5),
            problems or Paragraph("—", note),
        ])
        commands.append(("BACKGROUND", (3, r), (3, r), STATUS_COLOURS.get(e.status, STATUS_COLOURS["unknown"])[0]))
    widths = [0.15, 0.13, 0.21, 0.17, 0.34]
    return [Paragraph("Detalle por día", style("heading")),
            Paragraph("Una fila por comida; los niveles que comen lo mismo con el mismo resultado van juntos.",
                      style("small")),
            _grid(data, [w * width for w in widths], [("VALIGN", (0, 1), (0, -1), "TOP"), *commands])]


def percent_chart(check: PlanCheck, meal: str, level: str, width: float) -> Drawing | None:
    """Bars of % of the minimum target per day (energy, protein, iron) for one meal and level."""
    entries = sorted((e for e in check.entries if e.meal == meal and e.level == level), key=lambda e: e.day)
    series = []
    for metric, _label, _colour in CHART_METRICS:
        values = []
        for e in entries:
            found = next((m for m in e.checks if m.metric == metric), None)
            values.append(min(found.percent_of_target, CHART_CAP) if found and found.percent_of_target else 0)
        series.append(values)
    if not entries or not any(any(v) for v in series):
        return None
    top = max(max(v) for v in series)
    height = 6.2 * cm
    drawing = Drawing(width, height, initialFontName=FONT)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 1.3 * cm, 1.5 * cm, width - 1.5 * cm, height - 2.4 * cm
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
    legend = Legend()
    legend.x, legend.y, legend.alignment = chart.x + 2.6 * cm, height - 0.35 * cm, "right"
    legend.columnMaximum, legend.fontName, legend.fontSize = 1, FONT, 9
    legend.dx, legend.dy, legend.deltax = 8, 8, 90
    legend.colorNamePairs = [(colour, label) for _m, label, colour in CHART_METRICS]
    drawing.add(legend)
    return drawing


def _chart_level(check: PlanCheck, committee, wanted: str | None) -> str | None:
    levels = {e.level for e in check.entries}
    if wanted in levels:
        return wanted
    if not levels:
        return None
    if committee is not None:
        return max(sorted(levels), key=lambda lv: committee.enrolment(lv))
    return sorted(levels, key=lambda lv: LEVELS.index(lv) if lv in LEVELS else 9)[-1]


@SPANISH_DOCUMENT
def build_compliance_report(
    check: PlanCheck,
    out: Path,
    *,
    committee,
    recipe_names: dict[str, str],
    standard_source: str | None = None,
    chart_level: str | None = None,
) -> Path:
    """Write the compliance report of ``check`` to ``out`` (A4 portrait).

    ``standard_source`` is the standard set's source text (printed under its name); the bar chart of
    % of target per day is drawn for ``chart_level`` (default: the level with most pupils).
    """
    width, _ = page_frame_size()
    info = check.plan
    source = standard_source if standard_source is not None else getattr(check, "standard_source", "")
    story: list = [
        Paragraph(TITLE, style("title")),
        Paragraph(f"{escape(info.name)}  ·  del {format_date(info.start)} al {format_date(info.end)}",
                  style("subtitle")),
        Paragraph(f"<b>Estándar:</b> {escape(check.standard_name or check.standard_id)}", style("body")),
    ]
    if source:
        story.append(Paragraph(f"Fuente: {escape(' '.join(source.split()))}", style("small")))
    story += [Paragraph("Resumen", style("heading")), *_summary(check, width), *_rules(check, width)]
    level = _chart_level(check, committee, chart_level)
    if level is not None:
        charts = [percent_chart(check, meal, level, width)
                  for meal in MEALS if any(e.meal == meal and e.level == level for e in check.entries)]
        charts = [c for c in charts if c is not None]
        if charts:
            story += [KeepTogether([
                Paragraph(f"Porcentaje de la meta por día · {escape(level_label(level))}", style("heading")),
                Paragraph("Cada barra es lo que da la comida frente a la meta mínima del estándar "
                          "(100 % = llega justo a la meta).", style("small")),
                charts[0]]), *charts[1:]]
    story += _averages(check, width)
    story += _detail(check, recipe_names, width)
    title = f"{TITLE}: {info.name}"
    return build_pdf(out, story, title=title, committee=committee)

