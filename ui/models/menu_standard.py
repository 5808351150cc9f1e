"""The ranges of one target of a nutrition standard (a level × meal), editable in a committee's copy.

Each row is a nutrient: minimum, maximum and whether going over the maximum is only a notice. An empty
minimum or maximum means "no limit"; a row with neither is dropped when the copy is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from qaliwarma.domain.levels import LEVEL_LABELS, MEAL_LABELS, REGION_LABELS
from qaliwarma.domain.nutrients import BY_KEY, NUTRIENT_KEYS
from qaliwarma.domain.standards import ABOVE_IS_NOTICE, ABOVE_IS_PROBLEM, DERIVED_METRICS, Range, Target
from qaliwarma.numbers import APP_STYLE, NUTRIENT, NumberRefused, read_number

from ..i18n import _

_Index = QModelIndex | QPersistentModelIndex
METRICS = (*NUTRIENT_KEYS, *DERIVED_METRICS)


def metric_label(metric: str) -> tuple[str, str]:
    """(Spanish label, unit) of a nutrient or derived metric."""
    if metric in BY_KEY:
        return _(BY_KEY[metric].label_es), BY_KEY[metric].unit
    label, unit = DERIVED_METRICS[metric]
    return _(label), unit


def target_label(target: Target) -> str:
    """"Desayuno · Primaria" (with the quintiles or regions it is limited to)."""
    text = f"{_(MEAL_LABELS.get(target.meal, target.meal))} · {_(LEVEL_LABELS.get(target.level, target.level))}"
    if target.quintiles:
        text += _(" · quintil {q}").format(q=", ".join(str(q) for q in target.quintiles))
    if target.regions:
        text += " · " + ", ".join(_(REGION_LABELS.get(r, r)) for r in target.regions)
    return text


def format_limit(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def parse_limit(text: str) -> float | None:
    """A target typed in the table, read by the one number parser (``qaliwarma.numbers``, the way the
    application writes numbers: «4.5», «4,5», «1,200»); "" → no limit. ``NumberRefused`` says what is
    wrong (a negative, a word, an ambiguous «1.250» is read as the app writes it: 1.25)."""
    if not text.strip():
        return None
    return float(read_number(text, NUTRIENT, APP_STYLE))


@dataclass
class RangeRow:
    metric: str
    low: float | None
    high: float | None
    notice: bool  # above the maximum is only a notice (e.g. iron)
    below_notice: bool = False  # below the minimum is only a notice (kept as the standard file says)

    @property
    def label(self) -> str:
        return metric_label(self.metric)[0]

    @property
    def unit(self) -> str:
        return metric_label(self.metric)[1]


class RangesModel(QAbstractTableModel):
    """Nutriente | Mínimo | Máximo | Unidad | Pasar el máximo es solo un aviso (checkbox)."""

    MIN, MAX, NOTICE = 1, 2, 4
    refused = Signal(str)  # what the user typed is not a number: the message to show
    edited = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[RangeRow] = []
        self.editable = False
        self.headers = (_("Nutriente"), _("Mínimo"), _("Máximo"), _("Unidad"), _("Pasar el máximo es solo aviso"))

    def set_ranges(self, ranges: dict[str, Range], editable: bool) -> None:
        self.beginResetModel()
        first = ("energy_kcal", "protein_g", "protein_pct_energy", "fat_g", "fat_pct_energy", "added_sugar_g",
                 "iron_mg")
        order = {m: i for i, m in enumerate((*first, *(m for m in METRICS if m not in first)))}
        self._rows = [RangeRow(m, r.min, r.max, r.above == ABOVE_IS_NOTICE, r.below == ABOVE_IS_NOTICE)
                      for m, r in sorted(ranges.items(), key=lambda kv: order.get(kv[0], len(order)))]
        self.editable = editable
        self.endResetModel()

    def rows(self) -> list[RangeRow]:
        return list(self._rows)

    def ranges(self) -> dict[str, Range]:
        """The ranges as edited; rows without minimum and maximum are left out."""
        return {r.metric: Range(r.low, r.high, ABOVE_IS_NOTICE if r.notice else ABOVE_IS_PROBLEM,
                                ABOVE_IS_NOTICE if r.below_notice else ABOVE_IS_PROBLEM)
                for r in self._rows if r.low is not None or r.high is not None}

    def add_metric(self, metric: str) -> int:
        """Add a nutrient with no limits yet (the user types them); returns its row."""
        for n, row in enumerate(self._rows):
            if row.metric == metric:
                return n
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(RangeRow(metric, None, None, False))
        self.endInsertRows()
        return len(self._rows) - 1

    # -------------------------------------------------------------- Qt interface
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and index.column() in (self.MIN, self.MAX):
            flags |= Qt.ItemFlag.ItemIsEditable
        if self.editable and index.column() == self.NOTICE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == 0:
                return row.label
            if column == self.MIN:
                return format_limit(row.low) if role == Qt.ItemDataRole.EditRole else (
                    format_limit(row.low) or _("sin mínimo"))
            if column == self.MAX:
                return format_limit(row.high) if role == Qt.ItemDataRole.EditRole else (
                    format_limit(row.high) or _("sin máximo"))
            if column == 3:
                return row.unit
            return None
        if role == Qt.ItemDataRole.CheckStateRole and column == self.NOTICE:
            return Qt.CheckState.Checked if row.notice else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.MIN, self.MAX):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.MIN, self.MAX) and self.editable:
            return _("Doble clic para cambiar. Deje vacío para no poner límite.")
        return None

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or not self.editable:
            return False
        row, column = self._rows[index.row()], index.column()
        if column == self.NOTICE and role == Qt.ItemDataRole.CheckStateRole:
            checked = value == Qt.CheckState.Checked or value == Qt.CheckState.Checked.value
            self._rows[index.row()] = replace(row, notice=bool(checked))
        elif column in (self.MIN, self.MAX) and role == Qt.ItemDataRole.EditRole:
            try:
                number = parse_limit(str(value))
            except NumberRefused as refused:
                self.refused.emit(_("{nutrient}: {why} Escriba por ejemplo 4.5, o deje vacío para no poner "
                                    "límite.").format(nutrient=row.label, why=refused.message))
                return False
            field = "low" if column == self.MIN else "high"
            self._rows[index.row()] = replace(row, **{field: number})
        else:
            return False
        self.dataChanged.emit(index, index, [role])
        self.edited.emit()
        return True


def range_problems(target: Target, ranges: dict[str, Range]) -> list[str]:
    """What is wrong with the edited ranges of one target, in plain words (checked before saving)."""
    problems = []
    where = target_label(target)
    for metric, r in ranges.items():
        if r.min is not None and r.max is not None and r.min > r.max:
            problems.append(_("{where}, {nutrient}: el mínimo {low} es mayor que el máximo {high}.").format(
                where=where, nutrient=metric_label(metric)[0], low=format_limit(r.min), high=format_limit(r.max)))
    if not ranges:
        problems.append(_("{where}: la meta quedó sin ningún nutriente; ponga al menos un mínimo o un "
                          "máximo.").format(where=where))
    return problems
