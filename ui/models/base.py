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


class RowsProxy(QSortFilterProxyModel):
    """Sorts a :class:`RowsModel` by its columns' sort keys; filters rows with a Python predicate."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._accept: Callable[[Any], bool] | None = None

    def set_filter(self, accept: Callable[[Any], bool] | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9
            self.beginFilterChange()
            self._accept = accept
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self._accept = accept
            self.invalidateFilter()

    def lessThan(self, left: _Index, right: _Index) -> bool:
        model = self.sourceModel()
        if isinstance(model, RowsModel):
            return model.sort_value(left.row(), left.column()) < model.sort_value(right.row(), right.column())
        return super().lessThan(left, right)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        if self._accept is None or not isinstance(model, RowsModel):
            return True
        return self._accept(model.row_at(source_row))
