"""Ask for one short text before a correction: the reason for voiding a record, a report's reference."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from ..i18n import _
from ..theme import set_role
from ..widgets.stock_common import message_label, show_message


class ReasonDialog(QDialog):
    def __init__(self, parent, title: str, text: str, action: str, *, label: str | None = None,
                 placeholder: str = "", missing: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self._missing = missing or _("Escriba el motivo: queda anotado junto a la corrección.")
        explanation = QLabel(text)
        explanation.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setPlaceholderText(placeholder)
        self.message = message_label()
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        set_role(self.ok_button, "primary")
        buttons.addButton(_("Cancelar"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(explanation)
        caption = QLabel(label or _("Motivo"))
        caption.setBuddy(self.field)
        layout.addWidget(caption)
        layout.addWidget(self.field)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def reason(self) -> str:
        return self.field.text().strip()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        self._fit()

    def _fit(self) -> None:
        """As tall as its wrapped text needs at its width: a dialog sizes itself by one line per label, and a long
        explanation (an early close's) was cut at the top and the bottom, more so once the red message showed."""
        self.layout().activate()
        needed = self.heightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def accept(self) -> None:
        if not self.reason():
            show_message(self.message, self._missing)
            self._fit()
            self.field.setFocus()
            return
        super().accept()


def ask_reason(parent, title: str, text: str, action: str, **kwargs) -> str | None:
    """The text typed, or None when the user cancelled."""
    dialog = ReasonDialog(parent, title, text, action, **kwargs)
    return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None
