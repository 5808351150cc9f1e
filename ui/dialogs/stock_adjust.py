"""Adjust a lot: a loss, spoilage, a count difference, a return or the removal of an expired lot."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.stock import ADJUSTMENT_REASONS, LotInfo
from qaliwarma.numbers import GRAMS

from ..i18n import _
from ..models.stock_format import fmt_kg, shown_kg
from ..theme import set_role
from ..widgets.stock_common import message_label, parse_number, show_message


@dataclass(frozen=True)
class Adjustment:
    grams: Decimal  # negative: leaves the store
    reason: str  # a key of ADJUSTMENT_REASONS
    note: str


class AdjustDialog(QDialog):
    def __init__(self, parent, lot: LotInfo, name: str, *, reason: str = "perdida") -> None:
        super().__init__(parent)
        self.lot = lot
        self.setWindowTitle(_("Ajustar el stock de un lote"))
        self.setMinimumWidth(620)
        intro = QLabel(_("{name}, lote {lot}: hay {kg} según el registro. Anote lo que salió (o apareció) sin "
                         "pasar por la cocina, y por qué.").format(name=name, lot=lot.lot, kg=fmt_kg(lot.balance_grams)))
        intro.setWordWrap(True)
        self.reason_combo = QComboBox()
        for key, label in ADJUSTMENT_REASONS.items():
            self.reason_combo.addItem(_(label), key)
        self.reason_combo.setCurrentIndex(max(0, self.reason_combo.findData(reason)))
        self.out_radio = QRadioButton(_("Falta: sale del almacén"))
        self.in_radio = QRadioButton(_("Sobra: entra al almacén"))
        self.out_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.out_radio)
        group.addButton(self.in_radio)
        self.direction = QWidget()
        direction_layout = QHBoxLayout(self.direction)
        direction_layout.setContentsMargins(0, 0, 0, 0)
        direction_layout.addWidget(self.out_radio)
        direction_layout.addWidget(self.in_radio)
        direction_layout.addStretch(1)
        self.kg_field = QLineEdit()
        self.kg_field.setPlaceholderText(_("kilos, por ejemplo 1.5"))
        self.note_field = QLineEdit()
        self.note_field.setPlaceholderText(_("Por ejemplo: bolsas rotas por ratones"))
        self.message = message_label()
        form = QFormLayout()
        form.addRow(_("Motivo"), self.reason_combo)
        form.addRow("", self.direction)
        form.addRow(_("Cantidad (kg)"), self.kg_field)
        form.addRow(_("Detalle"), self.note_field)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(_("Registrar ajuste"), QDialogButtonBox.ButtonRole.AcceptRole)
        set_role(ok, "primary")
        buttons.addButton(_("Cancelar"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.reason_combo.currentIndexChanged.connect(self._reason_changed)
        self._reason_changed()

    def _reason_changed(self) -> None:
        reason = self.reason_combo.currentData()
        self.direction.setVisible(reason == "diferencia_conteo")
        if reason == "vencido" and not self.kg_field.text().strip():
            # as the balance is shown (to the gram): «13.7305» had four decimals, which the field then refused
            self.kg_field.setText(f"{shown_kg(self.lot.balance_grams):f}".rstrip("0").rstrip("."))

    def adjustment(self) -> Adjustment | None:
        kg = parse_number(self.kg_field.text())
        reason = self.reason_combo.currentData()
        if kg is None and _too_many_kilos(self.kg_field.text()):  # a number, past the limit: said as such
            show_message(self.message, _("Un ajuste es de {limit} como mucho: revise los kilos escritos.").format(
                limit=fmt_kg(GRAMS.high)))
            return None
        if kg is None or kg <= 0:
            show_message(self.message, _("Escriba cuántos kilos, un número mayor que cero (por ejemplo 1.5)."))
            return None
        grams = (kg * 1000).quantize(Decimal("0.001"))
        leaves = reason != "diferencia_conteo" or self.out_radio.isChecked()
        if leaves and kg == shown_kg(self.lot.balance_grams):
            grams = self.lot.balance_grams  # the whole lot, as shown: 13,730.5 g typed 13.731 was «more than it has»
        if leaves and grams > self.lot.balance_grams:
            show_message(self.message, _("No pueden salir {kg}: en el lote hay {held}.").format(
                kg=fmt_kg(grams), held=fmt_kg(self.lot.balance_grams)))
            return None
        return Adjustment(-grams if leaves else grams, reason, self.note_field.text().strip())

    def accept(self) -> None:
        if self.adjustment() is not None:
            super().accept()


def _too_many_kilos(text: str) -> bool:
    """«1000000000» kilos was answered «un número mayor que cero»: it is a number, only past the limit of one
    quantity of the store (numbers.GRAMS)."""
    from qaliwarma.io.tabular import parse_decimal
    from qaliwarma.numbers import APP_STYLE, MONEY_TEXT

    wide = parse_decimal(text, MONEY_TEXT, style=APP_STYLE)  # read without the store's limit
    return wide is not None and wide * 1000 > GRAMS.high
