"""The day grid of Raciones: one row per meal the school serves, one column per level. Each cell holds
the preparation (from the menu plan), the rations served and the attendance; a recorded cell shows
what was recorded and can be voided with a reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.levels import LEVEL_LABELS, MEAL_LABELS
from qaliwarma.domain.stock import ServiceInput
from qaliwarma.services.store_views import DayData, ServiceView

from ..i18n import _
from ..models.stock_format import fmt_number
from ..theme import set_role
from .number_box import NumberBox


def _spin(suffix: str) -> QSpinBox:
    spin = NumberBox()
    spin.setRange(0, 9999)
    spin.setSuffix(suffix)
    spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("0000" + suffix) + 48)
    return spin


class ServiceCell(QFrame):
    override_requested = Signal(object)  # self
    reverse_requested = Signal(object)  # self

    def __init__(self, meal: str, level: str, *, leftovers: bool = False, parent=None) -> None:
        super().__init__(parent)
        set_role(self, "card")
        self.meal, self.level = meal, level
        self.record: ServiceView | None = None
        self.override: dict[str, Decimal] | None = None
        self.override_reason = ""
        self.recipe = QComboBox()
        self.recipe.setMinimumContentsLength(18)
        self.recipe.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.recipe.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        self.recipe_name = QLabel()  # the recorded preparation, in place of the list
        self.recipe_name.setWordWrap(True)
        self.recipe_name.setStyleSheet("font-weight: bold")
        self.recipe_name.hide()
        self.rations = _spin("")
        self.attendance = _spin("")
        self.leftovers = _spin("") if leftovers else None
        self.override_button = QPushButton(_("Corregir lo que salió del almacén…"))
        self.override_button.setFlat(True)
        self.override_button.setStyleSheet("text-align: left; color: #1f5f99; text-decoration: underline;"
                                           "padding: 2px 0;")
        self.override_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.override_button.clicked.connect(lambda: self.override_requested.emit(self))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        set_role(self.problem, "error")
        self.problem.hide()
        self.reverse_button = QPushButton(_("Anular este registro…"))
        self.reverse_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.reverse_button.clicked.connect(lambda: self.reverse_requested.emit(self))

        numbers = QHBoxLayout()
        numbers.setSpacing(8)
        for text, spin in ((_("Raciones"), self.rations), (_("Asistentes"), self.attendance),
                           (_("Sobras"), self.leftovers)):
            if spin is None:
                continue
            label = QLabel(text)
            label.setBuddy(spin)
            numbers.addWidget(label)
            numbers.addWidget(spin)
        numbers.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(5)
        layout.addWidget(self.recipe)
        layout.addWidget(self.recipe_name)
        layout.addLayout(numbers)
        layout.addWidget(self.note)
        layout.addWidget(self.problem)
        bottom = QHBoxLayout()
        bottom.addWidget(self.override_button)
        bottom.addStretch(1)
        bottom.addWidget(self.reverse_button)
        layout.addLayout(bottom)
        for spin in (self.rations, self.attendance, self.leftovers):
            if spin is not None:
                spin.valueChanged.connect(lambda _v: self.show_problem(None))
        self.recipe.currentIndexChanged.connect(lambda _i: self._recipe_changed())
        self.recipe.currentTextChanged.connect(self.recipe.setToolTip)  # the whole name when it is cut

    def fields(self) -> list[QWidget]:
        """What the keyboard visits (nothing in a recorded cell)."""
        if self.record is not None:
            return []
        return [w for w in (self.recipe, self.rations, self.attendance, self.leftovers) if w is not None]

    # ------------------------------------------------------------------ filling
    def set_recipes(self, recipes: tuple, chosen: str | None) -> None:
        self.recipe.blockSignals(True)
        self.recipe.clear()
        self.recipe.addItem(_("— Elija la preparación —"), None)
        for rid, name, levels in recipes:
            if self.level in levels:
                self.recipe.addItem(name, rid)
        index = self.recipe.findData(chosen) if chosen else 0
        self.recipe.setCurrentIndex(max(index, 0))
        self.recipe.blockSignals(False)
        width = self.recipe.view().sizeHintForColumn(0) + 40
        self.recipe.view().setMinimumWidth(width)

    def set_record(self, record: ServiceView | None, planned: str | None) -> None:
        self.record = record
        self.override, self.override_reason = None, ""
        self.show_problem(None)
        recorded = record is not None
        self.recipe.setVisible(not recorded)
        self.recipe_name.setVisible(recorded)
        for spin in (self.rations, self.attendance, self.leftovers):
            if spin is not None:
                spin.setReadOnly(recorded)
                spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons if recorded else
                                      QSpinBox.ButtonSymbols.UpDownArrows)
                spin.setFocusPolicy(Qt.FocusPolicy.NoFocus if recorded else Qt.FocusPolicy.StrongFocus)
        self.override_button.setVisible(record is None)
        self.reverse_button.setVisible(record is not None)
        if record is not None:
            self.recipe.setCurrentIndex(max(self.recipe.findData(record.recipe_id), 0))
            self.recipe_name.setText(self.recipe.currentText() if self.recipe.currentData() else record.recipe_id)
            self.rations.setValue(record.rations)
            self.attendance.setValue(record.attendance)
            if self.leftovers is not None:
                self.leftovers.setValue(record.leftovers)
            self._set_note(_("✓ Registrado: {n} raciones.").format(n=fmt_number(record.rations, 0)), "ok")
        else:
            self.rations.setValue(0)
            self.attendance.setValue(0)
            if self.leftovers is not None:
                self.leftovers.setValue(0)
            # the day's heading names the menu: a line «Según el menú del día.» in every cell only took the room
            # the second meal needed at 768 pixels (its fields were below the fold)
            self._set_note("" if planned else _("El menú no dice nada para este día."), "muted")

    def _recipe_changed(self) -> None:
        if self.override is not None:  # a correction was for another preparation
            self.override, self.override_reason = None, ""
            self._set_note(_("Se quitó la corrección: cambió la preparación."), "muted")

    def set_override(self, grams: dict[str, Decimal] | None, reason: str = "") -> None:
        self.override, self.override_reason = grams, reason
        if grams is None:
            self._set_note("", "muted")
        else:
            self._set_note(_("Salida corregida: {reason}").format(reason=reason), "ok")

    def _set_note(self, text: str, role: str) -> None:
        self.note.setText(text)
        set_role(self.note, role)
        self.note.setVisible(bool(text))

    def show_problem(self, text: str | None) -> None:
        self.problem.setText(text or "")
        self.problem.setVisible(bool(text))

    # ------------------------------------------------------------------ reading
    def is_empty(self) -> bool:
        leftovers = getattr(self, "leftovers", None)
        return (self.record is None and self.rations.value() == 0 and self.attendance.value() == 0
                and (leftovers is None or leftovers.value() == 0))

    def recipe_id(self) -> str | None:
        return self.recipe.currentData()

    def what(self) -> str:
        return f"{_(MEAL_LABELS[self.meal])}, {_(LEVEL_LABELS[self.level]).lower()}"

    def typed(self) -> tuple:
        """What the user typed in this cell (to keep it when the grid is rebuilt)."""
        return (self.recipe_id(), self.rations.value(), self.attendance.value(),
                self.leftovers.value() if self.leftovers else 0, self.override, self.override_reason)

    def restore(self, values: tuple) -> None:
        recipe_id, rations, attendance, leftovers, override, reason = values
        index = self.recipe.findData(recipe_id)
        if index >= 0:
            self.recipe.setCurrentIndex(index)
        self.rations.setValue(rations)
        self.attendance.setValue(attendance)
        if self.leftovers is not None:
            self.leftovers.setValue(leftovers)
        if override is not None:
            self.set_override(override, reason)

    def service(self, day: date) -> ServiceInput:
        return ServiceInput(day, self.meal, self.level, self.recipe_id() or "", self.rations.value(),
                            self.attendance.value(), self.leftovers.value() if self.leftovers else 0,
                            self.override, self.override_reason)


class DayGrid(QWidget):
    """Meals down, levels across; Tab moves across a row, then down to the next meal."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.cells: dict[tuple[str, str], ServiceCell] = {}
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(10)

    def build(self, data: DayData) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.cells = {}
        for column, level in enumerate(data.levels, start=1):
            head = QLabel(_("{level}\n{n} matriculados").format(level=_(LEVEL_LABELS.get(level, level)),
                                                                n=data.enrolment.get(level, 0)))
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            head.setStyleSheet("font-weight: bold")
            self.grid.addWidget(head, 0, column)
            self.grid.setColumnStretch(column, 1)
        for row, meal in enumerate(data.meals, start=1):
            label = QLabel(_(MEAL_LABELS.get(meal, meal)))
            set_role(label, "heading")
            label.setAlignment(Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(label, row, 0)
            for column, level in enumerate(data.levels, start=1):
                cell = ServiceCell(meal, level, leftovers=data.modality == "raciones")
                planned = data.planned.get((meal, level))
                record = data.recorded.get((meal, level))
                cell.set_recipes(data.recipes.get(meal, ()), record.recipe_id if record else planned)
                cell.set_record(record, planned)
                self.cells[(meal, level)] = cell
                self.grid.addWidget(cell, row, column)
        chain = [w for cell in self.cells.values() for w in cell.fields()]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def focusNextPrevChild(self, next_: bool) -> bool:  # noqa: N802 - Qt naming
        """Tab and Shift+Tab walk the open cells' fields in reading order (preparation, rations,
        attendance…), whatever Qt's own chain of the compound spin boxes says; the field reached is
        scrolled into view and its number selected, so typed digits replace it."""
        chain = [w for cell in self.cells.values() for w in cell.fields() if w.isVisible() and w.isEnabled()]
        current = QApplication.focusWidget()
        here = next((i for i, w in enumerate(chain) if current is not None and (w is current or w.isAncestorOf(current))),
                    None)
        target = None if here is None else here + (1 if next_ else -1)
        if target is None or not 0 <= target < len(chain):
            return super().focusNextPrevChild(next_)
        field = chain[target]
        field.setFocus(Qt.FocusReason.TabFocusReason if next_ else Qt.FocusReason.BacktabFocusReason)
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None:
            area.ensureWidgetVisible(field)
        return True

    def first_field(self) -> QWidget | None:
        for cell in self.cells.values():
            if cell.record is None:
                return cell.rations
        return None

    def last_field(self) -> QWidget | None:
        fields = [w for cell in self.cells.values() for w in cell.fields()]
        return fields[-1] if fields else None
