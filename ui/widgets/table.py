"""A table view set up for reading: whole rows selected, roomy rows, no editing, no row numbers.

``wrap=True`` lets long names wrap onto a second line instead of being cut ("Pollo, carne pulp…");
``fit=True`` makes the view exactly as tall as its rows (for short tables inside a scrolling page).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

CELL_MARGIN = 7  # pixels left and right of the text in a cell
CONTENTS_PRECISION = 50  # rows measured for a column's width (Qt's default measures 1,000 rows)
WRAP_EVERY_ROW = 300  # up to this many rows, every wrapped row gets its height; beyond, the rows on screen


class PaddedDelegate(QStyledItemDelegate):
    """Keeps text off the grid lines; wrapping is measured on the same narrower width it is painted in."""

    def _inset(self, option: QStyleOptionViewItem) -> QStyleOptionViewItem:
        inset = QStyleOptionViewItem(option)
        inset.rect = option.rect.adjusted(CELL_MARGIN, 0, -CELL_MARGIN, 0)
        return inset

    def paint(self, painter, option, index) -> None:
        full = QStyleOptionViewItem(option)
        self.initStyleOption(full, index)
        full.text = ""
        full.icon = QIcon()
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        # the cell's background (selection, colour) spans the whole cell; the text sits inside the margins
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, full, painter, widget)
        super().paint(painter, self._inset(option), index)

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt naming
        size = super().sizeHint(self._inset(option), index)
        return QSize(size.width() + 2 * CELL_MARGIN, size.height())


class DataTable(QTableView):
    def __init__(self, parent=None, *, stretch_column: int | tuple[int, ...] | None = None, sortable: bool = False,
                 wrap: bool = False, fit: bool = False) -> None:
        super().__init__(parent)
        self._stretch_column = stretch_column
        self._wrap = wrap
        self._fit = fit
        self._last_width = -1
        self._hidden_change = False
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(self._adjust_rows)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(wrap)
        self.setItemDelegate(PaddedDelegate(self))
        self.setSortingEnabled(sortable)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setMinimumSectionSize(self.fontMetrics().height() + 14)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.horizontalHeader().setHighlightSections(False)
        if fit:
            from PySide6.QtCore import Qt

            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def setModel(self, model) -> None:  # noqa: N802 - Qt naming
        super().setModel(model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # a column's width from the first rows, not from every row of a year's kardex (Qt's default: 1,000)
        header.setResizeContentsPrecision(CONTENTS_PRECISION)
        if self._stretch_column is not None:
            columns = self._stretch_column if isinstance(self._stretch_column, tuple) else (self._stretch_column,)
            for column in columns:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        else:
            header.setStretchLastSection(True)
        if model is not None and (self._wrap or self._fit):
            for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved,
                           model.dataChanged):
                signal.connect(self._relayout.start)
            header.sectionResized.connect(lambda *_args: self._relayout.start())
            if self._wrap:
                self.verticalScrollBar().valueChanged.connect(self._scrolled)
            self._relayout.start()

    def _scrolled(self) -> None:
        model = self.model()
        if model is not None and model.rowCount() > WRAP_EVERY_ROW:
            self._relayout.start()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        if (self._wrap or self._fit) and event.size().width() != self._last_width:
            self._last_width = event.size().width()
            self._relayout.start()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        if self._hidden_change or self._relayout.isActive():  # rows changed while hidden: measured now, before
            self._relayout.stop()                                # the table is painted
            self._adjust_rows()

    def _adjust_rows(self) -> None:
        if not self.isVisible():
            # a table on a tab not shown (a month's 1,000 expenses behind «Resumen del mes») measures its rows
            # when it is shown, not on every reload: the measuring asks for the text of every visible cell
            self._hidden_change = True
            return
        self._hidden_change = False
        if self._wrap:
            model = self.model()
            if model is None or model.rowCount() <= WRAP_EVERY_ROW:
                self.resizeRowsToContents()
            else:  # thousands of rows: only the rows on screen are measured (again as it scrolls)
                self._resize_shown_rows()
        if self._fit:
            self.fit_height()

    def _resize_shown_rows(self) -> None:
        rows = self.model().rowCount()
        first = max(self.rowAt(0), 0)
        for row in range(first, rows):
            self.resizeRowToContents(row)
            if self.rowViewportPosition(row) > self.viewport().height():
                break

    def fit_height(self) -> None:
        """Make the view as tall as its rows."""
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        height = self.horizontalHeader().sizeHint().height() + sum(self.rowHeight(r) for r in range(rows))
        scrollbar = self.horizontalScrollBar().sizeHint().height() if self.horizontalScrollBar().isVisible() else 0
        self.setFixedHeight(height + scrollbar + 2 * self.frameWidth() + 2)
