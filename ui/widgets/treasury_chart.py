"""A bar chart of the budget headings: what each was allotted and what was spent of it, to date.
The exact figures are in the table beside it; the chart shows at a glance which heading is running out."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter

from qaliwarma.services.treasury import HeadingBalance

from ..i18n import _
from ..theme import ACCENT_COLOR, BASE_POINT_SIZE, ERROR_COLOR

SPENT_COLOR = "#e0a100"


class HeadingChart(QChartView):
    def __init__(self, parent=None) -> None:
        self._chart = QChart()
        super().__init__(self._chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self._chart.setMargins(QMargins(4, 4, 4, 4))
        self._chart.setBackgroundRoundness(6)
        legend = self._chart.legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
        font = QFont(self.font())
        font.setPointSize(BASE_POINT_SIZE - 1)
        legend.setFont(font)
        self._font = font
        self._chart.setTitle(_("Asignado y gastado por rubro"))
        title_font = QFont(font)
        title_font.setBold(True)
        self._chart.setTitleFont(title_font)
        self.setMinimumHeight(260)
        self.sets: dict[str, QBarSet] = {}
        self.categories: list[str] = []

    def show_headings(self, headings: list[HeadingBalance]) -> None:
        chart = self._chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        rows = list(reversed(headings))  # the first heading on top
        allotted = QBarSet(_("Asignado"))
        spent = QBarSet(_("Gastado"))
        allotted.setColor(QColor(ACCENT_COLOR))
        spent.setColor(QColor(SPENT_COLOR))
        for h in rows:
            allotted.append(float(h.allotted))
            spent.append(float(h.spent))
            if h.balance < 0:
                spent.setBarSelected(spent.count() - 1, True)  # an overspent heading (a warning) in red
        spent.setSelectedColor(QColor(ERROR_COLOR))
        series = QHorizontalBarSeries()
        series.append(allotted)
        series.append(spent)
        series.setBarWidth(0.8)
        chart.addSeries(series)
        self.categories = [h.name for h in rows]
        axis_y = QBarCategoryAxis()
        axis_y.append(self.categories)
        axis_y.setLabelsFont(self._font)
        axis_y.setTruncateLabels(False)
        axis_x = QValueAxis()
        top, ticks = money_axis(max([float(h.allotted) for h in rows] + [float(h.spent) for h in rows] + [0.0]))
        axis_x.setRange(0, top)
        axis_x.setLabelFormat("S/ %.0f")
        axis_x.setTickCount(ticks)
        axis_x.setLabelsFont(self._font)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        series.attachAxis(axis_x)
        self.sets = {"asignado": allotted, "gastado": spent}


def money_axis(largest: float, intervals: int = 4) -> tuple[float, int]:
    """The end of a soles axis and its number of ticks: whole steps of 1, 2 or 5 × 10ⁿ soles covering
    ``largest`` (S/ 0 … S/ 100 when there is nothing yet), so that every label is a different round
    amount (an empty chart read «S/ 0, S/ 1, S/ 1, S/ 2»)."""
    import math

    if largest <= 0:
        return 100.0, intervals + 1
    raw = largest / intervals
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1.0)
    count = math.ceil(largest / step)
    return step * count, count + 1

