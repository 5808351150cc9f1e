"""Nutrient amounts with Spanish labels and units; unknown values read "sin dato", never 0."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from qaliwarma.domain.nutrients import NUTRIENTS, format_amount

from ..i18n import _
from ..theme import MUTED_COLOR
from .base import Column, RowsModel

INCOMPLETE_COLOR = "#9a4b00"


@dataclass(frozen=True)
class NutrientLine:
    key: str
    label: str
    amount: str  # "7.60 mg" or "sin dato"
    known: bool
    note: str = ""  # "incompleto: sin dato en E34 (Pescado caballa, en conserva)", or "estimado: …"
    lacking: bool = False  # some food has neither a value nor a substitute: the amount is a minimum

    @property
    def incomplete(self) -> bool:
        return self.lacking


def incomplete_note(codes: Sequence[str], names: Mapping[str, str]) -> str:
    foods = ", ".join(f"{c} ({names[c]})" if c in names else c for c in codes)
    return _("incompleto: sin dato en {foods}").format(foods=foods)


def estimated_note(key: str, codes: Sequence[str], low: float, high: float, names: Mapping[str, str]) -> str:
    foods = ", ".join(f"{c} ({names[c]})" if c in names else c for c in codes)
    return _("estimado: la tabla no tiene el dato de {foods}; se usa un valor publicado (entre {low} y {high})").format(
        foods=foods, low=format_amount(key, low), high=format_amount(key, high))


def nutrient_lines(
    values: Mapping[str, float | None],
    incomplete: Mapping[str, Sequence[str]] | None = None,
    names: Mapping[str, str] | None = None,
    keys: Sequence[str] | None = None,
    estimated: Mapping[str, tuple[float, float, float, Sequence[str]]] | None = None,
) -> list[NutrientLine]:
    """One line per nutrient (all 17, or ``keys``), in the table's order. ``estimated``: nutrients whose value
    includes substitutes for foods the table leaves blank (services.substitutes), shown «≈» and said so: the
    same figure the compliance check judges."""
    incomplete = incomplete or {}
    estimated = estimated or {}
    names = names or {}
    wanted = set(keys) if keys is not None else None
    lines = []
    for n in NUTRIENTS:
        if wanted is not None and n.key not in wanted:
            continue
        value = values.get(n.key)
        lacking = incomplete.get(n.key)
        notes = []
        amount = format_amount(n.key, value)
        if n.key in estimated and value is not None:
            _value, low, high, codes = estimated[n.key]
            amount = "≈ " + amount
            notes.append(estimated_note(n.key, codes, low, high, names))
        if lacking and value is not None:
            notes.append(incomplete_note(lacking, names))
        lines.append(NutrientLine(n.key, _(n.label_es), amount, value is not None, "; ".join(notes),
                                  bool(lacking) and value is not None))
    return lines


class NutrientTableModel(RowsModel[NutrientLine]):
    """Nutrient | amount (| note when ``with_notes``). Unknown amounts greyed and in italics."""

    def __init__(self, amount_title: str, *, with_notes: bool = False, parent=None) -> None:
        super().__init__(parent)
        columns = [
            Column(_("Nutriente"), lambda n: n.label, sort_key=lambda n: n.label),
            Column(amount_title, lambda n: n.amount, align_right=True),
        ]
        if with_notes:
            columns.append(Column(_("Observación"), lambda n: n.note))
        self.columns = tuple(columns)

    def extra_data(self, row: NutrientLine, column: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole:
            if not row.known:
                return QColor(MUTED_COLOR)
            if row.incomplete and column > 0:
                return QColor(INCOMPLETE_COLOR)
        if role == Qt.ItemDataRole.FontRole and not row.known and column == 1:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if not row.known:
                return _("La tabla de composición no tiene este dato: no se sabe cuánto hay (no es cero).")
            if row.incomplete:
                return _("Valor mínimo: falta el dato de algunos alimentos ({note}).").format(note=row.note)
        return None
