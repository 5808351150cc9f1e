"""One level's line of the day's ready rations: what came, how many by the supplier's record, how many
were accepted, the conformity (accepted follows by itself for «Conforme» and «Rechazado») and the
observation (required when rations are rejected). A level already recorded that day is shown read-only."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QSpinBox, QWidget

from qaliwarma.services.rations_received import RationReception

from ..i18n import _
from ..models.rations_received_rows import level_label
from ..models.stock_format import fmt_number
from ..theme import set_invalid, set_role
from .number_box import NumberBox
from .stock_common import message_label, show_message

CONFORMITY_CHOICES = (("conforme", "Conforme"), ("parcial", "Parcial"), ("rechazado", "Rechazado"))
COLUMNS = ("Nivel", "Qué llegó", "Según la guía", "Aceptadas", "Conformidad", "Observación")


def _spin() -> QSpinBox:
    spin = NumberBox()
    spin.setRange(0, 9999)
    spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("00000") + 48)
    return spin


def add_headers(grid: QGridLayout) -> None:
    for column, text in enumerate(COLUMNS):
        label = QLabel(_(text))
        label.setStyleSheet("font-weight: bold")
        grid.addWidget(label, 0, column)
    grid.setColumnStretch(1, 4)
    grid.setColumnStretch(5, 3)


class LevelRow(QObject):
    """The widgets of one level, placed in the day form's grid (two grid rows: fields, then messages)."""

    changed = Signal()

    def __init__(self, level: str, enrolment: int, grid: QGridLayout, row: int, parent=None) -> None:
        super().__init__(parent)
        self.level = level
        self.recorded: RationReception | None = None
        self.name = QLabel(_("{level}\n{n} matriculados").format(level=level_label(level), n=enrolment))
        self.product = QLineEdit()
        self.product.setPlaceholderText(_("Por ejemplo: leche con cereal + pan con queso"))
        self.received = _spin()
        self.accepted = _spin()
        self.conformity = QComboBox()
        for key, label in CONFORMITY_CHOICES:
            self.conformity.addItem(_(label), key)
        self.observation = QLineEdit()
        self.message = message_label()
        for column, widget in enumerate((self.name, self.product, self.received, self.accepted, self.conformity,
                                         self.observation)):
            grid.addWidget(widget, row, column, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.message, row + 1, 1, 1, len(COLUMNS) - 1)
        self.received.valueChanged.connect(lambda _v: self._follow())
        self.accepted.valueChanged.connect(lambda _v: self.changed.emit())
        self.conformity.currentIndexChanged.connect(lambda _i: self._conformity_changed())
        for field in (self.product, self.observation):
            field.textEdited.connect(lambda _t: self.changed.emit())
        self._follow()

    def fields(self) -> list[QWidget]:
        return [self.product, self.received, self.accepted, self.conformity, self.observation]

    # ------------------------------------------------------------------ behaviour
    def conformity_key(self) -> str:
        return self.conformity.currentData()

    def _conformity_changed(self) -> None:
        self._follow()
        if self.conformity_key() == "parcial" and self.recorded is None:
            self.accepted.setFocus()
            self.accepted.selectAll()

    def _follow(self) -> None:
        """«Conforme»: every ration is accepted; «Rechazado»: none; «Parcial»: the user says how many."""
        key = self.conformity_key()
        if self.recorded is None:
            if key == "conforme":
                self.accepted.setValue(self.received.value())
            elif key == "rechazado":
                self.accepted.setValue(0)
            fixed = key != "parcial"
            self.accepted.setReadOnly(fixed)
            self.accepted.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons if fixed else
                                           QSpinBox.ButtonSymbols.UpDownArrows)
            self.accepted.setFocusPolicy(Qt.FocusPolicy.NoFocus if fixed else Qt.FocusPolicy.StrongFocus)
            self.observation.setPlaceholderText(_("Opcional") if key == "conforme" else
                                                _("¿Por qué rechaza? (obligatorio)"))
        self.changed.emit()

    # ------------------------------------------------------------------ state
    def is_blank(self) -> bool:
        """Nothing to record: no rations counted, nothing rejected or observed."""
        return (self.recorded is not None or
                (self.received.value() == 0 and self.conformity_key() == "conforme"
                 and not self.observation.text().strip()))

    def set_recorded(self, reception: RationReception | None, last_product: str) -> None:
        was_recorded = self.recorded is not None
        self.recorded = reception
        editable = reception is None
        for widget in self.fields():
            widget.setEnabled(editable)
        if reception is not None:
            self.product.setText(reception.product)
            self.received.setValue(reception.received)
            self.conformity.setCurrentIndex(max(self.conformity.findData(reception.conformity), 0))
            self.accepted.setValue(reception.accepted)
            self.observation.setText(reception.observation)
            self.observation.setPlaceholderText("")
            for field in (self.product, self.observation):
                field.setCursorPosition(0)
            show_message(self.message, _("✓ Ya registrado: {n} raciones aceptadas (para corregirlo, anúlelo en la "
                                         "lista de abajo).").format(n=fmt_number(reception.accepted, 0)), ok=True)
            return
        if was_recorded:  # another day: start again from what is remembered
            self.received.setValue(0)
            self.conformity.setCurrentIndex(0)
            self.observation.clear()
            self.product.clear()
        if not self.product.text().strip():
            self.product.setText(last_product)
            self.product.setCursorPosition(0)
        self._follow()
        self.show_problems([])

    def clear(self, last_product: str) -> None:
        self.recorded = None
        for widget in self.fields():
            widget.setEnabled(True)
        self.product.setText(last_product)
        self.product.setCursorPosition(0)
        self.received.setValue(0)
        self.conformity.setCurrentIndex(0)
        self.observation.clear()
        self._follow()
        self.show_problems([])

    def reception(self, day: date, supplier: str) -> RationReception:
        return RationReception(day, self.level, self.product.text().strip(), self.received.value(),
                               self.accepted.value(), self.conformity_key(), supplier,
                               self.observation.text().strip())

    def show_problems(self, problems: list[str]) -> None:
        if self.recorded is not None:
            return
        texts = [p[:1].upper() + p[1:] for p in problems]
        show_message(self.message, "\n".join(texts) if texts else None)
        set_invalid(self.product, any("raciones llegaron" in p for p in problems))
        set_invalid(self.observation, any("por qué" in p for p in problems))
        set_invalid(self.accepted, any("acept" in p for p in problems))
        set_role(self.name, "error" if texts else "")
