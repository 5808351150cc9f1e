"""The month grid of the Menú page: one row per week, Monday to Friday, each school day coloured by
how its preparations fare against the standard; days without school greyed with the reason."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from qaliwarma.domain.levels import MEAL_LABELS
from qaliwarma.services.menu_views import INCOMPLETE, PENDING, WEEKDAYS, DayView

from ..i18n import _
from ..theme import ACCENT_COLOR, BASE_POINT_SIZE

# status → (background, text colour, word shown in the cell)
STATUS_STYLE = {
    "ok": ("#dcf1dc", "#1b6e20", "Cumple"),
    "low": ("#fbdcd8", "#b3261e", "No cumple"),
    "high": ("#fbdcd8", "#b3261e", "No cumple"),
    "unknown": ("#fff0c2", "#8a5a00", "Faltan datos"),
    INCOMPLETE: ("#fff0c2", "#8a5a00", "Falta"),  # a meal × level without a preparation (the panel says which)
    PENDING: ("#eef1f5", "#555555", "Revisando…"),
    None: ("#ffffff", "#555555", "Sin menú"),
}
NO_SCHOOL_BG, NO_SCHOOL_INK = "#e2e4e8", "#5f6368"
CELL_FONT = BASE_POINT_SIZE - 2
PAD = 6


def status_word(status: str | None) -> str:
    return _(STATUS_STYLE.get(status, STATUS_STYLE[None])[2])


def text_lines_each(height: int, total_lines: int) -> int:
    """How many painted lines each text line of a cell may use (1 to 3), from the cell's height, so that
    long names wrap instead of being cut when the week row has room. The meal column uses the same rule."""
    head = QFontMetrics(_font(BASE_POINT_SIZE, bold=True)).lineSpacing()
    line = QFontMetrics(_font(CELL_FONT)).lineSpacing()
    room = (height - 2 - 2 * PAD + 2 - head - 4) // line
    return max(1, min(3, room // max(total_lines, 1)))


def wrap(text: str, metrics: QFontMetrics, width: int, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width`` pixels, broken between words, the last one elided."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines - 1:
        current = words.pop(0)
        while words and metrics.horizontalAdvance(f"{current} {words[0]}") <= width:
            current += " " + words.pop(0)
        if metrics.horizontalAdvance(current) > width:  # one long word: leave it to the elision below
            words.insert(0, current)
            break
        out.append(current)
    if words:
        out.append(metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width))
    return out or [""]


def _font(size: int, bold: bool = False, italic: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(size)
    font.setBold(bold)
    font.setItalic(italic)
    return font


class DayCell(QWidget):
    """A painted cell (a few hundred labels would make the month slow to redraw on old laptops)."""

    clicked = Signal(object)  # date

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.view: DayView | None = None
        self.selected = False
        self.meal_lines: list[int] = []  # lines per meal (the same for the whole week, so rows align)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._small = _font(CELL_FONT)
        self._bold = _font(CELL_FONT, bold=True)
        self._number = _font(BASE_POINT_SIZE, bold=True)

    def set_view(self, view: DayView | None, meal_lines: list[int], selected: bool) -> None:
        self.view, self.meal_lines, self.selected = view, meal_lines, selected
        self.setToolTip(view.tooltip or view.reason if view else "")
        self.setCursor(Qt.CursorShape.PointingHandCursor if view else Qt.CursorShape.ArrowCursor)
        self.setAccessibleName(self.text())
        self.updateGeometry()
        self.update()

    def text(self) -> str:
        """What the cell says, one line per line painted (tests and screen readers)."""
        v = self.view
        if v is None:
            return ""
        parts = [str(v.day.day)]
        if v.school:
            parts.append(status_word(v.status))
        else:
            parts.append(v.reason)
        for meal, lines in v.lines:
            parts += [f"{_(MEAL_LABELS[meal])}: {line}" for line in lines]
        return "\n".join(parts)

    def colour(self) -> str:
        v = self.view
        if v is None:
            return "transparent"
        return STATUS_STYLE.get(v.status, STATUS_STYLE[None])[0] if v.school else NO_SCHOOL_BG

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        line = QFontMetrics(self._small).lineSpacing()
        head = QFontMetrics(self._number).lineSpacing()
        return QSize(120, 2 * PAD + head + 4 + line * max(sum(self.meal_lines), 2))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(90, self.sizeHint().height())

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        v = self.view
        if v is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(1, 1, -1, -1)
        p.setPen(QPen(QColor(ACCENT_COLOR if self.selected else "#b9c0c8"), 3 if self.selected else 1))
        p.setBrush(QColor(self.colour()))
        p.drawRoundedRect(rect, 5, 5)
        if self.hasFocus():  # reached with the Tab key: Enter opens the day
            p.setPen(QPen(QColor(ACCENT_COLOR), 1, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect.adjusted(3, 3, -3, -3), 4, 4)
        inner = rect.adjusted(PAD, PAD - 2, -PAD, -PAD)
        head = QFontMetrics(self._number).lineSpacing()
        p.setFont(self._number)
        p.setPen(QColor("#1f1f1f" if v.school else NO_SCHOOL_INK))
        p.drawText(QRect(inner.left(), inner.top(), inner.width(), head), Qt.AlignmentFlag.AlignLeft, str(v.day.day))
        y = inner.top() + head + 4
        line = QFontMetrics(self._small).lineSpacing()
        if not v.school:
            italic = _font(CELL_FONT, italic=True)
            p.setFont(italic)
            metrics = QFontMetrics(italic)
            room = max(1, (inner.bottom() - y) // line)
            for text in wrap(v.reason, metrics, inner.width(), room):
                p.drawText(QRect(inner.left(), y, inner.width(), line), Qt.AlignmentFlag.AlignLeft, text)
                y += line
            p.end()
            return
        ink = STATUS_STYLE.get(v.status, STATUS_STYLE[None])[1]
        p.setFont(self._bold)
        p.setPen(QColor(ink))
        room = inner.width() - QFontMetrics(self._number).horizontalAdvance(str(v.day.day)) - 6
        word = QFontMetrics(self._bold).elidedText(status_word(v.status), Qt.TextElideMode.ElideRight, room)
        p.drawText(QRect(inner.right() - room, inner.top() + 2, room, head),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, word)
        p.setFont(self._small)
        metrics = QFontMetrics(self._small)
        each = text_lines_each(self.height(), sum(self.meal_lines))
        for n, (_meal, lines) in enumerate(v.lines):
            p.setPen(QColor("#1f1f1f"))
            start = y
            for text in lines:
                for shown in wrap(text, metrics, inner.width(), each):
                    p.drawText(QRect(inner.left(), y, inner.width(), line), Qt.AlignmentFlag.AlignLeft, shown)
                    y += line
            y = start + line * each * (self.meal_lines[n] if n < len(self.meal_lines) else len(lines))
        p.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if self.view is not None and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.view.day)
        super().mousePressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().focusOutEvent(event)
        self.update()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if self.view is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.view.day)
            return
        super().keyPressEvent(event)


class MealColumn(QWidget):
    """The meal names at the left of a week, level with the lines of its cells."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.meals: list[tuple[str, int]] = []
        self._bold = _font(CELL_FONT, bold=True)
        self._number = _font(BASE_POINT_SIZE, bold=True)

    def set_meals(self, meals: list[tuple[str, int]]) -> None:
        self.meals = meals
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        metrics = QFontMetrics(self._bold)
        width = max((metrics.horizontalAdvance(_(MEAL_LABELS[m])) for m, _n in self.meals), default=40)
        return QSize(width + 8, 40)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        p = QPainter(self)
        p.setFont(self._bold)
        p.setPen(QColor("#444444"))
        y = 1 + PAD - 2 + QFontMetrics(self._number).lineSpacing() + 4
        line = QFontMetrics(_font(CELL_FONT)).lineSpacing()
        each = text_lines_each(self.height(), sum(n for _m, n in self.meals))
        for meal, n in self.meals:
            p.drawText(QRect(0, y, self.width() - 4, line), Qt.AlignmentFlag.AlignRight, _(MEAL_LABELS[meal]))
            y += line * n * each
        p.end()


class MonthCalendar(QWidget):
    """Weeks as rows; ``show_month(weeks, views, meals, selected)`` fills it; ``day_clicked`` on a click."""

    day_clicked = Signal(object)  # date

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(5)
        self._grid.setVerticalSpacing(5)
        self.cells: dict[date, DayCell] = {}
        self._widgets: list[QWidget] = []

    def cell(self, day: date) -> DayCell | None:
        return self.cells.get(day)

    def show_month(self, weeks: list[list[date]], views: dict[date, DayView], meals: list[str],
                   selected: date | None) -> None:
        """``views`` has a view for each day of the month (days of other months are left blank)."""
        columns = len(weeks[0]) if weeks else 5
        needed = (len(weeks) + 1) * (columns + 1)
        if len(self._widgets) != needed or self._columns_changed(columns):
            self._rebuild(len(weeks), columns)
        self.cells = {}
        for r, week in enumerate(weeks):
            counts = {m: 1 for m in meals}
            for day in week:
                view = views.get(day)
                for meal, lines in (view.lines if view and view.school else ()):
                    counts[meal] = max(counts.get(meal, 1), len(lines))
            per_meal = [counts[m] for m in meals]
            side: MealColumn = self._grid.itemAtPosition(r + 1, 0).widget()
            school = any(views.get(d) is not None and views[d].school for d in week)
            side.set_meals([(m, counts[m]) for m in meals] if school else [])
            for c, day in enumerate(week):
                cell: DayCell = self._grid.itemAtPosition(r + 1, c + 1).widget()
                view = views.get(day)
                cell.set_view(view, per_meal, selected == day)
                if view is not None:
                    self.cells[day] = cell

    def _columns_changed(self, columns: int) -> bool:
        return self._grid.itemAtPosition(0, columns) is None or self._grid.itemAtPosition(0, columns + 1) is not None

    def _rebuild(self, rows: int, columns: int) -> None:
        for widget in self._widgets:
            self._grid.removeWidget(widget)
            widget.deleteLater()
        self._widgets = []
        for c in range(columns):
            head = QLabel(_(WEEKDAYS[c]).capitalize())
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            head.setStyleSheet("font-weight: bold; color: #333333;")
            self._grid.addWidget(head, 0, c + 1)
            self._widgets.append(head)
        corner = QWidget()
        self._grid.addWidget(corner, 0, 0)
        self._widgets.append(corner)
        for r in range(rows):
            side = MealColumn()
            self._grid.addWidget(side, r + 1, 0)
            self._widgets.append(side)
            for c in range(columns):
                cell = DayCell()
                cell.clicked.connect(self.day_clicked)
                self._grid.addWidget(cell, r + 1, c + 1)
                self._widgets.append(cell)
        for c in range(8):
            self._grid.setColumnStretch(c, 1 if 1 <= c <= columns else 0)
        for r in range(8):
            self._grid.setRowStretch(r, 1 if 1 <= r <= rows else 0)
