"""Correct what left the store for one meal and level: the cook used more or less than the dosing says."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout

from qaliwarma.services.store_views import IssueLine

from ..i18n import _
from ..models.stock_format import fmt_kg, fmt_number
from ..theme import set_role
from ..widgets.stock_common import message_label, parse_number, show_message

CLEAR = 2  # the dialog's result when the user removes an earlier correction


class IssueDialog(QDialog):
    def __init__(self, parent, what: str, lines: list[IssueLine], *, current: dict[str, Decimal] | None = None,
                 reason: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Corregir lo que salió del almacén"))
        self.setMinimumWidth(680)
        intro = QLabel(_("{what}. Por la dosificación salen del almacén estas cantidades. Si en la cocina se usó "
                         "otra cantidad (se quemó una olla, sobró un producto), escriba los kilos que salieron de "
                         "verdad y el motivo.").format(what=what))
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        for column, title in enumerate((_("Producto"), _("Por dosificación"), _("Salió de verdad (kg)"))):
            head = QLabel(title)
            head.setStyleSheet("font-weight: bold")
            grid.addWidget(head, 0, column)
        self.fields: dict[str, QLineEdit] = {}
        for row, line in enumerate(lines, start=1):
            grid.addWidget(QLabel(line.name), row, 0)
            grid.addWidget(QLabel(fmt_kg(line.grams)), row, 1)
            field = QLineEdit()
            grams = (current or {}).get(line.code, line.grams)
            field.setText(fmt_number(grams / 1000, 3).replace(",", ""))
            field.setMaximumWidth(160)
            self.fields[line.code] = field
            grid.addWidget(field, row, 2)
        self.expected = {line.code: line.grams for line in lines}
        self.reason_field = QLineEdit(reason)
        self.reason_field.setPlaceholderText(_("Por ejemplo: se quemó una olla y se cocinó otra"))
        self.message = message_label()
        buttons = QDialogButtonBox()
        ok = buttons.addButton(_("Usar estas cantidades"), QDialogButtonBox.ButtonRole.AcceptRole)
        set_role(ok, "primary")
        if current:
            clear = buttons.addButton(_("Quitar la corrección"), QDialogButtonBox.ButtonRole.ResetRole)
            clear.clicked.connect(lambda: self.done(CLEAR))
        buttons.addButton(_("Cancelar"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if not lines:
            layout.addWidget(QLabel(_("Esta preparación no usa productos del almacén.")))
        layout.addLayout(grid)
        layout.addWidget(QLabel(_("Motivo")))
        layout.addWidget(self.reason_field)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def override(self) -> dict[str, Decimal] | None:
        """Grams per product as typed (None and a message when a number is wrong)."""
        out = {}
        for code, field in self.fields.items():
            kg = parse_number(field.text())
            if kg is None or kg < 0:
                show_message(self.message, _("Revise los kilos: escriba números de 0 o más (por ejemplo 2.5)."))
                field.setFocus()
                return None
            out[code] = (kg * 1000).quantize(Decimal("0.001"))
        return out

    def reason(self) -> str:
        return self.reason_field.text().strip()

    def accept(self) -> None:
        values = self.override()
        if values is None:
            return
        if values == self.expected:
            show_message(self.message, _("Las cantidades son las de la dosificación: cambie alguna, o pulse "
                                         "«Cancelar»."))
            return
        if not self.reason():
            show_message(self.message, _("Escriba el motivo de la corrección: queda anotado en el registro."))
            self.reason_field.setFocus()
            return
        super().accept()
