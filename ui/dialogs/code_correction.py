"""«Corregir código modular»: the new code and the reason, both required, checked before anything is sent.

The correction itself is a journal entry written by ``services.committee.correct_code`` (the page runs
it); a refusal from there (another committee's code, a member whose role may not) is shown here, and the
dialog stays open with what was typed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from qaliwarma.domain.identifiers import check_codigo_modular

from ..i18n import _
from ..theme import set_role


class CodeCorrectionDialog(QDialog):
    def __init__(self, current: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Corregir código modular"))
        self.setMinimumWidth(620)
        self._current = current
        intro = QLabel(_("El código modular de su comité es {code}. Si se registró mal, escriba el correcto y por "
                         "qué se corrige. La corrección queda en el diario con su nombre y el motivo; los registros "
                         "del comité no cambian.").format(code=current))
        intro.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("7 números, por ejemplo 0456789"))
        self.code.setMaxLength(7)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(_("p. ej. se registró con un dígito cambiado; el correcto figura en el padrón "
                                         "de MINEDU"))
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 16)
        form = QFormLayout()
        form.addRow(_("Código modular correcto"), self.code)
        form.addRow(_("Motivo de la corrección"), self.reason)
        self.message = QLabel()
        self.message.setWordWrap(True)
        set_role(self.message, "error")
        self.message.hide()
        self.ok_button = QPushButton(_("Corregir el código"))
        set_role(self.ok_button, "primary")
        self.cancel_button = QPushButton(_("Cancelar"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.ok_button.clicked.connect(self.try_accept)
        self.cancel_button.clicked.connect(self.reject)
        self.submit = None  # set by the page: called with (code, reason) once both are right

    def new_code(self) -> str:
        return self.code.text().strip()

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def problem(self) -> tuple[str, object] | None:
        """What is wrong with what was typed (the message and the field to go to), or None."""
        code = self.new_code()
        wrong = check_codigo_modular(code)
        if wrong:
            return wrong, self.code
        if code == self._current:
            return _("El código modular ya es {code}: escriba el correcto.").format(code=code), self.code
        if not self.reason_text():
            return _("Escriba el motivo de la corrección: queda en el diario."), self.reason
        return None

    def try_accept(self) -> None:
        found = self.problem()
        if found is not None:
            text, field = found
            self.show_error(text)
            field.setFocus()
            return
        self.message.hide()
        if self.submit is None:
            self.accept()
            return
        self.ok_button.setEnabled(False)
        self.submit(self.new_code(), self.reason_text())

    def show_error(self, text: str) -> None:
        self.ok_button.setEnabled(True)
        self.message.setText(text)
        self.message.show()
