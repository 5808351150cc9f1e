"""The ingredients of a committee's own preparation, editable: edible part and grams per level."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from qaliwarma.domain.levels import LEVEL_LABELS, LEVELS
from qaliwarma.domain.recipes import Dose, Ingredient, RecipeDef

from ..i18n import _
from .recipes import format_grams

_Index = QModelIndex | QPersistentModelIndex
MISSING_BG = "#fde7e5"
NAME, EDIBLE, GRAMS, MEASURE = "name", "edible", "grams", "measure"


@dataclass
class EditRow:
    code: str
    name: str
    edible_factor: Decimal = Decimal(1)
    grams: dict[str, Decimal] = field(default_factory=dict)
    measure: dict[str, str] = field(default_factory=dict)


def _decimal(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _tidy(value: Decimal) -> Decimal:
    """20 rather than 2E+1; 12.5 stays 12.5."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


class IngredientEditModel(QAbstractTableModel):
    """Columns: food | edible part (%) | then, for each chosen level, grams and household measure."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[EditRow] = []
        self._levels: tuple[str, ...] = ("primaria",)

    # ------------------------------------------------------------------ content
    def set_levels(self, levels: tuple[str, ...]) -> None:
        levels = tuple(lv for lv in LEVELS if lv in levels)
        if levels == self._levels:
            return
        self.beginResetModel()
        self._levels = levels
        self.endResetModel()

    def levels(self) -> tuple[str, ...]:
        return self._levels

    def load(self, recipe: RecipeDef, names: dict[str, str]) -> None:
        self.beginResetModel()
        self._levels = recipe.levels
        self._rows = [
            EditRow(i.code, names.get(i.code, i.label), i.edible_factor,
                    {lv: d.grams for lv, d in i.doses.items()}, {lv: d.measure for lv, d in i.doses.items()})
            for i in recipe.ingredients
        ]
        self.endResetModel()

    def add(self, code: str, name: str) -> int:
        """Add a food (or return the row it is already in)."""
        for n, row in enumerate(self._rows):
            if row.code == code:
                return n
        position = len(self._rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.append(EditRow(code, name))
        self.endInsertRows()
        return position

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def rows(self) -> list[EditRow]:
        return list(self._rows)

    def ingredients(self) -> tuple[Ingredient, ...]:
        """The rows as the core's ingredients: only the chosen levels, only grams that were written."""
        return tuple(
            Ingredient(
                r.code, r.name, r.edible_factor,
                {lv: Dose(r.grams[lv], r.measure.get(lv, "").strip()) for lv in self._levels if lv in r.grams},
            )
            for r in self._rows
        )

    def column_kind(self, column: int) -> tuple[str, str | None]:
        if column == 0:
            return NAME, None
        if column == 1:
            return EDIBLE, None
        level = self._levels[(column - 2) // 2]
        return (GRAMS if (column - 2) % 2 == 0 else MEASURE), level

    # ------------------------------------------------------------------ Qt interface
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else 2 + 2 * len(self._levels)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if 0 <= section < len(self._rows) else None
        if not 0 <= section < self.columnCount():
            return None
        kind, level = self.column_kind(section)
        if kind == NAME:
            return _("Alimento")
        if kind == EDIBLE:
            return _("Se come")
        label = _(LEVEL_LABELS[level])
        return _("{level} (g)").format(level=label) if kind == GRAMS else _("Medida {level}").format(
            level=label.lower())

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base if index.column() == 0 else base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or not (
                0 <= index.column() < self.columnCount()):
            return None
        row = self._rows[index.row()]
        kind, level = self.column_kind(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if kind == NAME:
                return f"{row.name} ({row.code})"
            if kind == EDIBLE:
                return f"{float(row.edible_factor) * 100:.0f} %"
            if kind == GRAMS:
                return format_grams(row.grams[level]) if level in row.grams else _("escriba")
            return row.measure.get(level, "")
        if role == Qt.ItemDataRole.EditRole:
            if kind == EDIBLE:
                return round(float(row.edible_factor) * 100)
            if kind == GRAMS:
                return float(row.grams.get(level, 0))
            if kind == MEASURE:
                return row.measure.get(level, "")
            return f"{row.name} ({row.code})"
        if role == Qt.ItemDataRole.BackgroundRole and kind == GRAMS and (
                level not in row.grams or row.grams[level] <= 0):
            return QColor(MISSING_BG)
        if role == Qt.ItemDataRole.TextAlignmentRole and kind in (EDIBLE, GRAMS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if kind == EDIBLE:
                return _("Qué parte de lo que se pesa se come (100 % si no tiene cáscara, hueso, etc.).")
            if kind == GRAMS:
                return _("Gramos que se pesan por cada niño.")
            if kind == MEASURE:
                return _("Cómo medirlo en la cocina, por ejemplo «1 cucharada colmada».")
        return None

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() == 0:
            return False
        row = self._rows[index.row()]
        kind, level = self.column_kind(index.column())
        if kind == EDIBLE:
            pct = _decimal(value)
            if pct is None or not 0 < pct <= 100:
                return False
            if round(float(row.edible_factor) * 100) != pct:  # keep 0.875 unless really changed
                row.edible_factor = _tidy(pct / 100)
        elif kind == GRAMS:
            grams = _decimal(value)
            if grams is None or grams < 0:
                return False
            if grams == 0:
                row.grams.pop(level, None)
            else:
                row.grams[level] = _tidy(grams.quantize(Decimal("0.1")))
        else:
            row.measure[level] = str(value).strip()
        self.dataChanged.emit(index, index)
        return True
