"""Sign in on start: pick your name from the committee's members and type your PIN (issue 13)."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from ..i18n import _
from ..theme import set_role
from ..widgets.stock_common import message_label, show_message


class SignInDialog(QDialog):
    _db_ready = Signal()  # the database being opened is open (from the loading thread)

    """``members``: MemberInfo of the members in office. On «Entrar» the PIN is checked on the worker;
    ``signature`` holds the signed-in member once the dialog is accepted. ``db``: the database, or the Future
    of its opening (ui.startup.Loaded)."""

    def __init__(self, parent, db, runner, committee, members, *, title: str | None = None,
                 leave: str | None = None) -> None:
        super().__init__(parent)
        self.db, self.runner, self.committee = db, runner, committee
        self.signature = None
        self._checking = False  # a PIN is being checked (or waits for the database): Enter again does nothing
        self._db_ready.connect(self._check)
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

        dni, pin = self.member.currentData(), self.pin.text()
        problem = check_pin(pin)
        if dni is None or problem:
            show_message(self.message, problem or _("Elija su nombre."))
            return
        if self._checking:  # one PIN typed is one try, however many times Enter is pressed
            return
        self._checking = True
        self.ok_button.setEnabled(False)
        self._typed = (dni, pin)
        from concurrent.futures import Future

        if isinstance(self.db, Future) and not self.db.done():  # checked once it is open; «Salir» meanwhile: never
            show_message(self.message, _("Abriendo la base de datos…"), ok=True)
            self.db.add_done_callback(lambda _done: self._db_ready.emit())
            return
        self._check()

    def _check(self) -> None:
        from concurrent.futures import Future

        from qaliwarma.services import people

        if not self._checking:  # the user left meanwhile: the PIN is not tried
            return
        db = self.db
        if isinstance(db, Future):
            try:
                db = db.result().db
            except Exception as error:  # noqa: BLE001 - the window says it in its banner too
                self._refused(error)
                return
        (dni, pin), cid = self._typed, self.committee.id
        self.runner.run(lambda: people.sign_in(db, cid, dni, pin), self._signed, on_error=self._refused, owner=self)

    def reject(self) -> None:  # noqa: D102 - «Salir», Escape, the window closing
        self._checking = False  # a PIN still waiting for the database is dropped, never tried
        super().reject()

    def _signed(self, signature) -> None:
        self._checking = False
        self.signature = signature
        self.ok_button.setEnabled(True)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self._checking = False
        self.ok_button.setEnabled(True)
        self.pin.clear()
        show_message(self.message, str(error))
        self.adjustSize()  # the message's lines are added: the school's name and the words above stay whole
        self.pin.setFocus()
