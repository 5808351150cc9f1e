"""Tables of the store: products with their stock, lots coloured by expiry, the kardex, the physical
count (the one editable table) and the servings of a recalled lot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from qaliwarma.domain.levels import LEVEL_LABELS, MEAL_LABELS
from qaliwarma.domain.stock import LotInfo, ServingOfLot
from qaliwarma.services.store_views import KardexRow, ProductStock

from ..i18n import _
from .base import Column, RowsModel
from .stock_format import (
    EXPIRED,
    OK,
    SOON,
    SUSPENDED,
    fmt_date,
    fmt_kg,
    fmt_number,
    format_number,
    lot_state,
    shown_kg,
)

_Index = QModelIndex | QPersistentModelIndex
EXPIRED_BG = "#f6c4be"  # red: expired, never issued
SOON_BG = "#ffe4a0"  # amber: expires within the warning days
SUSPENDED_BG = "#dcdcdc"
STATE_BG = {EXPIRED: EXPIRED_BG, SOON: SOON_BG, SUSPENDED: SUSPENDED_BG}
WORST = (EXPIRED, SUSPENDED, SOON, OK)


def _kg_number(grams: Decimal) -> str:
    """Kilograms to the gram, three decimals always (the kardex's columns line up), rounded as everywhere else
    (half up, qaliwarma.vocab.format_number): 13,730.5 g read 13.730 here and 13.731 in the lot list."""
    return format_number(Decimal(grams) / 1000, 3)



class _Dated:
    """Models whose colours depend on the day and on the warning days."""

    today: date = date.today()
    days_ahead: int = 30

    def set_context(self, today: date, days_ahead: int) -> None:
        self.today, self.days_ahead = today, days_ahead
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))


class ProductStockModel(_Dated, RowsModel[ProductStock]):
    columns = (
        Column(_("Producto"), lambda p: p.name),
        Column(_("En almacén"), lambda p: fmt_kg(p.total_grams) if p.total_grams else _("sin stock"),
               align_right=True, sort_key=lambda p: p.total_grams),
        Column(_("Aviso"), lambda p: ""),
    )
    NOTICE = 2

    def worst(self, product: ProductStock) -> tuple[str, str]:
        states = [lot_state(lot, self.today, self.days_ahead) for lot in product.lots]
        for wanted in WORST:
            found = [words for state, words in states if state == wanted]
            if found:
                if wanted == EXPIRED:
                    return wanted, _("1 lote vencido") if len(found) == 1 else _("{n} lotes vencidos").format(
                        n=len(found))
                if wanted == SUSPENDED:
                    return wanted, _("Suspendido")
                return wanted, found[0] if wanted == SOON else ""
        return OK, ""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.column() == self.NOTICE and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= index.row() < self.rowCount():
            return self.worst(self.row_at(index.row()))[1]
        return super().data(index, role)

    def extra_data(self, row: ProductStock, column: int, role: int):
        if role == Qt.ItemDataRole.BackgroundRole:
            state = self.worst(row)[0]
            return QBrush(QColor(STATE_BG[state])) if state in STATE_BG else None
        if role == Qt.ItemDataRole.ForegroundRole and row.total_grams <= 0:
            return QBrush(QColor("#6b6b6b"))
        if role == Qt.ItemDataRole.ToolTipRole:
            first = row.first_expiry()
            text = _("Código de la tabla de alimentos: {code}").format(code=row.code)
            return text + ("\n" + _("El primer lote vence el {day}").format(day=fmt_date(first)) if first else "")
        return None


class LotModel(_Dated, RowsModel[LotInfo]):
    """Lots, one per row, coloured: red expired, amber expiring within the warning days, grey suspended."""

    def __init__(self, parent=None, *, names: dict[str, str] | None = None, with_product: bool = False) -> None:
        super().__init__(parent)
        self.names = names or {}
        product = (Column(_("Producto"), lambda lot: self.names.get(lot.food_code, lot.product_name)),) \
            if with_product else ()
        self.columns = (
            *product,
            Column(_("Lote"), lambda lot: lot.lot),
            Column(_("Marca"), lambda lot: lot.brand or "—"),
            Column(_("Vence"), lambda lot: fmt_date(lot.expiry), sort_key=lambda lot: lot.expiry or date.max),
            Column(_("Stock"), lambda lot: fmt_kg(lot.balance_grams), align_right=True,
                   sort_key=lambda lot: lot.balance_grams),
            Column(_("Estado"), lambda lot: lot_state(lot, self.today, self.days_ahead)[1]),
        )

    def state(self, row: int) -> str:
        return lot_state(self.row_at(row), self.today, self.days_ahead)[0]

    def extra_data(self, row: LotInfo, column: int, role: int):
        state = lot_state(row, self.today, self.days_ahead)[0]
        if role == Qt.ItemDataRole.BackgroundRole and state in STATE_BG:
            return QBrush(QColor(STATE_BG[state]))
        if role == Qt.ItemDataRole.FontRole and (row.suspended or state == EXPIRED):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [_("Presentación: {p}").format(p=row.presentation or "—"),
                     _("Registro sanitario: {r}").format(r=row.sanitary_registration or "—"),
                     _("Recibido: {kg}").format(kg=fmt_kg(row.received_grams))]
            return "\n".join(parts)
        return None


class KardexModel(RowsModel[KardexRow]):
    columns = (
        Column(_("Fecha"), lambda k: fmt_date(k.day), sort_key=lambda k: (k.day, k.seq)),
        Column(_("Movimiento"), lambda k: k.label),
        Column(_("Lote"), lambda k: k.lot),
        Column(_("Entra (kg)"), lambda k: _kg_number(k.grams) if k.grams > 0 else "", align_right=True),
        Column(_("Sale (kg)"), lambda k: _kg_number(-k.grams) if k.grams < 0 else "", align_right=True),
        Column(_("Saldo (kg)"), lambda k: _kg_number(k.balance), align_right=True),
    )

    def extra_data(self, row: KardexRow, column: int, role: int):
        if role == Qt.ItemDataRole.FontRole and column == 5:
            font = QFont()
            font.setBold(True)
            return font
        return None


class ServingModel(RowsModel[ServingOfLot]):
    """The servings that used a lot (recall): which day, meal and level, how many rations."""

    def __init__(self, parent=None, recipe_names: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.recipe_names = recipe_names or {}
        self.columns = (
            Column(_("Fecha"), lambda s: fmt_date(s.day), sort_key=lambda s: s.day),
            Column(_("Comida"), lambda s: _(MEAL_LABELS.get(s.meal, s.meal))),
            Column(_("Nivel"), lambda s: _(LEVEL_LABELS.get(s.level, s.level))),
            Column(_("Preparación"), lambda s: self.recipe_names.get(s.recipe_id, s.recipe_id)),
            Column(_("Raciones"), lambda s: fmt_number(s.rations, 0), align_right=True, sort_key=lambda s: s.rations),
            Column(_("Del lote"), lambda s: fmt_kg(s.grams), align_right=True, sort_key=lambda s: s.grams),
        )


# ---------------------------------------------------------------------------------------------- the count
@dataclass
class CountRow:
    lot: LotInfo
    name: str
    counted: Decimal | None = None  # grams, None while not counted

    @property
    def difference(self) -> Decimal | None:
        return None if self.counted is None else self.counted - self.lot.balance_grams


class CountModel(QAbstractTableModel):
    """Lots with the counted kilograms typed in the «Contado» column (blank: not counted)."""

    HEADERS = (_("Producto"), _("Lote"), _("Vence"), _("Según el registro"), _("Contado (kg)"), _("Diferencia"))
    COUNTED = 4

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[CountRow] = []

    def set_lots(self, lots: list[LotInfo], names: dict[str, str], *, keep: bool = True) -> None:
        """Show these lots; what was already typed for a lot stays (``keep``), so reading the store again
        does not lose a count in progress."""
        typed = {r.lot.id: r.counted for r in self._rows} if keep else {}
        self.beginResetModel()
        self._rows = [CountRow(lot, names.get(lot.food_code, lot.product_name), typed.get(lot.id)) for lot in lots]
        self.endResetModel()

    def rows(self) -> list[CountRow]:
        return list(self._rows)

    def counted(self) -> list[CountRow]:
        return [r for r in self._rows if r.counted is not None]

    def set_counted(self, row: int, kg_text: str) -> bool:
        return self.setData(self.index(row, self.COUNTED), kg_text)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == self.COUNTED else base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) \
                or not (0 <= index.column() < len(self.HEADERS)):
            return None
        row, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == 0:
                return row.name
            if column == 1:
                return row.lot.lot
            if column == 2:
                return fmt_date(row.lot.expiry)
            if column == 3:
                return fmt_kg(row.lot.balance_grams)
            if column == self.COUNTED:
                if row.counted is None:
                    return "" if role == Qt.ItemDataRole.EditRole else _("(escriba)")
                return fmt_number(row.counted / 1000, 3)
            diff = row.difference
            if diff is None:
                return ""
            return _("igual") if diff == 0 else ("+" if diff > 0 else "−") + fmt_kg(abs(diff))
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and column == self.COUNTED:
            return QBrush(QColor("#fffbe6"))
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.COUNTED and row.counted is None:
                return QBrush(QColor("#8a8a8a"))
            if column == 5 and row.difference:
                return QBrush(QColor("#b3261e"))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COUNTED:
            return _("Escriba los kilos que contó de este lote (por ejemplo 12.5). Déjelo en blanco si no lo contó.")
        return None

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != self.COUNTED or role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value or "").strip()
        if not text:
            counted = None
        else:
            from qaliwarma.io.tabular import parse_decimal
            from qaliwarma.numbers import APP_STYLE

            kg = parse_decimal(text, style=APP_STYLE)
            if kg is None or kg < 0:
                return False
            counted = (kg * 1000).quantize(Decimal("0.001"))
            balance = self._rows[index.row()].lot.balance_grams
            if kg == shown_kg(balance):  # the balance typed back as it is shown: what was counted is it
                counted = balance  # 1414.5 g shown as 1.415 kg, typed back: no «+0.001 kg» difference recorded
            # (0 typed for a lot of 0.5 g, shown 0.001 kg, is 0: it was taken as «igual» and left the 0.5 g)
        self._rows[index.row()].counted = counted
        self.dataChanged.emit(self.index(index.row(), self.COUNTED), self.index(index.row(), 5))
        return True
