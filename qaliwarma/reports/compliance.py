"""The nutrition compliance report of a plan: summary, rules, period averages against the standard,
a chart of % of target per day, and each day × meal × level with its colour and problems in Spanish.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from ..domain.levels import LEVELS, MEALS
from ..domain.menus import (
    STATUS_LABELS,
    PlanCheck,
    average_status,
)
from ..domain.nutrients import BY_KEY
from ..i18n import N_, _
from .base import (
    HEAD_BG,
    MUTED,
    RULE,
    STATUS_COLOURS,
    build_pdf,
    escape,
    format_date,
    format_number,
    join_words,
    level_label,
    meal_label,
    page_frame_size,
    style,
    table_style,
    weekday_name,
)
from .parts import compliance_boxes, percent_chart

TITLE = N_("Informe de cumplimiento nutricional")
RULE_LABELS = {"ok": N_("Cumple"), "fail": N_("No cumple")}
METRIC_ORDER = {m: i for i, m in enumerate(("energy_kcal", "protein_g", "protein_pct_energy", "fat_g",
                                             "fat_pct_energy", "added_sugar_g", "iron_mg"))}
def _fmt(metric: str, value: float | None) -> str:
    if value is None:
        return _("sin dato")
    decimals = BY_KEY[metric].decimals if metric in BY_KEY else (0 if metric.endswith("pct_energy") else 1)
    return format_number(value, decimals)


def _target(metric: str, low: float | None, high: float | None, unit: str) -> str:
    def f(v: float) -> str:
        return format_number(v, 2, trim=True)

    if low is not None and high is not None:
        return f"{f(low)}–{f(high)} {unit}"
    if low is not None:
        return _("al menos {f} {unit}").format(f=f(low), unit=unit)
    if high is not None:
        return _("como máximo {f} {unit}").format(f=f(high), unit=unit)
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


def _rules(check: PlanCheck, width: float) -> list:
    if not check.rules:
        return []
    cell, head = style("cell", fontSize=10.5, leading=13.5), style("cell_head", fontSize=10.5)
    data = [[Paragraph(_("Regla"), head), Paragraph(_("Resultado"), head), Paragraph(_("Detalle"), head)]]
    commands, previous = [], None
    for r, rule in enumerate(check.rules, start=1):
        text = escape(rule.description) if rule.description != previous else ""
        previous = rule.description
        data.append([Paragraph(text, cell), _status_cell(rule.status, _(RULE_LABELS.get(rule.status, rule.status)), 10.5),
                     Paragraph(escape(rule.detail), cell)])
        commands.append(("BACKGROUND", (1, r), (1, r), STATUS_COLOURS["ok" if rule.status == "ok" else "fail"][0]))
    return [Paragraph(_("Reglas del menú"), style("heading")),
            _grid(data, [0.42 * width, 0.16 * width, 0.42 * width], commands)]


def _averages(check: PlanCheck, width: float) -> list:
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for e in check.entries:
        groups[(e.meal, e.level)].append(e)
    order = {m: i for i, m in enumerate(MEALS)} | {lv: i for i, lv in enumerate(LEVELS)}
    keys = sorted(groups, key=lambda k: (order.get(k[1], 9), order.get(k[0], 9), k))
    if not keys:
        return []
    story: list = [Paragraph(_("Promedios del periodo frente a la meta"), style("heading")),
                   Paragraph(_("Promedio por niño de todas las comidas del periodo, comparado con la meta del "
                             "estándar para cada comida y nivel."), style("small"))]
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
        data = [[Paragraph(_("{escape} · {escape2} ({len} comidas)").format(escape=escape(meal_label(meal)), escape2=escape(level_label(level)), len=len(entries)), head), Paragraph(_("Promedio"), head),
                 Paragraph(_("Meta"), head), Paragraph(_("Resultado"), head)]]
        commands = []
        for r, (metric, checks) in enumerate(metrics.items(), start=1):
            first = checks[0]
            known = [m.value for m in checks if m.value is not None]
            value = given.get(metric) if given.get(metric) is not None else (sum(known) / len(known) if known else None)
            status, label = average_status(value, checks)
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
    data = [[Paragraph(t, head) for t in (_("Fecha"), _("Comida"), _("Preparación"), _("Resultado"), _("Qué pasa"))]]
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
    return [Paragraph(_("Detalle por día"), style("heading")),
            Paragraph(_("Una fila por comida; los niveles que comen lo mismo con el mismo resultado van juntos."),
                      style("small")),
            _grid(data, [w * width for w in widths], [("VALIGN", (0, 1), (0, -1), "TOP"), *commands])]


def _chart_level(check: PlanCheck, committee, wanted: str | None) -> str | None:
    levels = {e.level for e in check.entries}
    if wanted in levels:
        return wanted
    if not levels:
        return None
    if committee is not None:
        return max(sorted(levels), key=lambda lv: committee.enrolment(lv))
    return sorted(levels, key=lambda lv: LEVELS.index(lv) if lv in LEVELS else 9)[-1]


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
    width, _unused = page_frame_size()
    info = check.plan
    source = standard_source if standard_source is not None else getattr(check, "standard_source", "")
    story: list = [
        Paragraph(_(TITLE), style("title")),
        Paragraph(_("{escape}  ·  del {format_date} al {format_date2}").format(escape=escape(info.name), format_date=format_date(info.start), format_date2=format_date(info.end)),
                  style("subtitle")),
        Paragraph(_("<b>Estándar:</b> {escape}").format(escape=escape(check.standard_name or check.standard_id)), style("body")),
    ]
    if source:
        story.append(Paragraph(_("Fuente: {escape}").format(escape=escape(' '.join(source.split()))), style("small")))
    story += [Paragraph(_("Resumen"), style("heading")), *compliance_boxes(check, width), *_rules(check, width)]
    level = _chart_level(check, committee, chart_level)
    if level is not None:
        charts = [percent_chart(check, meal, level, width)
                  for meal in MEALS if any(e.meal == meal and e.level == level for e in check.entries)]
        charts = [c for c in charts if c is not None]
        if charts:
            story += [KeepTogether([
                Paragraph(_("Porcentaje de la meta por día · {escape}").format(escape=escape(level_label(level))), style("heading")),
                Paragraph(_("Cada barra es lo que da la comida frente a la meta mínima del estándar "
                          "(100 % = llega justo a la meta)."), style("small")),
                charts[0]]), *charts[1:]]
    story += _averages(check, width)
    story += _detail(check, recipe_names, width)
    title = f"{_(TITLE)}: {info.name}"
    return build_pdf(out, story, title=title, committee=committee)

