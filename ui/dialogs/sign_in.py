"""Sign in on start: pick your name from the committee's members and type your PIN (issue 13)."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from ..i18n import _
from ..theme import set_role
from ..widgets.stock_common import message_label, show_message


def _database(db):
    """The database; when it is still being opened (a Future of ui.startup.Loaded: the first page came from
    ui.first_page), the worker waits for it."""
    from concurrent.futures import Future

    return db.result().db if isinstance(db, Future) else db


class SignInDialog(QDialog):
    """``members``: MemberInfo of the members in office. On «Entrar» the PIN is checked on the worker;
    ``signature`` holds the signed-in member once the dialog is accepted. ``db``: the database, or the Future
    of its opening (ui.startup.Loaded)."""

    def __init__(self, parent, db, runner, committee, members, *, title: str | None = None,
                 leave: str | None = None) -> None:
        super().__init__(parent)
        self.db, self.runner, self.committee = db, runner, committee
        self.signature = None
        self.setWindowTitle(title or _("Firmar como integrante del comité"))
        self.setMinimumWidth(520)
        intro = QLabel(_("{school}\nElija su nombre y escriba su PIN (de 4 a 6 números). Todo lo que registre "
                         "quedará a su nombre.").format(school=committee.form.school_name))
        intro.setWordWrap(True)
        self.member = QComboBox()
        for m in members:
            text = _("{name} — {role}").format(name=m.name, role=_(m.role_label))
            if not m.has_pin:
                text += " " + _("(sin PIN)")
            self.member.addItem(text, m.dni)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(6)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,6}"), self.pin))
        self.pin.setPlaceholderText(_("PIN"))
        self.message = message_label()
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(_("Entrar"), QDialogButtonBox.ButtonRole.AcceptRole)
        set_role(self.ok_button, "primary")
        buttons.addButton(leave or _("Salir"), QDialogButtonBox.ButtonRole.RejectRole)  # «Cancelar» when switching
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        self.pin.returnPressed.connect(self.try_sign_in)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        name_label = QLabel(_("Integrante"))
        name_label.setBuddy(self.member)
        layout.addWidget(name_label)
        layout.addWidget(self.member)
        pin_label = QLabel(_("PIN"))
        pin_label.setBuddy(self.pin)
        layout.addWidget(pin_label)
        layout.addWidget(self.pin)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.pin.setFocus()

    def try_sign_in(self) -> None:
        from qaliwarma.domain.people import check_pin
        from qaliwarma.services import people

        dni, pin = self.member.currentData(), self.pin.text()
        problem = check_pin(pin)
        if dni is None or problem:
            show_message(self.message, problem or _("Elija su nombre."))
            return
        db, cid = self.db, self.committee.id
        self.ok_button.setEnabled(False)
        self.runner.run(lambda: people.sign_in(_database(db), cid, dni, pin), self._signed, on_error=self._refused,
                        owner=self)

    def _signed(self, signature) -> None:
        self.signature = signature
        self.ok_button.setEnabled(True)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.ok_button.setEnabled(True)
        self.pin.clear()
        show_message(self.message, str(error))
        self.pin.setFocus()
