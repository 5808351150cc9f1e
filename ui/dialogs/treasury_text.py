"""Ask for a text that is required: the reason to cancel an expense, the supervisor's observations."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout

from ..i18n import _
from ..theme import set_role


class TextQuestion(QDialog):
    def __init__(self, title: str, question: str, action: str, *, placeholder: str = "",
                 missing: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(620)
        self._missing = missing or _("Escriba el texto antes de continuar.")
        self.question = QLabel(question)
        self.question.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(placeholder)
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 16)
        self.message = QLabel()
        self.message.setWordWrap(True)
        set_role(self.message, "error")
        self.message.hide()
        self.ok_button = QPushButton(action)
        set_role(self.ok_button, "primary")
        self.cancel_button = QPushButton(_("Cancelar"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.text)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.ok_button.clicked.connect(self.try_accept)
        self.cancel_button.clicked.connect(self.reject)

    def value(self) -> str:
        return self.text.toPlainText().strip()

    def try_accept(self) -> None:
        if not self.value():
            self.message.setText(self._missing)
            self.message.show()
            self.text.setFocus()
            return
        self.accept()
