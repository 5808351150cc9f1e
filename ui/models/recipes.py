"""The recipe list and a preparation's ingredients for one level."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from qaliwarma.domain.levels import MEAL_LABELS, REGION_LABELS
from qaliwarma.domain.recipes import RecipeSummary

from ..i18n import _
from ..theme import ACCENT_COLOR
from .base import Column, RowsModel

OWN_MARK = "★"


def format_grams(value: float | Decimal, unit: str = "g") -> str:
    """25 → "25 g"; 12.5 → "12.5 g"; 1234.5 → "1,234.5 g": the application's one number style (as
    the core's ``format_amount`` and "S/ 1,234.50"): decimal point, comma thousands."""
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{abs(amount) if amount == 0 else amount:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()


def format_percent(factor: float | Decimal) -> str:
    return f"{float(factor) * 100:.0f} %"


class RecipeListModel(RowsModel[RecipeSummary]):
    columns = (
        Column(_("Preparación"), lambda r: f"{OWN_MARK} {r.name}" if r.committee_own else r.name),
        Column(_("Comida"), lambda r: _(MEAL_LABELS.get(r.meal, r.meal))),
    )

    def extra_data(self, row: RecipeSummary, column: int, role: int):
        if row.committee_own and role == Qt.ItemDataRole.ForegroundRole:
            return QColor(ACCENT_COLOR)
        if row.committee_own and role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            where = _(REGION_LABELS.get(row.region, row.region))
            if row.committee_own:
                return _("{region} · preparación propia del comité: puede editarla o eliminarla.").format(region=where)
            return _("{region} · recetario regional").format(region=where)
        return None


@dataclass(frozen=True)
class IngredientLine:
    code: str
    name: str
    gross_grams: Decimal  # per child, as weighed by the cook
    edible_factor: Decimal
    measure: str  # household-measure hint ("" when none is known)

    @property
    def edible_grams(self) -> float:
        return float(self.gross_grams * self.edible_factor)


class IngredientTableModel(RowsModel[IngredientLine]):
    columns = (
        Column(_("Alimento"), lambda i: f"{i.name} ({i.code})"),
        Column(_("Pesar por niño"), lambda i: format_grams(i.gross_grams), align_right=True,
               sort_key=lambda i: i.gross_grams),
        Column(_("Se come"), lambda i: format_grams(i.edible_grams), align_right=True,
               sort_key=lambda i: i.edible_grams),
        Column(_("Medida casera"), lambda i: i.measure or "—"),
    )

    def extra_data(self, row: IngredientLine, column: int, role: int):
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 2:
                return _("Parte comestible: {pct} de lo pesado (sin cáscara, hueso, etc.)").format(
                    pct=format_percent(row.edible_factor))
            if column == 1:
                return _("Gramos que se pesan por cada niño, tal como llega el alimento.")
        return None
