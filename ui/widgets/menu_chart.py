"""Bars of % of the standard's target per day (energy, protein, iron) for one meal and level, with the
100 % line: a bar below the line is a day that does not reach the minimum."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from qaliwarma.domain.menus import PlanCheck
from qaliwarma.services.menu_views import month_name

from ..i18n import _
from ..models.menu_compliance import CHART_METRICS, percent
from ..theme import BASE_POINT_SIZE

COLOURS = {"energy_kcal": "#e69f00", "protein_g": "#0072b2", "iron_mg": "#b22222"}


class PercentChart(QChartView):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(250)
        self.days: list = []
        self.series: dict[str, list[float | None]] = {}
        self.set_empty(_("Elija un plan para ver el gráfico."))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(600, 300)

    def _new_chart(self) -> QChart:
        chart = QChart()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(4)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        font = QFont()
        font.setPointSize(BASE_POINT_SIZE - 1)
        chart.legend().setFont(font)
        chart.setTitleFont(font)
        return chart

    def set_empty(self, text: str) -> None:
        self.days, self.series = [], {}
        chart = self._new_chart()
        chart.setTitle(text)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()

    def show_check(self, check: PlanCheck, meal: str, level: str) -> None:
        entries = sorted((e for e in check.entries if e.meal == meal and e.level == level), key=lambda e: e.day)
        if not entries:
            self.set_empty(_("No hay comidas planificadas para esta comida y nivel."))
            return
        self.days = [e.day for e in entries]
        self.series = {metric: [percent(e, metric) for e in entries] for metric, _title in CHART_METRICS}
        chart = self._new_chart()
        bars = QBarSeries()
        for metric, title in CHART_METRICS:
            bar_set = QBarSet(_(title))
            bar_set.setColor(QColor(COLOURS[metric]))
            bar_set.setBorderColor(QColor(COLOURS[metric]))
            for value in self.series[metric]:
                bar_set.append(value if value is not None else 0.0)
            bars.append(bar_set)
        chart.addSeries(bars)
        top = max((v for values in self.series.values() for v in values if v is not None), default=100.0)
        axis_y = QValueAxis()
        axis_y.setRange(0, max(150, -(-top // 50) * 50))
        axis_y.setTickInterval(50)
        axis_y.setTickType(QValueAxis.TickType.TicksDynamic)
        axis_y.setTickAnchor(0)
        axis_y.setLabelFormat("%d %%")
        axis_x = QBarCategoryAxis()
        small = QFont()
        small.setPointSize(BASE_POINT_SIZE - 3)
        if len({(d.year, d.month) for d in self.days}) == 1:  # one month: the day's number is enough
            axis_x.append([str(d.day) for d in self.days])
            axis_x.setTitleText(_("Días de {month}").format(month=month_name(self.days[0])))
            axis_x.setTitleFont(small)
        else:
            axis_x.append([f"{d:%d/%m}" for d in self.days])
            if len(self.days) > 16:  # the dates do not fit side by side: stand them up
                axis_x.setLabelsAngle(-90)
        axis_x.setLabelsFont(small)
        axis_y.setLabelsFont(small)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(axis_x)
        bars.attachAxis(axis_y)
        # the 100 % line, from the left edge of the first day to the right edge of the last
        line = QLineSeries()
        line.setName(_("100 % = llega a la meta"))
        line.append(-0.5, 100)
        line.append(len(self.days) - 0.5, 100)
        pen = QPen(QColor("#111111"))
        pen.setWidth(2)
        pen.setStyle(Qt.PenStyle.DashLine)
        line.setPen(pen)
        chart.addSeries(line)
        line.attachAxis(axis_x)
        line.attachAxis(axis_y)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()

    def bar_values(self) -> dict[str, list[float]]:
        """What the bars show, per metric (tests): read back from the chart's own bar sets."""
        chart = self.chart()
        out: dict[str, list[float]] = {}
        for series in chart.series():
            if isinstance(series, QBarSeries):
                for (metric, _title), bar_set in zip(CHART_METRICS, series.barSets(), strict=True):
                    out[metric] = [bar_set.at(i) for i in range(bar_set.count())]
        return out

    def hundred_line(self) -> list[tuple[float, float]]:
        for series in self.chart().series():
            if isinstance(series, QLineSeries):
                return [(p.x(), p.y()) for p in series.points()]
        return []
