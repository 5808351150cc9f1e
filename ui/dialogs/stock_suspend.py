"""Suspend what the programme suspended: a lot, a whole brand or a whole product, with the reason."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
)

from ..i18n import _
from ..theme import set_role
from ..widgets.stock_common import message_label, show_message


@dataclass(frozen=True)
class Suspension:
    lot: str | None
    brand: str | None
    food_code: str | None
    reason: str


class SuspendDialog(QDialog):
    def __init__(self, parent, *, lot: str, brand: str, code: str, name: str) -> None:
        super().__init__(parent)
        self._values = (lot, brand, code)
        self.setWindowTitle(_("Suspender (bloquear) un producto"))
        self.setMinimumWidth(620)
        intro = QLabel(_("Lo suspendido no sale a la cocina: el programa no lo deja usar. Elija qué suspendió el "
                         "programa y escriba el motivo (por ejemplo, el número del comunicado)."))
        intro.setWordWrap(True)
        self.lot_radio = QRadioButton(_("Solo el lote {lot}").format(lot=lot))
        self.brand_radio = QRadioButton(_("Toda la marca «{brand}» (todos sus lotes)").format(brand=brand))
        self.product_radio = QRadioButton(_("Todo el producto {name} (todas las marcas)").format(name=name))
        self.brand_radio.setEnabled(bool(brand))
        self.lot_radio.setChecked(True)
        group = QButtonGroup(self)
        for radio in (self.lot_radio, self.brand_radio, self.product_radio):
            group.addButton(radio)
        self.reason_field = QLineEdit()
        self.reason_field.setPlaceholderText(_("Por ejemplo: Comunicado 045-2026 del programa"))
        self.message = message_label()
        buttons = QDialogButtonBox()
        ok = buttons.addButton(_("Suspender"), QDialogButtonBox.ButtonRole.AcceptRole)
        set_role(ok, "primary")
        buttons.addButton(_("Cancelar"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for radio in (self.lot_radio, self.brand_radio, self.product_radio):
            layout.addWidget(radio)
        layout.addWidget(QLabel(_("Motivo")))
        layout.addWidget(self.reason_field)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def suspension(self) -> Suspension:
        lot, brand, code = self._values
        reason = self.reason_field.text().strip()
        if self.brand_radio.isChecked():
            return Suspension(None, brand, None, reason)
        if self.product_radio.isChecked():
            return Suspension(None, None, code, reason)
        return Suspension(lot, None, None, reason)

    def accept(self) -> None:
        if not self.reason_field.text().strip():
            show_message(self.message, _("Escriba el motivo de la suspensión (por ejemplo, el comunicado del "
                                         "programa)."))
            self.reason_field.setFocus()
            return
        super().accept()
