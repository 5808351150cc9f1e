"""A read-only table model over a list of plain rows: subclasses say what each column shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from qaliwarma.domain.foods import fold

Row = TypeVar("Row")
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    text: Callable[[Any], str]
    align_right: bool = False
    sort_key: Callable[[Any], Any] | None = None


class RowsModel(QAbstractTableModel, Generic[Row]):
    """Rows are replaced as a whole with :meth:`set_rows` (a search result, a recipe's ingredients)."""

    columns: Sequence[Column] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    # -------------------------------------------------------------- data access
    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    # -------------------------------------------------------------- Qt interface
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].title
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not (0 <= index.column() < len(self.columns)):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return self.extra_data(row, index.column(), role)

    def extra_data(self, row: Row, column: int, role: int):
        """Other roles (colour, font, tooltip): subclasses override."""
        return None

    def sort_value(self, row: int, column: int):
        col = self.columns[column]
        item = self._rows[row]
        return col.sort_key(item) if col.sort_key else fold(col.text(item))

    def in_order(self, column: int, descending: bool = False) -> bool:
        """Whether the rows already come in the order of ``column`` (by :meth:`sort_value`): a stable sort
        would leave them as they are. Stops at the first row out of order."""
        col = self.columns[column]
        key = col.sort_key or (lambda item: fold(col.text(item)))
        rows = iter(self._rows)
        previous = key(next(rows)) if self._rows else None
        for item in rows:
            value = key(item)
            if (previous < value) if descending else (value < previous):
                return False
            previous = value
        return True


class RowsProxy(QSortFilterProxyModel):
    """Sorts a :class:`RowsModel` by its columns' sort keys; filters rows with a Python predicate.

    Rows that already come in the order asked for (a month's expenses by number, as the service reads them)
    are shown in the model's own order without Qt's sort, which calls :meth:`lessThan` in Python some six
    times per row (about 35 ms for a month of 1,000 expenses). The order shown is the same either way: Qt's
    sort is stable, so rows already in order stay as they are. Rows out of order are sorted by Qt as before.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._accept: Callable[[Any], bool] | None = None
        self._wanted: tuple[int, Qt.SortOrder] | None = None  # the order asked for with sort()

    def setSourceModel(self, model) -> None:  # noqa: N802 - Qt naming
        previous = self.sourceModel()
        if isinstance(previous, RowsModel):
            previous.modelReset.disconnect(self._source_reset)
        super().setSourceModel(model)
        if isinstance(model, RowsModel):
            # connected after the proxy's own handling of the reset: the new rows are there when it runs
            model.modelReset.connect(self._source_reset)
        if self._wanted is not None:
            self._follow(self._wanted[0], self._wanted[1], again=False)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._wanted = (column, order) if column >= 0 else None
        if column < 0:
            super().sort(column, order)
        else:
            self._follow(column, order, again=True)

    def sortColumn(self) -> int:  # noqa: N802 - Qt naming: the column asked for, shown without Qt's sort or not
        return self._wanted[0] if self._wanted is not None else super().sortColumn()

    def sortOrder(self) -> Qt.SortOrder:  # noqa: N802 - Qt naming
        return self._wanted[1] if self._wanted is not None else super().sortOrder()

    def _source_reset(self) -> None:
        if self._wanted is not None:
            self._follow(*self._wanted, again=False)

    def _follow(self, column: int, order: Qt.SortOrder, *, again: bool) -> None:
        """Show the rows in the order of ``column``: as they come when they already are (Qt's sort turned
        off: the proxy keeps the model's order), else sorted by Qt (``again``: even if Qt's sort is already
        on that column, as QSortFilterProxyModel.sort does)."""
        model = self.sourceModel()
        qt_column, qt_order = super().sortColumn(), super().sortOrder()
        if isinstance(model, RowsModel) and 0 <= column < model.columnCount() and self._in_order(model, column, order):
            if qt_column >= 0 or qt_order != Qt.SortOrder.AscendingOrder:
                super().sort(-1, Qt.SortOrder.AscendingOrder)  # the model's order (descending would reverse it)
        elif again or (qt_column, qt_order) != (column, order):
            super().sort(column, order)

    @staticmethod
    def _in_order(model: RowsModel, column: int, order: Qt.SortOrder) -> bool:
        try:
            return model.in_order(column, descending=order == Qt.SortOrder.DescendingOrder)
        except TypeError:  # keys that do not compare: Qt's sort, as before
            return False

    def lessThan(self, left: _Index, right: _Index) -> bool:  # noqa: N802 - Qt naming
        model = self.sourceModel()
        if isinstance(model, RowsModel):
            return model.sort_value(left.row(), left.column()) < model.sort_value(right.row(), right.column())
        return super().lessThan(left, right)

    def set_filter(self, accept: Callable[[Any], bool] | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9
            self.beginFilterChange()
            self._accept = accept
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self._accept = accept
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        if self._accept is None or not isinstance(model, RowsModel):
            return True
        return self._accept(model.row_at(source_row))
