"""Tables of the Cumplimiento page: each day × meal × level with its verdict, the menu rules, the period
averages against the target, and the food the plan needs with its cost."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from qaliwarma.domain.levels import LEVEL_LABELS, LEVELS, MEAL_LABELS, MEALS
from qaliwarma.domain.menus import STATUS_LABELS, EntryCheck, PlanCheck, RuleCheck, average_status
from qaliwarma.domain.nutrients import BY_KEY
from qaliwarma.money import format_soles
from qaliwarma.services.menu_views import WEEKDAYS
from qaliwarma.services.needs import NeedLine, PriceItem

from ..i18n import _
from ..theme import MUTED_COLOR
from .base import Column, RowsModel
from .recipes import format_grams

# the three nutrients charted per day (% of the standard's minimum)
CHART_METRICS = (("energy_kcal", "Energía"), ("protein_g", "Proteínas"), ("iron_mg", "Hierro"))
STATUS_BG = {"ok": "#dcf1dc", "low": "#fbdcd8", "high": "#fbdcd8", "unknown": "#fff0c2", "fail": "#fbdcd8"}
METRIC_ORDER = ("energy_kcal", "protein_g", "protein_pct_energy", "fat_g", "fat_pct_energy", "added_sugar_g",
                "iron_mg")


def percent(entry: EntryCheck, metric: str) -> float | None:
    """The service's % of target (value ÷ minimum, or ÷ maximum when there is no minimum)."""
    found = next((m for m in entry.checks if m.metric == metric), None)
    return found.percent_of_target if found is not None else None


def format_percent(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} %"


def format_number(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return _("sin dato")
    return f"{value:,.{decimals}f}"


def day_text(entry: EntryCheck) -> str:
    return f"{_(WEEKDAYS[entry.day.weekday()])[:3].capitalize()} {entry.day:%d/%m/%Y}"


def meal_level(meal: str, level: str) -> str:
    return f"{_(MEAL_LABELS.get(meal, meal))} · {_(LEVEL_LABELS.get(level, level))}"


def _order(entry: EntryCheck) -> tuple:
    return (entry.day, MEALS.index(entry.meal) if entry.meal in MEALS else 9,
            LEVELS.index(entry.level) if entry.level in LEVELS else 9)


def _pct_column(metric: str, title: str) -> Column:
    return Column(_("{nutrient}\n% meta").format(nutrient=_(title)), lambda e: format_percent(percent(e, metric)),
                  align_right=True, sort_key=lambda e: percent(e, metric) or 0.0)


class EntryRowsModel(RowsModel[EntryCheck]):
    columns = (
        Column(_("Día y comida"), lambda e: f"{day_text(e)}\n{meal_level(e.meal, e.level)}", sort_key=_order),
        Column(_("Preparación"), lambda e: e.recipe_name),
        Column(_("Resultado"), lambda e: _(STATUS_LABELS.get(e.status, e.status))),
        *(_pct_column(metric, title) for metric, title in CHART_METRICS),
        Column(_("Qué pasa"), lambda e: "\n".join(e.problems) or _("Cumple las metas.")),
    )
    STATUS_COLUMN = 2
    PERCENT_COLUMNS = {metric: 3 + n for n, (metric, _title) in enumerate(CHART_METRICS)}

    def set_entries(self, entries) -> None:
        self.set_rows(sorted(entries, key=_order))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal \
                and section in self.PERCENT_COLUMNS.values():
            return _("Lo que da la comida como porcentaje de la meta mínima del estándar (100 % = llega justo)")
        return super().headerData(section, orientation, role)

    def extra_data(self, row: EntryCheck, column: int, role: int):
        if role == Qt.ItemDataRole.BackgroundRole and column == self.STATUS_COLUMN:
            return QColor(STATUS_BG.get(row.status, "#ffffff"))
        if role == Qt.ItemDataRole.FontRole and column == self.STATUS_COLUMN:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column == len(self.columns) - 1 and row.status == "ok":
            return QColor(MUTED_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole and column == len(self.columns) - 1 and row.notices:
            return "\n".join(row.notices)
        return None


class RuleRowsModel(RowsModel[RuleCheck]):
    columns = (
        Column(_("Regla del menú"), lambda r: r.description),
        Column(_("Resultado"), lambda r: _("Cumple") if r.status == "ok" else _("No cumple")),
        Column(_("Detalle"), lambda r: r.detail),
    )

    def extra_data(self, row: RuleCheck, column: int, role: int):
        if role == Qt.ItemDataRole.BackgroundRole and column == 1:
            return QColor(STATUS_BG["ok" if row.status == "ok" else "fail"])
        return None


@dataclass(frozen=True)
class AverageRow:
    meal: str
    level: str
    metric: str
    label: str
    value: float | None
    unit: str
    low: float | None
    high: float | None
    status: str
    count: int
    words: str = ""  # the verdict in words («Cumple (bajo el rango: aviso)»), as the printed report says it

    @property
    def target(self) -> str:
        def f(v: float) -> str:
            return f"{v:,.2f}".rstrip("0").rstrip(".")

        if self.low is not None and self.high is not None:
            return f"{f(self.low)}–{f(self.high)} {self.unit}"
        if self.low is not None:
            return _("al menos {v} {unit}").format(v=f(self.low), unit=self.unit)
        if self.high is not None:
            return _("como máximo {v} {unit}").format(v=f(self.high), unit=self.unit)
        return "—"

    @property
    def shown(self) -> str:
        if self.value is None:
            return _("sin dato")
        decimals = BY_KEY[self.metric].decimals if self.metric in BY_KEY else (
            0 if self.metric.endswith("pct_energy") else 1)
        return f"{self.value:,.{decimals}f} {self.unit}"


def average_rows(check: PlanCheck) -> list[AverageRow]:
    """Per meal × level and metric of the standard: the period's average per child against the target."""
    groups: dict[tuple[str, str], list[EntryCheck]] = defaultdict(list)
    for e in check.entries:
        groups[(e.meal, e.level)].append(e)
    rows: list[AverageRow] = []
    for (meal, level) in sorted(groups, key=lambda k: (LEVELS.index(k[1]) if k[1] in LEVELS else 9,
                                                       MEALS.index(k[0]) if k[0] in MEALS else 9)):
        entries = groups[(meal, level)]
        given = check.averages.get((meal, level), {})
        metrics: dict[str, list] = {}
        for e in entries:
            for m in e.checks:
                metrics.setdefault(m.metric, []).append(m)
        for metric in sorted(metrics, key=lambda k: METRIC_ORDER.index(k) if k in METRIC_ORDER else 99):
            checks = metrics[metric]
            first = checks[0]
            known = [m.value for m in checks if m.value is not None]
            value = given.get(metric)
            if value is None and known:
                value = sum(known) / len(known)
            status, words = average_status(value, checks)  # the report's own rule (services.compliance)
            rows.append(AverageRow(meal, level, metric, first.label, value, first.unit, first.low, first.high, status,
                                   len(entries), words))
    return rows


class AverageRowsModel(RowsModel[AverageRow]):
    columns = (
        Column(_("Comida y nivel"), lambda r: meal_level(r.meal, r.level)),
        Column(_("Nutriente"), lambda r: r.label),
        Column(_("Promedio por niño"), lambda r: r.shown, align_right=True),
        Column(_("Meta"), lambda r: r.target),
        Column(_("Resultado"), lambda r: _(r.words or STATUS_LABELS.get(r.status, r.status))),
    )

    def extra_data(self, row: AverageRow, column: int, role: int):
        if role == Qt.ItemDataRole.BackgroundRole and column == 4:
            return QColor(STATUS_BG.get(row.status, "#ffffff"))
        return None


@dataclass(frozen=True)
class NeedRow:
    line: NeedLine
    price: PriceItem | None

    @property
    def per_child(self) -> str:
        return " · ".join(f"{_(LEVEL_LABELS.get(lv, lv))} {format_grams(g)}"
                          for lv, g in sorted(self.line.grams_per_child.items(),
                                              key=lambda kv: LEVELS.index(kv[0]) if kv[0] in LEVELS else 9))

    @property
    def purchase(self) -> str:
        if self.line.units is None or self.price is None:
            return _("sin precio")
        return f"{self.line.units:,} × {self.price.presentation.lower()} {self.price.net}"

    @property
    def cost(self) -> str:
        return format_soles(self.line.cost) if self.line.cost is not None else "—"


class NeedRowsModel(RowsModel[NeedRow]):
    columns = (
        Column(_("Alimento"), lambda r: r.line.name),
        Column(_("Por niño en el periodo"), lambda r: r.per_child),
        Column(_("Total"), lambda r: f"{r.line.total_kg:,.3f} kg", align_right=True,
               sort_key=lambda r: r.line.total_grams),
        Column(_("Comprar"), lambda r: r.purchase),
        Column(_("Costo"), lambda r: r.cost, align_right=True,
               sort_key=lambda r: r.line.cost if r.line.cost is not None else Decimal(-1)),
    )

    def extra_data(self, row: NeedRow, column: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and row.line.cost is None and column >= 3:
            return QColor("#b3261e")
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return _("Código {code} de la tabla de alimentos").format(code=row.line.code)
        return None
