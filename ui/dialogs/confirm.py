"""Questions with plain-word buttons ("Eliminar" / "Cancelar", never "Yes" / "No")."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ..i18n import _


def confirm(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(_("Cancelar"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is yes


def inform(parent: QWidget | None, title: str, text: str, *, error: bool = False) -> None:
    icon = QMessageBox.Icon.Critical if error else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.addButton(_("Entendido"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()
